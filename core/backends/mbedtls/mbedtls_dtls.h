// DTLS 1.2 on Mbed TLS (2.28 and 3.6; neither has DTLS 1.3): the versions, the context's
// handshake timeouts, cookies and Connection ID, and per session the datagram transport, its path
// MTU and the retransmission timer in the transport's virtual time.
#pragma once

#include <mbedtls/version.h>
#include <mbedtls/ssl.h>
#if defined(MBEDTLS_SSL_COOKIE_C)
#include <mbedtls/ssl_cookie.h>
#endif

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "mbedtls_resumption.h"
#include "mtls/config.h"
#include "mtls/datagram_link.h"
#include "mtls/transport.h"

namespace mtls::mbedtls_dtls {

// What this build cannot do, in Mbed TLS's terms: CreateContext's answers and the manifest's rows.
#if MBEDTLS_VERSION_MAJOR >= 3
inline constexpr char kNoDtls13[] =
    "Mbed TLS 3.6 implements DTLS up to 1.2 (TLS 1.3 over streams only)";
#else
inline constexpr char kNoDtls13[] = "Mbed TLS 2.28 implements DTLS up to 1.2";
#endif
#if !defined(MBEDTLS_SSL_PROTO_DTLS)
inline constexpr char kNoDtls[] = "this Mbed TLS is built without DTLS (MBEDTLS_SSL_PROTO_DTLS)";
#endif
// RFC 9146 Connection ID: Mbed TLS 3.x in its standard form; 2.28 (and 3.x's COMPAT mode) speak
// draft-ietf-tls-dtls-connection-id-05 (extension 254), which RFC 9146 peers do not.
#if defined(MBEDTLS_SSL_DTLS_CONNECTION_ID) && MBEDTLS_VERSION_MAJOR >= 3 && \
    (!defined(MBEDTLS_SSL_DTLS_CONNECTION_ID_COMPAT) ||                      \
     MBEDTLS_SSL_DTLS_CONNECTION_ID_COMPAT == 0)
#define MTLS_MBEDTLS_RFC9146_CID 1
#elif defined(MBEDTLS_SSL_DTLS_CONNECTION_ID)
inline constexpr char kNoConnectionId[] =
    "Mbed TLS " MBEDTLS_VERSION_STRING
    " implements the Connection ID draft "
    "(draft-ietf-tls-dtls-connection-id-05, extension 254), not RFC 9146";
#else
inline constexpr char kNoConnectionId[] =
    "Mbed TLS " MBEDTLS_VERSION_STRING
    " is built without DTLS Connection ID "
    "(MBEDTLS_SSL_DTLS_CONNECTION_ID, off in its default configuration, which Debian keeps)";
#endif
#if defined(MBEDTLS_SSL_DTLS_HELLO_VERIFY) && defined(MBEDTLS_SSL_SRV_C) && \
    defined(MBEDTLS_SSL_COOKIE_C)
#define MTLS_MBEDTLS_DTLS_COOKIES 1
#else
inline constexpr char kNoCookies[] =
    "this Mbed TLS is built without HelloVerifyRequest cookies (MBEDTLS_SSL_DTLS_HELLO_VERIFY, "
    "MBEDTLS_SSL_SRV_C, MBEDTLS_SSL_COOKIE_C)";
#endif

// MBEDTLS_SSL_TRANSPORT_DATAGRAM for a DTLS endpoint, MBEDTLS_SSL_TRANSPORT_STREAM otherwise.
int TransportOf(const EndpointConfig& config);

// The Connection ID the peer puts on its records to this side, when the handshake negotiated one
// (RFC 9146); empty otherwise, and for TLS.
std::vector<uint8_t> ReceiveConnectionId(mbedtls_ssl_context* ssl);

// DTLS: Unsupported when the configured range holds only DTLS 1.3 (or the build has no DTLS); a
// 1.2..1.3 range negotiates 1.2. OK for TLS.
absl::Status CheckVersions(const EndpointConfig& config);

// What a DTLS context adds to its mbedtls_ssl_config: handshake timeouts, the server's cookies
// (or none), the Connection ID length and, on 2.28, a client's suites trimmed so that its
// ClientHello fits a small path MTU. Nothing for TLS.
class ContextState {
 public:
  ContextState();
  ~ContextState();
  ContextState(const ContextState&) = delete;
  ContextState& operator=(const ContextState&) = delete;

  absl::Status Configure(mbedtls_ssl_config* conf, const EndpointConfig& config,
                         mbedtls_adapter::RandomFunction random, void* random_state);

 private:
#if defined(MTLS_MBEDTLS_DTLS_COOKIES)
  mbedtls_ssl_cookie_ctx cookies_;
#endif
  std::vector<int> client_suites_;  // 0-terminated; the configuration points to it
};

// One DTLS session's link to its datagram transport: the bio, the path MTU, the timer Mbed TLS
// arms after each flight (read on the transport's virtual clock) and, on a server, the client's
// transport id the cookies are bound to. Must not move once attached (Mbed TLS keeps pointers).
class Channel {
 public:
  Channel() = default;
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // After mbedtls_ssl_setup: `transport` must carry datagrams.
  absl::Status Attach(mbedtls_ssl_context* ssl, Transport& transport, const EndpointConfig& config);
  // Server, after MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED: a fresh session that waits for the
  // ClientHello with the cookie (the reset keeps bio, timer, MTU and CID; not the client's id).
  absl::Status Restart(mbedtls_ssl_context* ssl);
  // Microseconds until the final delay Mbed TLS set expires; none while no timer runs.
  std::optional<int64_t> RemainingUs() const;

 private:
  static void SetTimer(void* self, uint32_t intermediate_ms, uint32_t final_ms);
  static int GetTimer(void* self);
  absl::Status SetClientId(mbedtls_ssl_context* ssl);

  DatagramTransport* transport_ = nullptr;
  bool server_ = false;
  int64_t timer_start_us_ = 0;
  uint32_t intermediate_ms_ = 0;
  uint32_t final_ms_ = 0;  // 0: no timer
};

}  // namespace mtls::mbedtls_dtls
