// Stand-alone certificate parsing and peer-chain verification (mtls/x509_check.h) with GnuTLS:
// a trust list verified with the same key-purpose and name checks the handshake hands to
// gnutls_session_set_verify_cert2.
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <ctime>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gnutls_util.h"
#include "mtls/backend.h"
#include "mtls/status.h"
#include "mtls/x509_check.h"

namespace mtls {
namespace {

using gnutls_util::ClassifyVerifyStatus;
using gnutls_util::Datum;
using gnutls_util::LibraryError;

// Owns the certificates of one verification.
class CertificateList {
 public:
  ~CertificateList() {
    for (gnutls_x509_crt_t certificate : certificates_) gnutls_x509_crt_deinit(certificate);
  }
  absl::Status Add(const std::string& data, gnutls_x509_crt_fmt_t format) {
    gnutls_x509_crt_t certificate;
    if (int rc = gnutls_x509_crt_init(&certificate); rc < 0) return LibraryError("crt_init", rc);
    certificates_.push_back(certificate);
    gnutls_datum_t datum = Datum(data);
    if (int rc = gnutls_x509_crt_import(certificate, &datum, format); rc < 0) {
      return BadInput(absl::StrCat("not a certificate: ", gnutls_strerror(rc)));
    }
    return absl::OkStatus();
  }
  gnutls_x509_crt_t* data() { return certificates_.data(); }
  unsigned size() const { return static_cast<unsigned>(certificates_.size()); }

 private:
  std::vector<gnutls_x509_crt_t> certificates_;
};

// GnuTLS reads the validation time through one process-wide function.
int64_t g_fixed_time = 0;
time_t FixedTime(time_t* out) {
  if (out != nullptr) *out = static_cast<time_t>(g_fixed_time);
  return static_cast<time_t>(g_fixed_time);
}

}  // namespace

absl::Status ParseCertificateWithBackend(absl::string_view data, CertificateEncoding encoding) {
  CertificateList list;
  return list.Add(std::string(data), encoding == CertificateEncoding::kDer ? GNUTLS_X509_FMT_DER
                                                                           : GNUTLS_X509_FMT_PEM);
}

absl::Status VerifyPeerChain(const ChainCheck& check) {
  if (check.chain_der.empty()) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kNoPeerCertificate,
                     "empty chain");
  }
  // The handshake's limit (gnutls_certificate_set_verify_limits) counts what the peer sends,
  // and GnuTLS applies it before verifying anything.
  if (check.chain_der.size() > static_cast<size_t>(check.max_chain_depth) + 1) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kChainTooLong,
                     "more certificates than the verify depth allows");
  }
  CertificateList chain;
  for (const std::string& der : check.chain_der) {
    if (absl::Status parsed = chain.Add(der, GNUTLS_X509_FMT_DER); !parsed.ok()) {
      return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kHandshakeFailure,
                       parsed.message());
    }
  }
  gnutls_x509_trust_list_t trust;
  if (int rc = gnutls_x509_trust_list_init(&trust, 0); rc < 0) {
    return LibraryError("trust_list_init", rc);
  }
  struct TrustListOwner {
    gnutls_x509_trust_list_t list;
    ~TrustListOwner() { gnutls_x509_trust_list_deinit(list, 1); }
  } owner{trust};
  for (size_t i = 0; i < check.trust_anchors_der.size(); ++i) {
    gnutls_datum_t der = Datum(check.trust_anchors_der[i]);
    if (gnutls_x509_trust_list_add_trust_mem(trust, &der, nullptr, GNUTLS_X509_FMT_DER, 0, 0) < 1) {
      return BadInput(absl::StrCat("trust anchor ", i + 1, " is not a certificate"));
    }
  }
  std::vector<gnutls_typed_vdata_st> checks = {
      {GNUTLS_DT_KEY_PURPOSE_OID,
       const_cast<unsigned char*>(reinterpret_cast<const unsigned char*>(
           check.peer_role == Role::kClient ? GNUTLS_KP_TLS_WWW_CLIENT : GNUTLS_KP_TLS_WWW_SERVER)),
       0}};
  if (!check.expected_peer_name.empty()) {
    checks.push_back({GNUTLS_DT_DNS_HOSTNAME,
                      const_cast<unsigned char*>(
                          reinterpret_cast<const unsigned char*>(check.expected_peer_name.c_str())),
                      0});
  }
  if (check.unix_time) {
    g_fixed_time = *check.unix_time;
    gnutls_global_set_time_function(FixedTime);
  }
  unsigned status = 0;
  const int rc = gnutls_x509_trust_list_verify_crt2(
      trust, chain.data(), chain.size(), checks.data(), checks.size(), 0, &status, nullptr);
  if (check.unix_time) gnutls_global_set_time_function(time);
  if (rc < 0) return LibraryError("trust_list_verify_crt2", rc);
  if (status == 0) return absl::OkStatus();
  gnutls_datum_t text;
  gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0);
  const std::string message = gnutls_util::ToString(text);
  gnutls_free(text.data);
  return MakeError(absl::StatusCode::kPermissionDenied, ClassifyVerifyStatus(status), message);
}

absl::Status UseDeterministicRandom() { return RequireCapability("seam:process-random"); }

}  // namespace mtls
