#include "gnutls_dtls.h"

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/status.h"
#include "mtls/virtual_clock.h"

namespace mtls::gnutls_dtls {
namespace {

// RFC 6347 4.2.4.1: the first retransmission after 1 s, the timer doubling up to no less than
// 60 s. The RFC sets no total; GnuTLS's default (60 s) abandons the handshake when its 32 s
// window runs out (at 63 s), before the timer ever reaches the RFC's ceiling, and would make
// lossy links fail where other libraries still retry. 240 s: GnuTLS's timer doubles to 32 s and
// then starts again at 4 s (it takes the doubled value modulo 60 s), so it gives up at 243 s,
// as OpenSSL does, and before the core's driver would (kDtlsGiveUpUs, 300 s): the failure is
// the library's own.
constexpr unsigned kInitialRetransmissionMs = 1'000;
constexpr unsigned kTotalTimeoutMs = 240'000;

// DTLS 1.x headers (RFC 6347 4.1, 4.2.2): a record's content type, version, epoch (bytes 3-4),
// sequence number (5-10); a handshake message's type, length, message_seq, fragment_offset (6-8).
constexpr size_t kRecordHeaderSize = 13;
constexpr size_t kHandshakeHeaderSize = 12;
constexpr size_t kRecordSequenceLowByte = 10;
constexpr uint8_t kHandshakeContent = 22;
constexpr uint8_t kClientHello = 1;

// What a cookie is bound to: a real server uses the client's address; the link has one peer.
constexpr char kClientAddress[] = "the datagram link's client";

// A datagram that opens a ClientHello in epoch 0: the only one a server without state answers
// (gnutls_dtls_cookie_verify parses any bytes as one).
bool OpensClientHello(const uint8_t* datagram, size_t size) {
  if (size < kRecordHeaderSize + kHandshakeHeaderSize) return false;
  const uint8_t* handshake = datagram + kRecordHeaderSize;
  const bool epoch0 = datagram[3] == 0 && datagram[4] == 0;
  const bool first_fragment = handshake[6] == 0 && handshake[7] == 0 && handshake[8] == 0;
  return datagram[0] == kHandshakeContent && epoch0 && handshake[0] == kClientHello &&
         first_fragment;
}

}  // namespace

absl::Status Check(const EndpointConfig& config) {
  if (config.protocol != Protocol::kDtls) return absl::OkStatus();
  if (config.dtls.connection_id) MTLS_RETURN_IF_ERROR(RequireCapability("dtls:cid"));
  if (config.min_version > TlsVersion::kTls12) MTLS_RETURN_IF_ERROR(RequireCapability("dtls1.3"));
  return absl::OkStatus();
}

std::optional<TlsVersion> VersionOf(gnutls_protocol_t version) {
  if (version == GNUTLS_DTLS1_2) return TlsVersion::kTls12;
  return std::nullopt;
}

CookieKey::~CookieKey() { gnutls_free(key_.data); }

absl::Status CookieKey::Generate() {
  if (int rc = gnutls_key_generate(&key_, GNUTLS_COOKIE_KEY_SIZE); rc < 0) {
    return MakeError(absl::StatusCode::kInternal, ErrorClass::kHandshakeFailure,
                     absl::StrCat("gnutls_key_generate (DTLS cookie key): ", gnutls_strerror(rc)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Datagrams>> Datagrams::Over(Transport& transport) {
  auto* datagrams = dynamic_cast<DatagramTransport*>(&transport);
  if (datagrams == nullptr) return BadInput("DTLS needs a datagram transport");
  // GnuTLS reads the system clock for its timers (clock_gettime): over a link in virtual time
  // it must see that time, which only the clock interposer gives it.
  if (VirtualWallTimeUs() && !ClockInterposed()) {
    return Unsupported(
        "GnuTLS reads the system clock for DTLS timers and this program does not interpose it "
        "(mtls_os_determinism_interposer)");
  }
  auto owned = std::unique_ptr<Datagrams>(new Datagrams(*datagrams));
  owned->pending_.resize(datagrams->mtu());  // the link carries no larger datagram
  return owned;
}

absl::Status Datagrams::Configure(gnutls_session_t session) const {
  const size_t mtu = transport_.mtu();
  gnutls_dtls_set_mtu(session, static_cast<unsigned>(mtu));
  // GnuTLS caps the MTU silently (at its largest record): what it kept is what it took.
  if (const unsigned taken = gnutls_dtls_get_mtu(session); taken != mtu) {
    return Unsupported(
        absl::StrCat("GnuTLS takes a DTLS MTU of at most ", taken, " bytes, not the path's ", mtu));
  }
  gnutls_dtls_set_timeouts(session, kInitialRetransmissionMs, kTotalTimeoutMs);
  return absl::OkStatus();
}

ssize_t Datagrams::Send(const void* data, size_t size) {
  auto written = transport_.Write(absl::MakeConstSpan(static_cast<const uint8_t*>(data), size));
  if (!written.ok()) {
    transport_error_ = written.status();
    return -1;
  }
  return static_cast<ssize_t>(*written);
}

ssize_t Datagrams::Push(gnutls_session_t session, const void* data, size_t size) {
  const ssize_t sent = Send(data, size);
  if (sent < 0) gnutls_transport_set_errno(session, EPIPE);
  return sent;
}

ssize_t Datagrams::Pull(gnutls_session_t session, void* buffer, size_t size) {
  if (has_pending_) {
    has_pending_ = false;
    if (pending_size_ > size) {
      transport_error_ = BadInput("a datagram larger than GnuTLS's receive buffer");
      gnutls_transport_set_errno(session, EIO);
      return -1;
    }
    std::memcpy(buffer, pending_.data(), pending_size_);
    return static_cast<ssize_t>(pending_size_);
  }
  auto read = transport_.Read(absl::MakeSpan(static_cast<uint8_t*>(buffer), size));
  if (!read.ok()) {
    transport_error_ = read.status();
    gnutls_transport_set_errno(session, EIO);
    return -1;
  }
  if (*read == 0) {  // none has arrived; 0 would mean the end of a stream
    gnutls_transport_set_errno(session, EAGAIN);
    return -1;
  }
  return static_cast<ssize_t>(*read);
}

int Datagrams::PullTimeout(gnutls_session_t session) {
  absl::StatusOr<bool> arrived = ReadAhead();
  if (!arrived.ok()) {
    gnutls_transport_set_errno(session, EIO);
    return -1;
  }
  return *arrived ? 1 : 0;
}

absl::StatusOr<bool> Datagrams::ReadAhead() {
  if (has_pending_) return true;
  auto read = transport_.Read(absl::MakeSpan(pending_));
  if (!read.ok()) {
    transport_error_ = read.status();
    return read.status();
  }
  pending_size_ = *read;
  has_pending_ = pending_size_ > 0;
  return has_pending_;
}

ssize_t Datagrams::SendHelloVerifyRequest(gnutls_transport_ptr_t self, const void* data,
                                          size_t size) {
  return static_cast<Datagrams*>(self)->Send(data, size);
}

absl::StatusOr<bool> Datagrams::AdmitCookie(gnutls_session_t session, const CookieKey& key) {
  while (true) {
    MTLS_ASSIGN_OR_RETURN(const bool arrived, ReadAhead());
    if (!arrived) return false;
    if (!OpensClientHello(pending_.data(), pending_size_)) {  // not for a listener: dropped
      has_pending_ = false;
      continue;
    }
    gnutls_dtls_prestate_st prestate{};
    if (gnutls_dtls_cookie_verify(key.get(), const_cast<char*>(kClientAddress),
                                  sizeof kClientAddress, pending_.data(), pending_size_,
                                  &prestate) == 0) {
      // The handshake continues the client's sequence numbers; GnuTLS reads this ClientHello.
      gnutls_dtls_prestate_set(session, &prestate);
      return true;
    }
    has_pending_ = false;
    // RFC 6347 4.2.1: the HelloVerifyRequest repeats the ClientHello's record sequence number
    // (GnuTLS writes its low byte, the rest zero) and has message_seq 0.
    prestate.record_seq = pending_[kRecordSequenceLowByte];
    const int sent =
        gnutls_dtls_cookie_send(key.get(), const_cast<char*>(kClientAddress), sizeof kClientAddress,
                                &prestate, this, SendHelloVerifyRequest);
    if (sent < 0) {
      if (!transport_error_.ok()) return transport_error_;
      return MakeError(absl::StatusCode::kInternal, ErrorClass::kHandshakeFailure,
                       absl::StrCat("gnutls_dtls_cookie_send: ", gnutls_strerror(sent)));
    }
  }
}

std::optional<int64_t> RetransmissionTimeoutUs(gnutls_session_t session) {
  const unsigned remaining_ms = gnutls_dtls_get_timeout(session);
  if (remaining_ms == 0) return std::nullopt;
  return static_cast<int64_t>(remaining_ms) * 1'000;
}

}  // namespace mtls::gnutls_dtls
