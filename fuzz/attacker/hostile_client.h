// A TLS client of the project's own (libgcrypt, no TLS backend) that authenticates with a
// certificate and misbehaves on purpose while doing so. It speaks just enough TLS to reach a
// server's client-authentication checks: TLS 1.3 with TLS_AES_128_GCM_SHA256, or TLS 1.2 with
// ECDHE-{ECDSA,RSA}-AES128-GCM-SHA256 (extended master secret when offered back), X25519, an
// ECDSA P-256 client key. It never verifies the server: it attacks it.
//
// Whatever it sends, its Finished is computed honestly over the transcript as sent, so a server
// that lets a forged or missing proof through completes the handshake: the bypass shows as a
// completed server side that claims a verified client.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/backend.h"

namespace mtls::attacker {

enum class Misbehaviour {
  kNone,                          // honest: the control that gives the rejections their meaning
  kForeignKeySignature,           // CertificateVerify signed by a key that is not the leaf's
  kNoCertificateVerify,           // the leaf's proof of possession left out
  kEmptyCertificate,              // an empty Certificate (so no CertificateVerify) when required
  kUnofferedSignatureAlgorithm,   // CertificateVerify with ecdsa_sha1, which no server offers
  kMismatchedSignatureAlgorithm,  // an ECDSA signature labelled rsa_pss_rsae_sha256
};
inline constexpr int kMisbehaviourCount = 6;
absl::string_view MisbehaviourName(Misbehaviour misbehaviour);  // "foreign-key-signature", ...

inline constexpr uint8_t kCertificateMessage = 11;
inline constexpr uint8_t kCertificateVerifyMessage = 15;

struct HostileClientConfig {
  TlsVersion version = TlsVersion::kTls13;
  std::vector<std::string> chain_der;  // leaf first
  std::string key_der;                 // the leaf's ECDSA P-256 key, PKCS#8
  std::string foreign_key_der;         // another ECDSA P-256 key (kForeignKeySignature)
  Misbehaviour misbehaviour = Misbehaviour::kNone;
  // Edits a message body before it is sent: the Certificate before the CertificateVerify is
  // signed over it, the CertificateVerify after signing (fuzzing; see server_hostile_fuzzer.cc).
  std::function<void(uint8_t message_type, std::string& body)> tamper;
  uint64_t seed = 1;  // the client's randoms: same seed, same bytes
};

// What the client sent to authenticate itself, for an independent check of a server's claim.
struct AuthenticationEvidence {
  TlsVersion version = TlsVersion::kTls13;
  std::vector<uint16_t> offered_signature_algorithms;  // the server's CertificateRequest
  std::string certificate_body;                        // as sent
  std::optional<std::string> certificate_verify_body;  // as sent; nullopt when left out
  std::string signed_content;  // what an honest CertificateVerify signs at that point
};

// The client's Context: every session runs the configured misbehaviour; the evidence of the
// latest session that reached its authentication flight is kept here.
class HostileClientContext : public Context {
 public:
  static absl::StatusOr<std::unique_ptr<HostileClientContext>> Create(HostileClientConfig config);
  absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) override;
  const EndpointConfig& config() const override { return endpoint_config_; }
  const std::optional<AuthenticationEvidence>& evidence() const { return evidence_; }

 private:
  friend class HostileClientSession;
  HostileClientConfig config_;
  EndpointConfig endpoint_config_;
  std::optional<AuthenticationEvidence> evidence_;
};

}  // namespace mtls::attacker
