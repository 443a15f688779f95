// Resumption on GnuTLS: a server's TLS 1.2 session-ID cache and ticket key, a client's newest
// resumable session. Whether a handshake resumed is what gnutls_session_is_resumed reports.
#pragma once

#include <gnutls/gnutls.h>

#include <map>
#include <mutex>
#include <string>

#include "absl/status/status.h"

namespace mtls::gnutls_resumption {

// Server: the session-ID cache (in memory) or the ticket key, as the config asks.
class Server {
 public:
  Server() = default;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  absl::Status GenerateTicketKey();
  void EnableTickets(gnutls_session_t session) const;  // after GenerateTicketKey
  void UseSessionCache(gnutls_session_t session);      // TLS 1.2 session IDs

 private:
  static int Store(void* self, gnutls_datum_t key, gnutls_datum_t data);
  static gnutls_datum_t Retrieve(void* self, gnutls_datum_t key);
  static int Remove(void* self, gnutls_datum_t key);

  gnutls_datum_t ticket_key_{nullptr, 0};
  std::mutex cache_mutex_;  // a server context serves many threads
  std::map<std::string, std::string> cache_;
};

// Client: the newest resumable session, as GnuTLS serialises it.
class Client {
 public:
  void Offer(gnutls_session_t session) const;  // into a new session, when there is one
  void Keep(gnutls_session_t session);         // from a completed session

 private:
  mutable std::mutex data_mutex_;  // a client context may serve several threads
  std::string data_;
};

}  // namespace mtls::gnutls_resumption
