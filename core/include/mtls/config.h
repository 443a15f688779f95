// What one endpoint of a mutual-auth handshake is configured with. Backend-agnostic: every
// adapter maps these fields onto its library or answers "unsupported: <reason>".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "mtls/pki.h"
#include "mtls/types.h"

namespace mtls {

// Seams that make a handshake reproducible (fuzzing, instruction counts). Backends that cannot
// honour one say so in their capability manifest and fail Context creation with Unsupported.
struct DeterminismSeams {
  // Fills the buffer with "random" bytes instead of the library's generator.
  std::function<void(absl::Span<uint8_t>)> random;
  // Seconds since the Unix epoch used for certificate validity checks instead of the system clock.
  std::optional<int64_t> fixed_unix_time;
};

// An external pre-shared key (RFC 8446 section 2.2; RFC 4279 / 5489 in TLS 1.2). Both sides
// prove they hold it (TLS 1.3: the binder and Finished; TLS 1.2: Finished); it replaces
// certificates in both directions.
struct ExternalPsk {
  std::string identity;
  std::string key;  // the secret, raw bytes (32 for the SHA-256 suites)
  PskKeyExchange key_exchange = PskKeyExchange::kDhe;
};

// Raw public keys (RFC 7250) instead of certificate chains, both ways: an endpoint sends the
// public key of its credentials (the leaf certificate itself is not sent) and accepts a peer only
// if the peer's key is one of these.
struct RawPublicKeys {
  std::vector<std::string> trusted_peer_keys_der;  // SubjectPublicKeyInfo DER
};

// Password-based mutual authentication (TLS-SRP, RFC 5054; TLS 1.2 only): the client proves it
// knows the password, the server that it holds the verifier derived from it (which is all it
// keeps: a server derives the verifier from these at context creation). No certificates.
struct SrpPassword {
  std::string username;
  std::string password;
};

// Most intermediate CAs a verifier accepts unless told otherwise (EndpointConfig, ChainCheck).
inline constexpr int kDefaultMaxChainDepth = 4;

// DTLS only. The path MTU is the datagram transport's (DatagramTransport::mtu()), as a real
// endpoint learns it from its socket.
struct DtlsOptions {
  // A server answers a ClientHello without a cookie with one to echo (DTLS 1.2's
  // HelloVerifyRequest, DTLS 1.3's HelloRetryRequest) and keeps no state until it comes back.
  bool cookie_exchange = false;
  // RFC 9146 Connection ID: records carry an identifier, so that a session survives a change of
  // the peer's address (a NAT rebinding) without a new handshake.
  bool connection_id = false;
};

struct EndpointConfig {
  Role role = Role::kClient;
  Protocol protocol = Protocol::kTls;
  DtlsOptions dtls;
  std::vector<std::string> trust_anchors_der;  // roots the peer's chain must lead to
  std::optional<Credentials> credentials;      // own chain + key; required for servers
  TlsVersion min_version = TlsVersion::kTls12;
  TlsVersion max_version = TlsVersion::kTls13;
  std::vector<Group> groups;  // key-exchange groups, preferred first; empty = library default
  std::vector<uint16_t> signature_algorithms;  // code points; empty = library default
  Resumption resumption = Resumption::kOff;
  // DNS name the peer certificate must carry (a client sends it as SNI too); empty = not checked.
  std::string expected_peer_name;
  // Most intermediate CAs accepted between the peer's leaf and a trust anchor.
  int max_chain_depth = kDefaultMaxChainDepth;
  ClientAuth client_auth = ClientAuth::kRequired;  // meaningful for servers
  // Set: authenticate both ways with this key instead of certificates (a server accepts only
  // this identity). Trust anchors and credentials are then not needed.
  std::optional<ExternalPsk> psk;
  // Set: authenticate both ways with raw public keys; trust anchors are then not needed.
  std::optional<RawPublicKeys> raw_public_keys;
  // Set: authenticate both ways with this password (TLS-SRP) instead of certificates.
  std::optional<SrpPassword> srp;
  // TLS 1.3 / DTLS 1.3 certificate compression (RFC 8879): the algorithms this endpoint offers to
  // decompress its peer's certificate with, preferred first, and compresses its own with when
  // the peer offers one of them. Empty: off, also where the library would compress by default.
  std::vector<CertificateCompression> certificate_compression;
  DeterminismSeams seams;
};

// Rejects contradictory or incomplete configurations before any backend sees them.
absl::Status Validate(const EndpointConfig& config);

}  // namespace mtls
