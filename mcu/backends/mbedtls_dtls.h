// DTLS 1.2 on Mbed TLS in the firmware: what a DTLS context adds to its configuration, and one
// connection's link to the datagram channel (the bio, the path MTU, the retransmission timer on
// the channel's virtual clock, the client's transport id). The host adapter's calls
// (core/backends/mbedtls/mbedtls_dtls.cc), without the host's Abseil.
#pragma once

#include <stdint.h>

#include "datagram_channel.h"
#include "mbedtls/ssl.h"

namespace mtls::mcu::mbedtls_dtls {

// Handshake timeouts and, on a server, no cookie exchange (the host's default; Mbed TLS's own
// default callbacks fail every handshake, to force a choice). Nothing without DTLS in the build.
void Configure(mbedtls_ssl_config* config, bool server);

// Must not move once attached: Mbed TLS keeps pointers to it.
class Link {
 public:
  explicit Link(DatagramChannel::End end) : end_(end) {}
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // After mbedtls_ssl_setup; 0 or Mbed TLS's error.
  int Attach(mbedtls_ssl_context* ssl, bool server);
  // Milliseconds until the final delay Mbed TLS set expires; -1 while no timer runs.
  long RemainingMs() const;

 private:
  static void SetTimer(void* self, uint32_t intermediate_ms, uint32_t final_ms);
  static int GetTimer(void* self);
  static int Send(void* self, const unsigned char* data, size_t size);
  static int Receive(void* self, unsigned char* data, size_t size);

  DatagramChannel::End end_;
  uint32_t timer_start_ms_ = 0;
  uint32_t intermediate_ms_ = 0;
  uint32_t final_ms_ = 0;  // 0: no timer
};

}  // namespace mtls::mcu::mbedtls_dtls
