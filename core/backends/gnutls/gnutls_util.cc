#include "gnutls_util.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "mtls/status.h"

namespace mtls::gnutls_util {

absl::Status LibraryError(absl::string_view what, int rc) {
  return MakeError(absl::StatusCode::kInternal, ErrorClass::kHandshakeFailure,
                   absl::StrCat(what, ": ", gnutls_strerror(rc)));
}

absl::string_view GroupKeyword(Group group) {
  switch (group) {
    case Group::kX25519:
      return "X25519";
    case Group::kP256:
      return "SECP256R1";
    case Group::kP384:
      return "SECP384R1";
    case Group::kX25519MlKem768:
    case Group::kMlKem768:
    case Group::kKyber768:
    case Group::kP384Kyber768:
      break;  // GnuTLS 3.7 has none (its manifest says so)
  }
  return "?";
}

std::string SignatureKeyword(uint16_t code_point) {
  switch (code_point) {
    case sigalg::kEcdsaSecp256r1Sha256:
      return "ECDSA-SECP256R1-SHA256";
    case sigalg::kEcdsaSecp384r1Sha384:
      return "ECDSA-SECP384R1-SHA384";
    case sigalg::kEd25519:
      return "EdDSA-Ed25519";
    case sigalg::kRsaPssRsaeSha256:
      return "RSA-PSS-RSAE-SHA256";
    case sigalg::kRsaPssRsaeSha384:
      return "RSA-PSS-RSAE-SHA384";
    case sigalg::kRsaPkcs1Sha256:
      return "RSA-SHA256";
    case sigalg::kRsaPkcs1Sha384:
      return "RSA-SHA384";
  }
  return absl::StrFormat("UNKNOWN-0x%04x", code_point);
}

std::optional<Group> GroupOf(gnutls_group_t group) {
  switch (group) {
    case GNUTLS_GROUP_X25519:
      return Group::kX25519;
    case GNUTLS_GROUP_SECP256R1:
      return Group::kP256;
    case GNUTLS_GROUP_SECP384R1:
      return Group::kP384;
    default:
      return std::nullopt;
  }
}

uint16_t CodePointOf(gnutls_sign_algorithm_t algorithm) {
  switch (algorithm) {
    case GNUTLS_SIGN_ECDSA_SHA256:  // TLS 1.2 spelling: the hash is not bound to the curve
    case GNUTLS_SIGN_ECDSA_SECP256R1_SHA256:
      return sigalg::kEcdsaSecp256r1Sha256;
    case GNUTLS_SIGN_ECDSA_SHA384:
    case GNUTLS_SIGN_ECDSA_SECP384R1_SHA384:
      return sigalg::kEcdsaSecp384r1Sha384;
    case GNUTLS_SIGN_EDDSA_ED25519:
      return sigalg::kEd25519;
    case GNUTLS_SIGN_RSA_PSS_RSAE_SHA256:
      return sigalg::kRsaPssRsaeSha256;
    case GNUTLS_SIGN_RSA_PSS_RSAE_SHA384:
      return sigalg::kRsaPssRsaeSha384;
    case GNUTLS_SIGN_RSA_SHA256:
      return sigalg::kRsaPkcs1Sha256;
    case GNUTLS_SIGN_RSA_SHA384:
      return sigalg::kRsaPkcs1Sha384;
    default:
      return 0;
  }
}

ErrorClass ClassifyVerifyStatus(unsigned status) {
  if (status & GNUTLS_CERT_EXPIRED) return ErrorClass::kExpired;
  if (status & GNUTLS_CERT_NOT_ACTIVATED) return ErrorClass::kNotYetValid;
  if (status & GNUTLS_CERT_PURPOSE_MISMATCH) return ErrorClass::kBadKeyUsage;
  if (status & GNUTLS_CERT_UNEXPECTED_OWNER) return ErrorClass::kNameMismatch;
  if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA)) {
    return ErrorClass::kUntrustedIssuer;
  }
  return ErrorClass::kHandshakeFailure;
}

}  // namespace mtls::gnutls_util
