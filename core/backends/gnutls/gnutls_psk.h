// External PSKs on GnuTLS: a context's PSK credentials, a server's key lookup, and why a PSK
// handshake failed, from what the server callback saw offered and the error it ended with.
#pragma once

#include <gnutls/gnutls.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "mtls/config.h"

namespace mtls::gnutls_psk {

// A client's identity and key, or a server's lookup function (`find`, which answers with
// FindKey below).
class Credentials {
 public:
  Credentials() = default;
  Credentials(const Credentials&) = delete;
  Credentials& operator=(const Credentials&) = delete;
  ~Credentials();

  absl::Status Configure(const ExternalPsk& psk, Role role, TlsVersion max_version,
                         gnutls_psk_server_credentials_function2* find);
  void SetOn(gnutls_session_t session) const;

 private:
  gnutls_psk_client_credentials_t client_ = nullptr;
  gnutls_psk_server_credentials_t server_ = nullptr;
};

// A server's lookup: `psk`'s key into `key` (0) when `offered` is its identity, else 1.
int FindKey(const ExternalPsk& psk, absl::string_view offered, gnutls_datum_t* key);

// The identity the completed PSK handshake authenticated.
std::string AuthenticatedIdentity(gnutls_session_t session, const ExternalPsk& psk, Role role);

// Why the peer was refused (an unknown identity, a key it did not prove), or nullopt when `rc`
// is no PSK rejection. `offered` is the identity the server callback saw; empty on a client.
std::optional<std::string> Rejection(const ExternalPsk& psk, const std::string& offered, int rc);

}  // namespace mtls::gnutls_psk
