// DTLS 1.2 on Mbed TLS in the firmware (mbedtls_dtls.h).
#include "mbedtls_dtls.h"

namespace mtls::mcu::mbedtls_dtls {

void Configure(mbedtls_ssl_config* config, bool server) {
#if defined(MBEDTLS_SSL_PROTO_DTLS)
  // RFC 6347 4.2.4.1: retransmit first after 1 s, doubling up to 60 s (as on the host).
  mbedtls_ssl_conf_handshake_timeout(config, 1000, 60000);
#endif
#if defined(MBEDTLS_SSL_DTLS_HELLO_VERIFY) && defined(MBEDTLS_SSL_SRV_C)
  if (server) mbedtls_ssl_conf_dtls_cookies(config, nullptr, nullptr, nullptr);
#endif
  (void)config;
  (void)server;
}

int Link::Attach(mbedtls_ssl_context* ssl, bool server) {
  mbedtls_ssl_set_bio(ssl, this, Send, Receive, nullptr);
  mbedtls_ssl_set_timer_cb(ssl, this, SetTimer, GetTimer);
#if defined(MBEDTLS_SSL_PROTO_DTLS)
  // The link's MTU, as a socket would report it: Mbed TLS fragments its flights to fit.
  mbedtls_ssl_set_mtu(ssl, static_cast<uint16_t>(end_.mtu()));
#endif
#if defined(MBEDTLS_SSL_DTLS_HELLO_VERIFY) && defined(MBEDTLS_SSL_SRV_C)
  if (server) {
    // A real server passes the client's address and port; the link carries one client.
    static constexpr unsigned char kClientId[] = "in-memory datagram link";
    return mbedtls_ssl_set_client_transport_id(ssl, kClientId, sizeof kClientId - 1);
  }
#endif
  (void)server;
  return 0;
}

long Link::RemainingMs() const {
  if (final_ms_ == 0) return -1;
  uint32_t elapsed_ms = end_.NowMs() - timer_start_ms_;
  return elapsed_ms >= final_ms_ ? 0 : static_cast<long>(final_ms_ - elapsed_ms);
}

// mbedtls_ssl_set_timer_t: both delays count from now; 0 cancels.
void Link::SetTimer(void* self, uint32_t intermediate_ms, uint32_t final_ms) {
  auto* link = static_cast<Link*>(self);
  link->intermediate_ms_ = intermediate_ms;
  link->final_ms_ = final_ms;
  if (final_ms != 0) link->timer_start_ms_ = link->end_.NowMs();
}

// mbedtls_ssl_get_timer_t: -1 cancelled, 0 running, 1 intermediate delay passed, 2 final passed.
int Link::GetTimer(void* self) {
  const auto* link = static_cast<const Link*>(self);
  if (link->final_ms_ == 0) return -1;
  uint32_t elapsed_ms = link->end_.NowMs() - link->timer_start_ms_;
  if (elapsed_ms >= link->final_ms_) return 2;
  if (elapsed_ms >= link->intermediate_ms_) return 1;
  return 0;
}

// One datagram per call each way. A refused one (above the MTU, or larger than Mbed TLS's
// buffer) is an error, never a truncation; nothing to read is WANT_READ, as 0 would mean closed.
int Link::Send(void* self, const unsigned char* data, size_t size) {
  size_t n = static_cast<Link*>(self)->end_.Write(data, size);
  if (n == DatagramChannel::kRefused) return MBEDTLS_ERR_SSL_BAD_INPUT_DATA;
  return n == 0 ? MBEDTLS_ERR_SSL_WANT_WRITE : static_cast<int>(n);
}

int Link::Receive(void* self, unsigned char* data, size_t size) {
  size_t n = static_cast<Link*>(self)->end_.Read(data, size);
  if (n == DatagramChannel::kRefused) return MBEDTLS_ERR_SSL_BAD_INPUT_DATA;
  return n == 0 ? MBEDTLS_ERR_SSL_WANT_READ : static_cast<int>(n);
}

}  // namespace mtls::mcu::mbedtls_dtls
