// Session resumption on Mbed TLS (mbedtls_resumption.h). Whether a handshake resumed is what the
// library's handshake state machine shows (mbedtls_backend.cc), not this file.
#include "mbedtls_resumption.h"

#include <mbedtls/error.h>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/status.h"

namespace mtls::mbedtls_adapter {
namespace {

std::string ErrorText(int code) {
  char text[256];
  mbedtls_strerror(code, text, sizeof(text));
  return text;
}

constexpr uint32_t kTicketLifetimeSeconds = 86400;
constexpr int kStoredSessions = 256;  // as the wolfSSL adapter's per-context store

}  // namespace

ResumptionStore::ResumptionStore() {
#if defined(MBEDTLS_SSL_CACHE_C)
  mbedtls_ssl_cache_init(&cache_);
  // The library keeps 50 by default: too few for every client of a benchmark or a test to resume.
  mbedtls_ssl_cache_set_max_entries(&cache_, kStoredSessions);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
  mbedtls_ssl_ticket_init(&ticket_key_);
#endif
  mbedtls_ssl_session_init(&newest_);
}

ResumptionStore::~ResumptionStore() {
#if defined(MBEDTLS_SSL_CACHE_C)
  mbedtls_ssl_cache_free(&cache_);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
  mbedtls_ssl_ticket_free(&ticket_key_);
#endif
  mbedtls_ssl_session_free(&newest_);
}

absl::Status ResumptionStore::Configure(mbedtls_ssl_config* conf, const EndpointConfig& config,
                                        RandomFunction random, void* random_state) {
  enabled_ = config.resumption != Resumption::kOff;
  client_ = config.role == Role::kClient;
  const bool tickets = config.resumption == Resumption::kTickets;
  if (enabled_) {
    MTLS_RETURN_IF_ERROR(
        RequireCapability(absl::StrCat("resumption:", ResumptionName(config.resumption))));
  }
  if (client_) {
    mbedtls_ssl_conf_session_tickets(
        conf, tickets ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#if MBEDTLS_VERSION_MAJOR >= 3 && defined(MBEDTLS_SSL_PROTO_TLS1_3) && \
    defined(MBEDTLS_SSL_SESSION_TICKETS)
    // TLS 1.3 tickets arrive after the handshake: have the library hand each one to the
    // application (mbedtls_ssl_read returns MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET).
    mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
        conf, tickets ? MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED
                      : MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_DISABLED);
#endif
    return absl::OkStatus();
  }
  if (config.resumption == Resumption::kSessionIds) {
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_conf_session_cache(conf, &cache_, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
#else
    return Unsupported("this Mbed TLS build has no session cache (MBEDTLS_SSL_CACHE_C)");
#endif
  }
  if (tickets) {
#if defined(MBEDTLS_SSL_TICKET_C)
    if (int rc = mbedtls_ssl_ticket_setup(&ticket_key_, random, random_state,
                                          MBEDTLS_CIPHER_AES_256_GCM, kTicketLifetimeSeconds);
        rc != 0) {
      return absl::InternalError(absl::StrCat("ticket key: ", ErrorText(rc)));
    }
    mbedtls_ssl_conf_session_tickets_cb(conf, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
                                        &ticket_key_);
#else
    return Unsupported("this Mbed TLS build has no ticket keys (MBEDTLS_SSL_TICKET_C)");
#endif
  }
  return absl::OkStatus();
}

absl::Status ResumptionStore::Offer(mbedtls_ssl_context* ssl) const {
  if (!enabled_ || !client_) return absl::OkStatus();
  std::lock_guard<std::mutex> lock(newest_mutex_);
  if (!have_newest_) return absl::OkStatus();
  if (int rc = mbedtls_ssl_set_session(ssl, &newest_); rc != 0) {
    return absl::InternalError(absl::StrCat("mbedtls_ssl_set_session: ", ErrorText(rc)));
  }
  return absl::OkStatus();
}

void ResumptionStore::Keep(const mbedtls_ssl_context* ssl) {
  if (!enabled_ || !client_) return;
  mbedtls_ssl_session session;
  mbedtls_ssl_session_init(&session);
  if (mbedtls_ssl_get_session(ssl, &session) != 0) {
    mbedtls_ssl_session_free(&session);
    return;
  }
  std::lock_guard<std::mutex> lock(newest_mutex_);
  mbedtls_ssl_session_free(&newest_);
  newest_ = session;  // takes over what `session` owns
  have_newest_ = true;
}

}  // namespace mtls::mbedtls_adapter
