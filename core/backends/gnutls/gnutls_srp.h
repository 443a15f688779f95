// TLS-SRP (RFC 5054) on GnuTLS: a context's SRP credentials, what a server stores for a user and
// hands the library, and why a password handshake failed.
#pragma once

#include <gnutls/gnutls.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "mtls/config.h"

namespace mtls::gnutls_srp {

// Password authentication only: the SRP key exchange, with the CBC suites RFC 5054 defines.
inline constexpr char kPriority[] = ":-KX-ALL:+SRP:-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA1";

// A server's record of a user: a random salt and the verifier over RFC 5054's 2048-bit group.
struct Account {
  std::string username;
  std::string salt;
  std::string verifier;
};

absl::StatusOr<Account> DeriveAccount(const SrpPassword& srp);

// A client's user name and password, or a server's account and lookup function (`find`, which
// answers with Lookup below).
class Credentials {
 public:
  Credentials() = default;
  Credentials(const Credentials&) = delete;
  Credentials& operator=(const Credentials&) = delete;
  ~Credentials();

  absl::Status Configure(const SrpPassword& srp, Role role,
                         gnutls_srp_server_credentials_function* find);
  void SetOn(gnutls_session_t session) const;
  const Account& account() const { return account_; }  // a server's

 private:
  gnutls_srp_client_credentials_t client_ = nullptr;
  gnutls_srp_server_credentials_t server_ = nullptr;
  Account account_;
};

// A server's lookup: fills the outputs of a gnutls_srp_server_credentials_function with copies
// of `account` when `username` is its user (0), else -1.
int Lookup(const Account& account, const char* username, gnutls_datum_t* salt,
           gnutls_datum_t* verifier, gnutls_datum_t* generator, gnutls_datum_t* prime);

// Why a password handshake failed (an unknown user, a password the peer did not prove), or
// nullopt when `rc` is no SRP rejection. `offered_user` is what the server lookup saw.
std::optional<std::string> Rejection(const SrpPassword& srp, const std::string& offered_user,
                                     int rc);

}  // namespace mtls::gnutls_srp
