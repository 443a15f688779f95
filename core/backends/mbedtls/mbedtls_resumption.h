// Session resumption on Mbed TLS: a server's session cache (TLS 1.2 session IDs) or ticket key
// (TLS 1.2 and 1.3 tickets), and a client's newest resumable session, per context.
#pragma once

#include <mutex>

#include <mbedtls/version.h>
#include <mbedtls/ssl.h>
#if defined(MBEDTLS_SSL_CACHE_C)
#include <mbedtls/ssl_cache.h>
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
#include <mbedtls/ssl_ticket.h>
#endif

#include "absl/status/status.h"
#include "mtls/config.h"

namespace mtls::mbedtls_adapter {

using RandomFunction = int (*)(void*, unsigned char*, size_t);

class ResumptionStore {
 public:
  ResumptionStore();
  ~ResumptionStore();
  ResumptionStore(const ResumptionStore&) = delete;
  ResumptionStore& operator=(const ResumptionStore&) = delete;

  // Sets `conf` up for `config.resumption`: a server gets the cache or the ticket key (whose
  // keys come from `random`), a client asks for tickets only when they are the mode.
  absl::Status Configure(mbedtls_ssl_config* conf, const EndpointConfig& config,
                         RandomFunction random, void* random_state);
  // Client: offers the newest resumable session, if there is one.
  absl::Status Offer(mbedtls_ssl_context* ssl) const;
  // Client: keeps the session `ssl` holds now (after a TLS 1.2 handshake, or a TLS 1.3 ticket)
  // as the newest resumable one.
  void Keep(const mbedtls_ssl_context* ssl);

 private:
  bool enabled_ = false;
  bool client_ = false;
#if defined(MBEDTLS_SSL_CACHE_C)
  mbedtls_ssl_cache_context cache_;
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
  mbedtls_ssl_ticket_context ticket_key_;
#endif
  // A client context may serve several threads: one offers the newest session while another
  // replaces it.
  mutable std::mutex newest_mutex_;
  mbedtls_ssl_session newest_;
  bool have_newest_ = false;
};

}  // namespace mtls::mbedtls_adapter
