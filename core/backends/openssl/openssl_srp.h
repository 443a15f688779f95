// TLS-SRP (RFC 5054) on OpenSSL. Deprecated since OpenSSL 3.0 but still built: this file is the
// one place that uses (and silences the deprecation of) the SRP API. BoringSSL has no SRP.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mtls/config.h"

namespace mtls::openssl_srp {

// What a server keeps: the configured user's verifier (never the password).
class ServerAccount;

// Restricts `ctx` to the SRP suite without certificates. A client logs in with `srp`; a server
// derives the verifier into `account` (which must outlive the context's sessions) and answers
// for that user only.
absl::Status Configure(SSL_CTX* ctx, const SrpPassword& srp, Role role,
                       std::shared_ptr<ServerAccount>& account);

// The session completed with an SRP key exchange.
bool Used(SSL* ssl);

// Server side: the user name the client sent (empty when none).
std::string OfferedUser(SSL* ssl);

}  // namespace mtls::openssl_srp
