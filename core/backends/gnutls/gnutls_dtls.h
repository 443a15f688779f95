// DTLS 1.2 on GnuTLS: what an endpoint may ask for, the session's datagram I/O over the core's
// DatagramTransport (path MTU, retransmission timeouts, the pull-timeout GnuTLS polls), its
// retransmission timer, and a server's stateless cookie exchange (HelloVerifyRequest).
//
// GnuTLS's timers read clock_gettime(CLOCK_REALTIME), which the clock interposer answers with the
// link's virtual time. One timer does not: the side that sent a handshake's last flight keeps it
// for resending until gnutls_time() + 60 s and checks that against the C library's time()
// (lib/dtls.h, _dtls_async_timer_init/_check). With a fixed certificate-validity clock
// (seams.fixed_unix_time, which answers gnutls_time) more than 60 s in the past, that side drops
// its last flight at once and cannot resend it if it is lost: the peer retries until it gives up.
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/dtls.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mtls/config.h"
#include "mtls/datagram_link.h"
#include "mtls/transport.h"

namespace mtls::gnutls_dtls {

// What the library lacks, in the words its manifest and the adapter both use.
// GNUTLS_DTLS_VERSION_MAX is DTLS 1.2: gnutls_protocol_t has no DTLS 1.3.
inline constexpr char kNoDtls13[] = "GnuTLS 3.7 implements DTLS up to 1.2";
inline constexpr char kNoConnectionId[] = "GnuTLS 3.7 has no DTLS Connection ID (RFC 9146)";

// Unsupported (the manifest's reason) where a DTLS endpoint asks for what GnuTLS lacks: DTLS 1.3
// only, a Connection ID. OK for TLS endpoints; one that allows 1.2 and 1.3 negotiates 1.2.
absl::Status Check(const EndpointConfig& config);

// The priority-string versions of a DTLS endpoint (after Check): GnuTLS's only one, DTLS 1.2.
inline constexpr char kPriorityVersions[] = ":+VERS-DTLS1.2";

// The newest version the endpoint can negotiate: its max_version, or for DTLS GnuTLS's newest.
inline TlsVersion MaxVersion(const EndpointConfig& config) {
  return config.protocol == Protocol::kDtls ? TlsVersion::kTls12 : config.max_version;
}

// The core's name for a negotiated DTLS version; none for one it has no name for (DTLS 1.0).
std::optional<TlsVersion> VersionOf(gnutls_protocol_t version);

// A server's secret for the cookies it sends and checks (one per context, as for a real
// listener); empty unless the endpoint exchanges cookies.
class CookieKey {
 public:
  CookieKey() = default;
  CookieKey(const CookieKey&) = delete;
  CookieKey& operator=(const CookieKey&) = delete;
  ~CookieKey();

  absl::Status Generate();
  bool empty() const { return key_.data == nullptr; }
  gnutls_datum_t* get() const { return &key_; }

 private:
  mutable gnutls_datum_t key_{nullptr, 0};  // GnuTLS's cookie calls take a non-const pointer
};

// One DTLS session's datagrams. GnuTLS's push, pull and pull-timeout callbacks land here, by way
// of the session's own (its transport pointer is the session, which the other callbacks need).
class Datagrams {
 public:
  // BadInput unless `transport` carries datagrams; Unsupported when the transport's clock is
  // virtual and this program cannot show it to GnuTLS (no clock interposer).
  static absl::StatusOr<std::unique_ptr<Datagrams>> Over(Transport& transport);

  // The path MTU and the retransmission timeouts on `session`; Unsupported when GnuTLS does not
  // take the MTU.
  absl::Status Configure(gnutls_session_t session) const;

  // The callbacks, for a session of GnuTLS (errno set on it as GnuTLS expects).
  ssize_t Push(gnutls_session_t session, const void* data, size_t size);
  ssize_t Pull(gnutls_session_t session, void* buffer, size_t size);
  // >0 when a datagram has arrived, 0 when none has; never waits (GnuTLS polls in non-blocking
  // mode with a zero timeout; the driver moves the clock).
  int PullTimeout(gnutls_session_t session);

  // Server with a cookie exchange, before its handshake starts: answers each ClientHello without
  // a valid cookie with a HelloVerifyRequest and keeps nothing; true once one carries it (that
  // datagram is left for GnuTLS and the session continues the client's sequence numbers).
  absl::StatusOr<bool> AdmitCookie(gnutls_session_t session, const CookieKey& key);

  // Why the transport refused a datagram, if it did (GnuTLS reports only a push/pull error).
  const absl::Status& transport_error() const { return transport_error_; }

 private:
  explicit Datagrams(DatagramTransport& transport) : transport_(transport) {}
  // Reads one datagram into pending_ unless one waits there; false when none has arrived.
  absl::StatusOr<bool> ReadAhead();
  ssize_t Send(const void* data, size_t size);  // -1 (transport_error_ says why) or `size`
  static ssize_t SendHelloVerifyRequest(gnutls_transport_ptr_t self, const void* data, size_t size);

  DatagramTransport& transport_;
  std::vector<uint8_t> pending_;  // a datagram read ahead (PullTimeout), for the next Pull
  size_t pending_size_ = 0;
  bool has_pending_ = false;
  absl::Status transport_error_;
};

// Microseconds until the session's retransmission timer fires; none while none runs. Call it
// after a step that found no datagram, at the same clock reading (the driver does): GnuTLS says
// 0 both for "expired" and for "no timer", and an expired timer would have resent the flight in
// that step, so 0 then means GnuTLS waits with no timer of its own (the peer's resends for it).
std::optional<int64_t> RetransmissionTimeoutUs(gnutls_session_t session);

}  // namespace mtls::gnutls_dtls
