// TLS-SRP (RFC 5054) on OpenSSL. Deprecated since OpenSSL 3.0 but still built: openssl_srp.cc is
// the one place that uses (and silences the deprecation of) the SRP API. Builds without SRP
// (BoringSSL, OPENSSL_NO_SRP) get the stand-ins below; their manifests refuse "srp:tls1.2" before
// a context gets here.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mtls/backend.h"
#include "mtls/config.h"

namespace mtls::openssl_srp {

#if !defined(OPENSSL_IS_BORINGSSL) && !defined(OPENSSL_NO_SRP)

// What a server keeps: the configured user's verifier (never the password).
class ServerAccount;

// Restricts `ctx` to the SRP suite without certificates. A client logs in with `srp`; a server
// derives the verifier into `account` (which must outlive the context's sessions) and answers
// for that user only.
absl::Status Configure(SSL_CTX* ctx, const SrpPassword& srp, Role role,
                       std::shared_ptr<ServerAccount>& account);

// The session completed with an SRP key exchange.
bool Used(SSL* ssl);
// The session's SRP login (a server: the user the client named and its verifier lookup took);
// empty when there is none.
std::string Username(SSL* ssl);

// Why a password handshake failed (an unknown user, a password the peer did not prove), or
// nullopt when `errors` (the library's error codes) name no such reason.
std::optional<std::string> Rejection(SSL* ssl, const SrpPassword& srp, Role role,
                                     const std::vector<unsigned long>& errors);

#else

class ServerAccount {};

inline absl::Status Configure(SSL_CTX*, const SrpPassword&, Role, std::shared_ptr<ServerAccount>&) {
  return RequireCapability("srp:tls1.2");
}
inline bool Used(SSL*) { return false; }
inline std::string Username(SSL*) { return {}; }
inline std::optional<std::string> Rejection(SSL*, const SrpPassword&, Role,
                                            const std::vector<unsigned long>&) {
  return std::nullopt;
}

#endif

}  // namespace mtls::openssl_srp
