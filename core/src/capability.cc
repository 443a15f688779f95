#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/status.h"

namespace mtls {

const std::vector<std::string>& KnownFeatures() {
  static const std::vector<std::string> features = {
      "tls1.2", "tls1.3",
      "dtls1.2",  // DTLS over the datagram link (mtls/datagram_link.h)
      "dtls1.3",
      "dtls:cookie",  // DtlsOptions::cookie_exchange
      "dtls:cid",     // DtlsOptions::connection_id in DTLS 1.2 (RFC 9146)
      "dtls1.3:cid",  // DtlsOptions::connection_id in DTLS 1.3 (RFC 9147 section 9)
      "group:X25519", "group:P-256", "group:P-384", "group:X25519MLKEM768", "group:MLKEM768",
      "group:Kyber768",  // wolfSSL's pre-standard Kyber (round 3)
      "group:P384Kyber768", "scheme:ecdsa-p256", "scheme:ecdsa-p384", "scheme:ed25519",
      "scheme:rsa2048", "scheme:rsa3072",
      "scheme:mldsa44",  // ML-DSA certificates (TLS 1.3)
      "scheme:mldsa65",
      "scheme:dilithium2",  // wolfSSL's pre-standard Dilithium certificates (TLS 1.3)
      "scheme:dilithium3", "resumption:tickets", "resumption:session-ids",
      "resumption:distinct-session-ids",  // no other client's session replaces a client's
      "psk:tls1.3:psk_dhe_ke",  // external PSK (ExternalPsk), per TLS version and key exchange
      "psk:tls1.3:psk_ke", "psk:tls1.2:ecdhe_psk", "psk:tls1.2:psk",
      "rpk",                    // raw public keys (RFC 7250) instead of certificates, both ways
      "srp:tls1.2",             // TLS-SRP password authentication (SrpPassword)
      "cert-compression:zlib",  // EndpointConfig::certificate_compression (RFC 8879)
      "cert-compression:brotli", "cert-compression:zstd",
      // The client's Certificate compressed too (the server offers it in CertificateRequest).
      "cert-compression:client-certificate",
      "config:signature-algorithms",  // EndpointConfig::signature_algorithms is honoured
      "report:group",                 // HandshakeResult::group is filled in
      "report:peer-signature-algorithm",
      "primitives",      // mtls/primitives.h: the public-key floor
      "reference-loop",  // mtls/reference_loop.h: the bare loop for the harness overhead
      "seam:fixed-clock", "seam:random",
      "seam:process-random",  // mtls/determinism.h
      "verify:fixed-time",    // VerifyPeerChain honours ChainCheck::unix_time
  };
  return features;
}

std::string PskFeature(PskKeyExchange key_exchange, TlsVersion version) {
  return absl::StrCat("psk:", version == TlsVersion::kTls13 ? "tls1.3" : "tls1.2", ":",
                      PskKeyExchangeName(key_exchange, version));
}

std::string CertificateCompressionFeature(CertificateCompression algorithm) {
  return absl::StrCat("cert-compression:", CertificateCompressionName(algorithm));
}

std::string BuildId(std::string library_series) {
  const absl::string_view configuration = MTLS_BACKEND_CONFIGURATION;
  return configuration.empty() ? library_series : absl::StrCat(library_series, "-", configuration);
}

std::vector<Capability> ManifestExcept(std::vector<Capability> exceptions) {
  std::vector<Capability> manifest;
  for (const std::string& feature : KnownFeatures()) {
    auto exception = std::find_if(exceptions.begin(), exceptions.end(),
                                  [&](const Capability& row) { return row.feature == feature; });
    manifest.push_back(exception != exceptions.end() ? *exception : Supported(feature));
  }
  for (const Capability& row : exceptions) {
    if (absl::StartsWith(row.feature, "deviation:") || absl::StartsWith(row.feature, "finding:")) {
      manifest.push_back(row);
    }
  }
  return manifest;
}

std::optional<Capability> FindCapability(const std::string& feature) {
  for (const Capability& capability : CapabilityManifest()) {
    if (capability.feature == feature) return capability;
  }
  return std::nullopt;
}

absl::Status RequireCapability(const std::string& feature) {
  std::optional<Capability> capability = FindCapability(feature);
  if (!capability) {
    return Unsupported(absl::StrCat(feature, ": not in ", CurrentBackend().id, "'s manifest"));
  }
  if (!capability->supported) return Unsupported(absl::StrCat(feature, ": ", capability->reason));
  return absl::OkStatus();
}

}  // namespace mtls
