// External PSKs (mtls/config.h ExternalPsk) on wolfSSL: the suites and callbacks, and what the
// library reports afterwards about whether a handshake used the key and under which identity.
#pragma once

#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/ssl.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "mtls/config.h"

namespace mtls::wolfssl_psk {

// PSK-only suites (TLS 1.2) or the PSK's TLS 1.3 suite, and the identity/key callbacks. The
// callbacks find the key through the connection's PSK callback context (Attach).
absl::Status Configure(WOLFSSL_CTX* ctx, const EndpointConfig& config);

// Per connection, before the handshake: the key the callbacks hand out, and the library keeps
// its handshake arrays (wolfSSL_KeepArrays) so that the identity it recorded stays readable.
void Attach(WOLFSSL* ssl, const ExternalPsk& psk);

// After a completed handshake: whether the library authenticated both sides with the external
// PSK, and the identity it recorded (the one the client sent and the server's callback keyed).
struct PskUse {
  bool used = false;
  std::string identity;
};
PskUse Evidence(WOLFSSL* ssl);

// After a failed handshake: why, when the PSK is the reason (an identity the library recorded
// that is not ours, or a binder/Finished that did not verify).
std::optional<std::string> Rejection(WOLFSSL* ssl, const ExternalPsk& psk, int error);

}  // namespace mtls::wolfssl_psk
