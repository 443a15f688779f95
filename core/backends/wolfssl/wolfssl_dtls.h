// DTLS in the wolfSSL adapter: the method for the versions the build has, the server's cookie
// exchange and the Connection ID, and one session's datagram I/O and retransmission timer.
#pragma once

#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/ssl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mtls/config.h"
#include "mtls/datagram_link.h"
#include "mtls/transport.h"

namespace mtls::wolfssl_dtls {

// What the library as built lacks, in the words its manifest and the adapter both use.
#if !defined(WOLFSSL_DTLS)
inline constexpr char kNoDtls[] =
    "this wolfSSL is built without DTLS (configure --enable-dtls: WOLFSSL_DTLS)";
#elif !defined(WOLFSSL_DTLS_MTU)
// Its datagrams are then as large as WOLFSSL_MAX_MTU, whatever the link: the core's link
// (rightly) refuses a datagram above its path MTU, as IPv6 refuses to fragment in transit.
inline constexpr char kNoDtls[] =
    "this wolfSSL is built without WOLFSSL_DTLS_MTU (configure --enable-dtls-mtu): it packs and "
    "fragments every DTLS flight for datagrams of its compile-time WOLFSSL_MAX_MTU (1400 bytes) "
    "and cannot be told a smaller path MTU (IPv6's minimum leaves 1232)";
#endif
#if !defined(WOLFSSL_DTLS13)
inline constexpr char kNoDtls13[] =
    "this wolfSSL is built without DTLS 1.3 (configure --enable-dtls13: WOLFSSL_DTLS13)";
#endif
#if !defined(WOLFSSL_DTLS_CID)
inline constexpr char kNoConnectionId[] =
    "this wolfSSL is built without the DTLS Connection ID (configure --enable-dtlscid: "
    "WOLFSSL_DTLS_CID)";
#else
inline constexpr char kNoConnectionId[] =
    "wolfSSL has the Connection ID of DTLS 1.3 only (RFC 9147), not RFC 9146's for DTLS 1.2";
#endif

// The newest DTLS version this wolfSSL has within `config`'s range; Unsupported naming what the
// build lacks of what `config` asks: the Connection ID, DTLS over the core's link (kNoDtls), or
// any version in the range.
absl::StatusOr<TlsVersion> NewestVersion(const EndpointConfig& config);

// The method for a DTLS endpoint of `role` over [min, max] (max from NewestVersion).
WOLFSSL_METHOD* Method(Role role, TlsVersion min, TlsVersion max);

// Context set-up for `config` (its range capped by NewestVersion): the lowest version.
absl::Status ConfigureContext(WOLFSSL_CTX* ctx, const EndpointConfig& config);

// The session negotiated TLS 1.3 or DTLS 1.3.
bool NegotiatedVersion13(WOLFSSL* ssl);

// The Connection ID the peer puts on its records to this side, when the handshake negotiated one
// (wolfSSL drops the extension's state when it did not); empty otherwise.
std::vector<uint8_t> ReceiveConnectionId(WOLFSSL* ssl);

// One DTLS session's I/O over a DatagramTransport and its retransmission timer.
//
// wolfSSL's own socket I/O waits wolfSSL_dtls_get_current_timeout() seconds in each receive call
// (so after each datagram sent or received) and retransmits when that passes; with callbacks it
// leaves the clock to the application. This class is that clock, in the transport's virtual
// time: the timer starts once the session has sent a datagram, restarts with every datagram in
// or out and every expiry, and fires the current timeout (a quarter of it where DTLS 1.3 asks
// for its quick timeout) after the last of these.
class DatagramIo {
 public:
  // Routes `ssl`'s I/O through `transport`, which must carry datagrams; sets the path MTU, the
  // server's cookie exchange and the Connection ID from `config` (its range capped).
  static absl::StatusOr<std::unique_ptr<DatagramIo>> Attach(WOLFSSL* ssl, Transport& transport,
                                                            const EndpointConfig& config);

  // Microseconds of virtual time until the timer fires; none while it does not run.
  std::optional<int64_t> TimeoutUs() const;
  // After the handshake the timer runs only where wolfSSL's own receive would wait with one
  // (wolfio.c): in DTLS 1.3, while a message awaits the peer's ACK or this side owes one.
  bool TimerRunsAfterHandshake() const;
  // The timer fired: wolfSSL resends its last flight, or fails once it has given up.
  absl::Status HandleTimeout();
  const DatagramTransport& transport() const { return *transport_; }
  // Why the session failed with wolfSSL's `error` where the datagram side explains it: the
  // transport refused a datagram, or a message wolfSSL does not fragment exceeds the MTU.
  std::optional<absl::Status> Failure(int error) const;

 private:
  DatagramIo(WOLFSSL* ssl, DatagramTransport* transport) : ssl_(ssl), transport_(transport) {}
  absl::Status ConfigureMtu();

  static int Receive(WOLFSSL* ssl, char* buffer, int size, void* context);
  static int Send(WOLFSSL* ssl, char* data, int size, void* context);

  WOLFSSL* ssl_;
  DatagramTransport* transport_;
  bool sent_ = false;             // the timer runs only once this side has sent something
  int64_t timer_started_us_ = 0;  // the last datagram in or out, or the last expiry
  absl::Status transport_error_;
};

}  // namespace mtls::wolfssl_dtls
