#include "openssl_resumption.h"

namespace mtls::openssl_resumption {

void Configure(SSL_CTX* ctx, Role role, Resumption resumption, NewClientSession on_new_session) {
  if (role == Role::kClient) {
    if (resumption == Resumption::kOff) {
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    } else {
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
      SSL_CTX_sess_set_new_cb(ctx, on_new_session);
    }
    return;
  }
  // Required for resumption whenever the server verifies peers.
  static constexpr unsigned char kSessionContext[] = "mtls-bench";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof(kSessionContext) - 1);
  switch (resumption) {
    case Resumption::kOff:
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
      SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
      SSL_CTX_set_num_tickets(ctx, 0);
      break;
    case Resumption::kTickets:
      // Stateless tickets only; one per handshake is all a client uses.
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
      SSL_CTX_set_num_tickets(ctx, 1);
      break;
    case Resumption::kSessionIds:
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
      SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
      break;
  }
}

}  // namespace mtls::openssl_resumption
