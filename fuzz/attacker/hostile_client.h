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
#include "acceptance_oracle.h"
#include "mtls/backend.h"

namespace mtls::attacker {

enum class Misbehaviour {
  kNone,                          // honest: the control that gives the rejections their meaning
  kForeignKeySignature,           // CertificateVerify signed by a key that is not the leaf's
  kNoCertificateVerify,           // the leaf's proof of possession left out
  kEmptyCertificate,              // an empty Certificate (so no CertificateVerify) when required
  kDisallowedSignatureAlgorithm,  // TLS 1.3: ecdsa_sha1, forbidden there; TLS 1.2: an unoffered one
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

// The client's Context: every session runs the configured misbehaviour. What the latest session
// sent to authenticate itself (once it got that far) is kept as evidence, for an independent
// check of a server's claim (oracle::CheckClientProof).
class HostileClientContext : public Context {
 public:
  static absl::StatusOr<std::unique_ptr<HostileClientContext>> Create(HostileClientConfig config);
  absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) override;
  const EndpointConfig& config() const override { return endpoint_config_; }
  const std::optional<oracle::ClientProof>& evidence() const { return evidence_; }

 private:
  friend class HostileClientSession;
  HostileClientConfig config_;
  EndpointConfig endpoint_config_;
  std::optional<oracle::ClientProof> evidence_;
};

}  // namespace mtls::attacker
