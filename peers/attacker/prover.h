// The attacker's proof of identity — its Certificate and CertificateVerify — honest or
// misbehaving as configured, for the attacking client and the attacking server alike.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "attacker/crypto.h"
#include "mtls/types.h"
#include "oracle/acceptance_oracle.h"
#include "oracle/tls12_messages.h"

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

// TLS 1.3, with a certificate compression algorithm set: the Certificate travels as a
// CompressedCertificate (RFC 8879) that decompresses to it, to bytes that are no Certificate, or
// to one byte more than it announces.
enum class CompressionFault { kNone, kGarbage, kOverlong };
// "compressed-honest", "compressed-garbage", "compressed-overlong".
absl::string_view CompressedCertificateName(CompressionFault fault);

inline constexpr uint8_t kCertificateMessage = handshake_type::kCertificate;
inline constexpr uint8_t kCompressedCertificateMessage = 25;  // RFC 8879 section 4
inline constexpr uint8_t kCertificateVerifyMessage = handshake_type::kCertificateVerify;

// How an attacking peer (client or server) authenticates itself.
struct AttackerConfig {
  TlsVersion version = TlsVersion::kTls13;
  std::vector<std::string> chain_der;  // leaf first
  std::string key_der;                 // the leaf's ECDSA P-256 key, PKCS#8
  std::string foreign_key_der;         // another ECDSA P-256 key (kForeignKeySignature)
  Misbehaviour misbehaviour = Misbehaviour::kNone;
  std::optional<CertificateCompression> compress_certificate;  // TLS 1.3 only
  CompressionFault compression_fault = CompressionFault::kNone;
  // Edits a message body before it is sent: the Certificate before the CertificateVerify is
  // signed over it, the CertificateVerify after signing (fuzzing: server_hostile_fuzzer.cc).
  std::function<void(uint8_t message_type, std::string& body)> tamper;
  uint64_t seed = 1;  // the attacker's randoms: same seed, same bytes
};

class Prover {
 public:
  // Fails when a key is not an ECDSA P-256 PKCS#8 key or there is no chain.
  static absl::StatusOr<Prover> Create(const AttackerConfig& config, Role role);

  // Appends Certificate, [what `between` adds], CertificateVerify to `transcript`, returns them
  // as sent and records them in `evidence`. `offered`: the verifying side's signature schemes.
  absl::StatusOr<std::string> Flight(std::string& transcript, const std::vector<uint16_t>& offered,
                                     oracle::PeerProof& evidence,
                                     const std::function<void(std::string&)>& between = nullptr);

 private:
  Prover(const AttackerConfig& config, Role role, EcdsaKey key, EcdsaKey foreign_key)
      : config_(config), role_(role), key_(std::move(key)), foreign_key_(std::move(foreign_key)) {}
  bool tls13() const { return config_.version == TlsVersion::kTls13; }
  std::string CertificateBody() const;
  // The Certificate message as sent: `body` as is, or compressed as configured.
  absl::StatusOr<std::string> CertificateMessage(const std::string& body) const;
  std::string SignedContent(absl::string_view transcript) const;
  absl::StatusOr<uint16_t> DisallowedScheme(const std::vector<uint16_t>& offered) const;
  absl::StatusOr<std::optional<std::string>> CertificateVerifyBody(
      absl::string_view transcript, const std::vector<uint16_t>& offered) const;

  const AttackerConfig& config_;
  Role role_;
  EcdsaKey key_, foreign_key_;
};

}  // namespace mtls::attacker
