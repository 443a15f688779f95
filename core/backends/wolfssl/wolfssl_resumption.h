// Session resumption on wolfSSL: session IDs and tickets, TLS 1.2 and 1.3.
//
// A wolfSSL ticket carries the secrets but not the peer's certificate chain: with
// WOLFSSL_TICKET_HAVE_ID (both builds here) the ticket carries a session ID, and the server
// restores the rest of the session, the client's chain included (SESSION_CERTS), from its session
// cache by that ID. wolfSSL's internal cache is one process-wide table (default size: 11 rows of 3
// sessions) shared by the client and the server sessions of every context, each new session
// replacing the oldest of its row. A ticket's entry is therefore evicted by whatever sessions of
// any context hash to its row in between; resuming with that ticket then succeeds, but the server
// holds no client certificate (the intermittent loss seen with 5.7.2's TLS 1.3 tickets).
//
// SessionStore gives each server context its own store through wolfSSL's external-cache
// callbacks (HAVE_EXT_CACHE: wolfSSL_CTX_sess_set_new_cb / _get_cb), with the internal cache off
// for that context, so a resumable session stays restorable while the context lives. On 5.5.4
// for session IDs only: it gives the store no way to learn a ticket's ID (wolfssl_resumption.cc).
#pragma once

#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/ssl.h>

#include <deque>
#include <mutex>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "mtls/config.h"

namespace mtls::wolfssl_resumption {

class SessionStore {
 public:
  SessionStore() = default;
  ~SessionStore();
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  // The server context stores and finds its sessions here.
  absl::Status Install(WOLFSSL_CTX* ctx);

 private:
  static int Added(WOLFSSL* ssl, WOLFSSL_SESSION* session);
  static WOLFSSL_SESSION* Find(WOLFSSL* ssl, const unsigned char* id, int length, int* copy);

  std::mutex mutex_;
  std::deque<std::pair<std::string, WOLFSSL_SESSION*>> sessions_;  // oldest first
};

// Session IDs, tickets or neither, as `resumption` asks; a server's sessions go to `store`.
absl::Status Configure(WOLFSSL_CTX* ctx, const EndpointConfig& config, SessionStore* store);

}  // namespace mtls::wolfssl_resumption
