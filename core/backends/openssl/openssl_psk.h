// External PSKs on the OpenSSL API: TLS 1.2 PSK suites (RFC 4279, 5489) through the PSK
// callbacks, TLS 1.3 external PSKs (RFC 8446 section 4.2.11) as sessions made up from the key.
// BoringSSL has the TLS 1.2 suites only (its manifest refuses TLS 1.3 external PSKs).
#pragma once

#include <openssl/ssl.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mtls/config.h"

namespace mtls::openssl_psk {

// What one session's PSK callbacks read and record.
struct Exchange {
  const ExternalPsk* psk = nullptr;
  std::string offered_identity;  // server: the identity the client offered (empty until then)
};

// Restricts `ctx` to the PSK suites of `max_version` for `psk`'s key exchange and installs the
// callbacks of `role`, which answer with the Exchange of each session (Attach).
absl::Status Configure(SSL_CTX* ctx, const ExternalPsk& psk, Role role, TlsVersion max_version);

// The Exchange the callbacks of `ssl` use; it must outlive the handshake.
void Attach(SSL* ssl, Exchange* exchange);

// The completed handshake authenticated with the PSK.
bool Used(SSL* ssl);

// Why a PSK handshake failed on the PSK (an unknown identity, a key the peer did not prove), or
// nullopt when `errors` (the library's error codes) name no such reason.
std::optional<std::string> Rejection(const Exchange& exchange,
                                     const std::vector<unsigned long>& errors);

}  // namespace mtls::openssl_psk
