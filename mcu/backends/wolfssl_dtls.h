// DTLS 1.2 on wolfSSL in the firmware: one connection's I/O over the datagram channel, its path
// MTU, and the retransmission timer the application keeps for wolfSSL when it does the I/O (as
// the host adapter does, core/backends/wolfssl/wolfssl_dtls.cc, without the host's Abseil).
#pragma once

#include "datagram_channel.h"
#include "wolfssl/ssl.h"

namespace mtls::mcu::wolfssl_dtls {

// nullptr, or why this configuration cannot run DTLS over the link (in the host's words).
const char* UnsupportedReason();

// wolfSSL's socket I/O waits wolfSSL_dtls_get_current_timeout() seconds in each receive and
// retransmits when that passes; with callbacks the clock is the application's. This is that
// clock, on the channel's virtual time: it runs once the session has sent a datagram and
// restarts with every datagram in or out. Must not move once attached (wolfSSL keeps a pointer).
class DatagramIo {
 public:
  explicit DatagramIo(DatagramChannel::End end) : end_(end) {}
  DatagramIo(const DatagramIo&) = delete;
  DatagramIo& operator=(const DatagramIo&) = delete;

  // Routes `ssl`'s I/O here, non-blocking, with the link's MTU; false when wolfSSL refuses it.
  bool Attach(WOLFSSL* ssl);
  // Milliseconds until the timer fires; -1 while it does not run.
  long TimeoutMs(WOLFSSL* ssl) const;

 private:
  static int Receive(WOLFSSL* ssl, char* data, int size, void* self);
  static int Send(WOLFSSL* ssl, char* data, int size, void* self);

  DatagramChannel::End end_;
  bool sent_ = false;
  uint32_t timer_started_ms_ = 0;  // the last datagram in or out
};

}  // namespace mtls::mcu::wolfssl_dtls
