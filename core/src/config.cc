#include "mtls/config.h"

#include <algorithm>

#include "mtls/backend.h"
#include "mtls/status.h"

namespace mtls {

namespace {

absl::Status ValidateCertificateCompression(const EndpointConfig& config) {
  const std::vector<CertificateCompression>& algorithms = config.certificate_compression;
  if (algorithms.empty()) return absl::OkStatus();
  if (config.max_version != TlsVersion::kTls13) {
    return BadInput("config: certificate compression exists only in (D)TLS 1.3");
  }
  for (auto it = algorithms.begin(); it != algorithms.end(); ++it) {
    if (std::find(algorithms.begin(), it, *it) != it) {
      return BadInput("config: a certificate compression algorithm is listed twice");
    }
    MTLS_RETURN_IF_ERROR(RequireCapability(CertificateCompressionFeature(*it)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Validate(const EndpointConfig& config) {
  if (config.min_version > config.max_version) {
    return BadInput("config: min_version is above max_version");
  }
  MTLS_RETURN_IF_ERROR(ValidateCertificateCompression(config));
  if (config.protocol == Protocol::kTls &&
      (config.dtls.cookie_exchange || config.dtls.connection_id)) {
    return BadInput("config: cookie exchange and Connection ID are DTLS options");
  }
  if (config.psk) {
    if (config.psk->identity.empty()) return BadInput("config: empty PSK identity");
    if (config.psk->key.empty()) return BadInput("config: empty PSK");
    if (config.client_auth != ClientAuth::kRequired) {
      return BadInput("config: an external PSK authenticates both sides; no server-auth-only mode");
    }
    if (config.min_version != config.max_version) {
      return BadInput("config: PSK endpoints take one TLS version (their suites differ)");
    }
    return absl::OkStatus();
  }
  if (config.srp) {
    if (config.srp->username.empty() || config.srp->password.empty()) {
      return BadInput("config: TLS-SRP needs a user name and a password");
    }
    if (config.client_auth != ClientAuth::kRequired) {
      return BadInput("config: TLS-SRP authenticates both sides; no server-auth-only mode");
    }
    if (config.min_version != TlsVersion::kTls12 || config.max_version != TlsVersion::kTls12) {
      return BadInput("config: TLS-SRP exists only in TLS 1.2");
    }
    if (config.psk || config.raw_public_keys) {
      return BadInput("config: TLS-SRP excludes an external PSK and raw public keys");
    }
    return absl::OkStatus();
  }
  if (config.raw_public_keys) {
    if (!config.credentials) return BadInput("config: raw public keys need the endpoint's own key");
    if (config.raw_public_keys->trusted_peer_keys_der.empty()) {
      return BadInput("config: raw public keys need at least one trusted peer key");
    }
    if (config.client_auth != ClientAuth::kRequired || !config.expected_peer_name.empty()) {
      return BadInput("config: raw public keys authenticate both sides and carry no name");
    }
  }
  if (config.role == Role::kServer && !config.credentials) {
    return BadInput("config: a server needs a certificate chain and key");
  }
  if (config.credentials) {
    if (config.credentials->chain_der.empty()) return BadInput("config: empty certificate chain");
    if (config.credentials->key_der.empty()) return BadInput("config: empty private key");
  }
  const bool verifies_peer =
      config.role == Role::kClient || config.client_auth == ClientAuth::kRequired;
  if (verifies_peer && config.trust_anchors_der.empty() && !config.raw_public_keys) {
    return BadInput("config: peer verification needs at least one trust anchor");
  }
  if (config.max_chain_depth < 0 || config.max_chain_depth > 16) {
    return BadInput("config: max_chain_depth must be within 0..16");
  }
  if (config.resumption == Resumption::kSessionIds && config.max_version != TlsVersion::kTls12) {
    return BadInput("config: session-ID resumption exists only in TLS 1.2");
  }
  return absl::OkStatus();
}

}  // namespace mtls
