// Resumption on the OpenSSL API: a server's session cache or tickets and a client's cache mode,
// as EndpointConfig::resumption asks. OpenSSL resumes only what a clean shutdown left resumable
// (OpensslSession::Close).
#pragma once

#include <openssl/ssl.h>

#include "mtls/config.h"

namespace mtls::openssl_resumption {

// Called with every session a client could resume with; returns 1 when it took the reference.
using NewClientSession = int (*)(SSL* ssl, SSL_SESSION* session);

// Configures `ctx` for `resumption` (a server always gets a session id context: it needs one to
// resume whenever it verifies peers); a client's new sessions go to `on_new_session` (TLS 1.3
// tickets are single use: the client keeps the newest). OpenSSL enforces that use: as a TLS 1.3
// handshake that resumed ends, it marks the session not resumable (tls_finish_handshake ->
// SSL_CTX_remove_session), so a second connection of the same client context that takes it
// before the new ticket arrives does a full handshake, and reports it as one.
void Configure(SSL_CTX* ctx, Role role, Resumption resumption, NewClientSession on_new_session);

}  // namespace mtls::openssl_resumption
