// A context's certificate credentials on GnuTLS: the trust anchors and limits of its chain policy
// (gnutls_chain_policy.h) and the endpoint's own chain and key, or its raw public key.
#pragma once

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include <vector>

#include "absl/status/status.h"
#include "gnutls_chain_policy.h"
#include "mtls/config.h"
#include "mtls/pki.h"

namespace mtls::gnutls_certificates {

class Certificates {
 public:
  Certificates() = default;
  Certificates(const Certificates&) = delete;
  Certificates& operator=(const Certificates&) = delete;
  ~Certificates();

  // Allocates the credentials, with `policy`'s anchors and limits and `config`'s own credentials.
  // A client's chain is handed out by `retrieve` (which answers with Retrieve below).
  absl::Status Configure(const EndpointConfig& config, const gnutls_chain::Policy& policy,
                         gnutls_certificate_retrieve_function2* retrieve);
  void SetOn(gnutls_session_t session) const;

  // A retrieve function's answer: the configured chain and key.
  int Retrieve(gnutls_pcert_st** chain, unsigned int* chain_length, gnutls_privkey_t* key);

 private:
  absl::Status UseChain(const Credentials& own);
  absl::Status SendUnconditionally(const Credentials& own,
                                   gnutls_certificate_retrieve_function2* retrieve);

  gnutls_certificate_credentials_t credentials_ = nullptr;
  std::vector<gnutls_pcert_st> own_chain_;  // a client's chain, sent whatever the server asks
  gnutls_privkey_t own_key_ = nullptr;
};

}  // namespace mtls::gnutls_certificates
