#include "attacker/prover.h"

#include <gcrypt.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "attacker/wire.h"
#include "mtls/certificate_codec.h"
#include "mtls/status.h"

namespace mtls::attacker {

absl::string_view MisbehaviourName(Misbehaviour misbehaviour) {
  switch (misbehaviour) {
    case Misbehaviour::kNone:
      return "honest";
    case Misbehaviour::kForeignKeySignature:
      return "foreign-key-signature";
    case Misbehaviour::kNoCertificateVerify:
      return "no-certificate-verify";
    case Misbehaviour::kEmptyCertificate:
      return "empty-certificate";
    case Misbehaviour::kDisallowedSignatureAlgorithm:
      return "disallowed-signature-algorithm";
    case Misbehaviour::kMismatchedSignatureAlgorithm:
      return "signature-algorithm-key-mismatch";
  }
  return "?";
}

absl::string_view CompressedCertificateName(CompressionFault fault) {
  switch (fault) {
    case CompressionFault::kNone:
      return "compressed-honest";
    case CompressionFault::kGarbage:
      return "compressed-garbage";
    case CompressionFault::kOverlong:
      return "compressed-overlong";
  }
  return "?";
}

absl::StatusOr<Prover> Prover::Create(const AttackerConfig& config, Role role) {
  if (config.chain_der.empty()) return BadInput("attacker: no certificate chain");
  if (config.compress_certificate && config.version != TlsVersion::kTls13) {
    return BadInput("attacker: certificate compression exists only in TLS 1.3");
  }
  MTLS_ASSIGN_OR_RETURN(EcdsaKey key, EcdsaKey::FromPkcs8(config.key_der));
  MTLS_ASSIGN_OR_RETURN(EcdsaKey foreign_key, EcdsaKey::FromPkcs8(config.foreign_key_der));
  return Prover(config, role, std::move(key), std::move(foreign_key));
}

std::string Prover::CertificateBody() const {
  std::string list;
  if (config_.misbehaviour != Misbehaviour::kEmptyCertificate) {
    for (const std::string& der : config_.chain_der) {
      absl::StrAppend(&list, Vector(der, 3), tls13() ? Uint(0, 2) : "");
    }
  }
  return absl::StrCat(tls13() ? std::string(1, '\0') : "", Vector(list, 3));
}

absl::StatusOr<std::string> Prover::CertificateMessage(const std::string& body) const {
  if (!config_.compress_certificate) return HandshakeMessage(kCertificateMessage, body);
  // Garbage: as long as the real body, all 0xff (no valid Certificate starts so).
  const std::string content = config_.compression_fault == CompressionFault::kGarbage
                                  ? std::string(body.size(), '\xff')
                                  : body;
  MTLS_ASSIGN_OR_RETURN(const std::string compressed,
                        CompressCertificate(*config_.compress_certificate, content));
  const size_t announced =
      content.size() - (config_.compression_fault == CompressionFault::kOverlong ? 1 : 0);
  return HandshakeMessage(
      kCompressedCertificateMessage,
      absl::StrCat(Uint(static_cast<uint16_t>(*config_.compress_certificate), 2),
                   Uint(announced, 3), Vector(compressed, 3)));
}

std::string Prover::SignedContent(absl::string_view transcript) const {
  if (!tls13()) return std::string(transcript);
  return absl::StrCat(std::string(64, ' '), "TLS 1.3, ",
                      role_ == Role::kClient ? "client" : "server", " CertificateVerify",
                      std::string(1, '\0'), Sha256(transcript));
}

// TLS 1.3 forbids SHA-1 in a CertificateVerify, offered or not; in TLS 1.2: the first ECDSA
// scheme the verifying side did not offer.
absl::StatusOr<uint16_t> Prover::DisallowedScheme(const std::vector<uint16_t>& offered) const {
  if (tls13()) return kEcdsaSha1;
  for (uint16_t candidate :
       {kEcdsaSha1, kEcdsaSha224, kEcdsaSha512, sigalg::kEcdsaSecp384r1Sha384}) {
    if (std::find(offered.begin(), offered.end(), candidate) == offered.end()) return candidate;
  }
  return Unsupported("attacker: the peer offers every ECDSA scheme");
}

absl::StatusOr<std::optional<std::string>> Prover::CertificateVerifyBody(
    absl::string_view transcript, const std::vector<uint16_t>& offered) const {
  uint16_t scheme = sigalg::kEcdsaSecp256r1Sha256;
  int hash = GCRY_MD_SHA256;
  const EcdsaKey* signer = &key_;
  switch (config_.misbehaviour) {
    case Misbehaviour::kNoCertificateVerify:
    case Misbehaviour::kEmptyCertificate:
      return std::nullopt;
    case Misbehaviour::kForeignKeySignature:
      signer = &foreign_key_;
      break;
    case Misbehaviour::kDisallowedSignatureAlgorithm: {
      MTLS_ASSIGN_OR_RETURN(scheme, DisallowedScheme(offered));
      hash = scheme == kEcdsaSha1     ? GCRY_MD_SHA1
             : scheme == kEcdsaSha224 ? GCRY_MD_SHA224
             : scheme == kEcdsaSha512 ? GCRY_MD_SHA512
                                      : GCRY_MD_SHA384;
      break;
    }
    case Misbehaviour::kMismatchedSignatureAlgorithm:
      scheme = sigalg::kRsaPssRsaeSha256;
      break;
    case Misbehaviour::kNone:
      break;
  }
  MTLS_ASSIGN_OR_RETURN(const std::string signature, signer->Sign(SignedContent(transcript), hash));
  return absl::StrCat(Uint(scheme, 2), Vector(signature, 2));
}

absl::StatusOr<std::string> Prover::Flight(std::string& transcript,
                                           const std::vector<uint16_t>& offered,
                                           oracle::PeerProof& evidence,
                                           const std::function<void(std::string&)>& between) {
  evidence = {};
  evidence.version = config_.version;
  evidence.prover = role_;
  evidence.offered_signature_algorithms = offered;
  evidence.certificate_body = CertificateBody();
  if (config_.tamper) config_.tamper(kCertificateMessage, evidence.certificate_body);
  MTLS_ASSIGN_OR_RETURN(std::string flight, CertificateMessage(evidence.certificate_body));
  transcript += flight;
  if (between) between(flight);
  evidence.signed_content = SignedContent(transcript);
  MTLS_ASSIGN_OR_RETURN(evidence.certificate_verify_body,
                        CertificateVerifyBody(transcript, offered));
  if (evidence.certificate_verify_body) {
    if (config_.tamper) {
      config_.tamper(kCertificateVerifyMessage, *evidence.certificate_verify_body);
    }
    const std::string verify =
        HandshakeMessage(kCertificateVerifyMessage, *evidence.certificate_verify_body);
    transcript += verify;
    flight += verify;
  }
  return flight;
}

}  // namespace mtls::attacker
