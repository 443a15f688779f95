#include "gnutls_chain_policy.h"

#include <gnutls/x509.h>

#include "absl/strings/str_cat.h"
#include "gnutls_util.h"
#include "mtls/status.h"

namespace mtls::gnutls_chain {

using gnutls_util::Datum;

Policy::Policy(Role peer_role, std::string expected_peer_name, int max_chain_depth)
    : expected_peer_name_(std::move(expected_peer_name)), max_chain_depth_(max_chain_depth) {
  const char* purpose =
      peer_role == Role::kClient ? GNUTLS_KP_TLS_WWW_CLIENT : GNUTLS_KP_TLS_WWW_SERVER;
  checks_.push_back({GNUTLS_DT_KEY_PURPOSE_OID,
                     const_cast<unsigned char*>(reinterpret_cast<const unsigned char*>(purpose)),
                     0});
  if (!expected_peer_name_.empty()) {
    checks_.push_back({GNUTLS_DT_DNS_HOSTNAME,
                       const_cast<unsigned char*>(
                           reinterpret_cast<const unsigned char*>(expected_peer_name_.c_str())),
                       0});
  }
}

absl::Status Policy::Configure(gnutls_certificate_credentials_t credentials,
                               const std::vector<std::string>& trust_anchors_der) const {
  for (size_t i = 0; i < trust_anchors_der.size(); ++i) {
    gnutls_datum_t der = Datum(trust_anchors_der[i]);
    if (gnutls_certificate_set_x509_trust_mem(credentials, &der, GNUTLS_X509_FMT_DER) < 0) {
      return BadInput(absl::StrCat("trust anchor ", i + 1, ": not a valid X.509 certificate"));
    }
  }
  // GnuTLS's limit counts the certificates the peer sends: its leaf + the intermediates.
  gnutls_certificate_set_verify_limits(credentials, 16384,
                                       static_cast<unsigned>(max_chain_depth_) + 1);
  return absl::OkStatus();
}

Verdict Verdict::Of(gnutls_session_t session, const Policy& policy) {
  Verdict verdict;
  verdict.ran = true;
  verdict.rc = gnutls_certificate_verify_peers(
      session, const_cast<gnutls_typed_vdata_st*>(policy.checks_.data()),
      static_cast<unsigned>(policy.checks_.size()), &verdict.status);
  return verdict;
}

int Verdict::HandshakeError() const {
  if (verified()) return 0;
  if (rc < 0) return GNUTLS_E_CERTIFICATE_ERROR;
  return GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR;
}

absl::Status Verdict::ToStatus() const {
  if (verified()) return absl::OkStatus();
  if (rc == GNUTLS_E_CONSTRAINT_ERROR) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kChainTooLong,
                     "peer sent more certificates than the verify depth allows");
  }
  if (rc == GNUTLS_E_NO_CERTIFICATE_FOUND) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kNoPeerCertificate,
                     "peer sent no certificate");
  }
  if (rc < 0 || !ran) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kHandshakeFailure,
                     absl::StrCat("peer certificate not verified: ",
                                  ran ? gnutls_strerror(rc) : "no verification ran"));
  }
  gnutls_datum_t text{};
  gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0);
  const std::string message =
      absl::StrCat("peer certificate rejected: ", gnutls_util::ToString(text));
  gnutls_free(text.data);
  return MakeError(absl::StatusCode::kPermissionDenied, gnutls_util::ClassifyVerifyStatus(status),
                   message);
}

}  // namespace mtls::gnutls_chain
