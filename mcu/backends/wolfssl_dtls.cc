// DTLS 1.2 on wolfSSL in the firmware (wolfssl_dtls.h).
#include "wolfssl_dtls.h"

namespace mtls::mcu::wolfssl_dtls {

const char* UnsupportedReason() {
#if !defined(WOLFSSL_DTLS)
  return "this wolfSSL configuration is built without DTLS (WOLFSSL_DTLS)";
#elif !defined(WOLFSSL_DTLS_MTU)
  return "this wolfSSL configuration is built without WOLFSSL_DTLS_MTU: it cannot be told the "
         "link's path MTU";
#else
  return nullptr;
#endif
}

bool DatagramIo::Attach(WOLFSSL* ssl) {
#if defined(WOLFSSL_DTLS) && defined(WOLFSSL_DTLS_MTU)
  wolfSSL_SSLSetIORecv(ssl, Receive);
  wolfSSL_SSLSetIOSend(ssl, Send);
  wolfSSL_SetIOReadCtx(ssl, this);
  wolfSSL_SetIOWriteCtx(ssl, this);
  // Non-blocking: a read without a datagram returns WANT_READ and the timer is ours.
  wolfSSL_dtls_set_using_nonblock(ssl, 1);
  // wolfSSL then packs and fragments its flights for datagrams of this size.
  return wolfSSL_dtls_set_mtu(ssl, static_cast<unsigned short>(end_.mtu())) == WOLFSSL_SUCCESS;
#else
  (void)ssl;
  return false;  // UnsupportedReason() says why
#endif
}

long DatagramIo::TimeoutMs(WOLFSSL* ssl) const {
#if defined(WOLFSSL_DTLS)
  if (!sent_) return -1;
  long timeout_ms = 1000L * wolfSSL_dtls_get_current_timeout(ssl);
  long elapsed_ms = static_cast<long>(end_.NowMs() - timer_started_ms_);
  return elapsed_ms >= timeout_ms ? 0 : timeout_ms - elapsed_ms;
#else
  (void)ssl;
  return -1;
#endif
}

// One datagram per call each way; a refused one (above the MTU, or larger than wolfSSL's buffer)
// is an error, never a truncation.
int DatagramIo::Receive(WOLFSSL*, char* data, int size, void* self) {
  auto* io = static_cast<DatagramIo*>(self);
  size_t n = io->end_.Read(reinterpret_cast<uint8_t*>(data), static_cast<size_t>(size));
  if (n == DatagramChannel::kRefused) return WOLFSSL_CBIO_ERR_GENERAL;
  if (n == 0) return WOLFSSL_CBIO_ERR_WANT_READ;
  io->timer_started_ms_ = io->end_.NowMs();
  return static_cast<int>(n);
}

int DatagramIo::Send(WOLFSSL*, char* data, int size, void* self) {
  auto* io = static_cast<DatagramIo*>(self);
  size_t n = io->end_.Write(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(size));
  if (n == DatagramChannel::kRefused) return WOLFSSL_CBIO_ERR_GENERAL;
  if (n == 0) return WOLFSSL_CBIO_ERR_WANT_WRITE;
  io->sent_ = true;
  io->timer_started_ms_ = io->end_.NowMs();
  return static_cast<int>(n);
}

}  // namespace mtls::mcu::wolfssl_dtls
