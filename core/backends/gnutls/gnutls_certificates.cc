#include "gnutls_certificates.h"

#include <gnutls/x509.h>

#include "absl/strings/str_cat.h"
#include "gnutls_raw_public_key.h"
#include "gnutls_util.h"
#include "mtls/status.h"

namespace mtls::gnutls_certificates {

using gnutls_util::Datum;
using gnutls_util::LibraryError;

Certificates::~Certificates() {
  if (credentials_ != nullptr) gnutls_certificate_free_credentials(credentials_);
  for (gnutls_pcert_st& certificate : own_chain_) gnutls_pcert_deinit(&certificate);
  if (own_key_ != nullptr) gnutls_privkey_deinit(own_key_);
}

absl::Status Certificates::Configure(const EndpointConfig& config,
                                     const gnutls_chain::Policy& policy,
                                     gnutls_certificate_retrieve_function2* retrieve) {
  if (int rc = gnutls_certificate_allocate_credentials(&credentials_); rc < 0) {
    return LibraryError("allocate credentials", rc);
  }
  MTLS_RETURN_IF_ERROR(policy.Configure(credentials_, config.trust_anchors_der));
  if (config.raw_public_keys) return gnutls_rpk::UseOwnKey(credentials_, *config.credentials);
  if (!config.credentials) return absl::OkStatus();
  MTLS_RETURN_IF_ERROR(UseChain(*config.credentials));
  if (config.role == Role::kClient) {
    return SendUnconditionally(*config.credentials, retrieve);
  }
  return absl::OkStatus();
}

void Certificates::SetOn(gnutls_session_t session) const {
  gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, credentials_);
}

absl::Status Certificates::UseChain(const Credentials& own) {
  std::vector<gnutls_x509_crt_t> chain;
  absl::Status status;
  for (size_t i = 0; i < own.chain_der.size() && status.ok(); ++i) {
    gnutls_x509_crt_t certificate = nullptr;
    gnutls_x509_crt_init(&certificate);
    gnutls_datum_t der = Datum(own.chain_der[i]);
    if (gnutls_x509_crt_import(certificate, &der, GNUTLS_X509_FMT_DER) < 0) {
      status = BadInput(absl::StrCat("certificate chain: certificate ", i + 1,
                                     " is not a valid X.509 certificate"));
    }
    chain.push_back(certificate);
  }
  gnutls_x509_privkey_t key = nullptr;
  gnutls_x509_privkey_init(&key);
  gnutls_datum_t key_der = Datum(own.key_der);
  if (status.ok() && gnutls_x509_privkey_import2(key, &key_der, GNUTLS_X509_FMT_DER, nullptr,
                                                 GNUTLS_PKCS_PLAIN) < 0) {
    status = BadInput("private key: not a valid private key");
  }
  if (status.ok()) {
    const int rc = gnutls_certificate_set_x509_key(credentials_, chain.data(),
                                                   static_cast<int>(chain.size()), key);
    if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
      status = MakeError(absl::StatusCode::kInvalidArgument, ErrorClass::kKeyMismatch,
                         "private key does not match the leaf certificate");
    } else if (rc < 0) {
      status = Unsupported(absl::StrCat("credentials not usable: ", gnutls_strerror(rc)));
    }
  }
  for (gnutls_x509_crt_t certificate : chain) gnutls_x509_crt_deinit(certificate);
  gnutls_x509_privkey_deinit(key);
  return status;
}

// A GnuTLS client sends its certificate only when it suits the server's CertificateRequest (CA
// names, and in TLS 1.2 the certificate types, which leave out Ed25519). Like the other backends'
// clients, send the configured chain whatever the request says: the server judges.
absl::Status Certificates::SendUnconditionally(const Credentials& own,
                                               gnutls_certificate_retrieve_function2* retrieve) {
  own_chain_.resize(own.chain_der.size());
  for (size_t i = 0; i < own.chain_der.size(); ++i) {
    gnutls_datum_t der = Datum(own.chain_der[i]);
    if (int rc = gnutls_pcert_import_x509_raw(&own_chain_[i], &der, GNUTLS_X509_FMT_DER, 0);
        rc < 0) {
      own_chain_.resize(i);
      return LibraryError("certificate chain", rc);
    }
  }
  gnutls_privkey_init(&own_key_);
  gnutls_datum_t key_der = Datum(own.key_der);
  if (int rc = gnutls_privkey_import_x509_raw(own_key_, &key_der, GNUTLS_X509_FMT_DER, nullptr,
                                              GNUTLS_PKCS_PLAIN);
      rc < 0) {
    return LibraryError("private key", rc);
  }
  gnutls_certificate_set_retrieve_function2(credentials_, retrieve);
  return absl::OkStatus();
}

int Certificates::Retrieve(gnutls_pcert_st** chain, unsigned int* chain_length,
                           gnutls_privkey_t* key) {
  *chain = own_chain_.data();
  *chain_length = static_cast<unsigned>(own_chain_.size());
  *key = own_key_;
  return 0;
}

}  // namespace mtls::gnutls_certificates
