#include "wolfssl_dtls.h"

#include <wolfssl/error-ssl.h>
#include <wolfssl/version.h>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "mtls/status.h"

namespace mtls::wolfssl_dtls {
namespace {

#if defined(WOLFSSL_DTLS_MTU)
// wolfSSL_dtls_set_mtu takes at most a record's size (MAX_RECORD_SIZE); a larger path carries
// whatever it sends then.
constexpr size_t kLargestSettableMtu = 16384;
#endif

#if defined(WOLFSSL_DTLS_CID)
// The Connection ID this side asks its peer to put in its records. It need only tell a server's
// connections apart (RFC 9147 section 9); a process-wide counter keeps runs reproducible. Two
// bytes: wolfSSL's default DTLS_CID_MAX_SIZE (internal.h), fixed at build time.
constexpr unsigned int kCidLength = 2;
std::atomic<uint16_t> next_cid{1};
#endif

}  // namespace

absl::StatusOr<TlsVersion> NewestVersion(const EndpointConfig& config) {
  // wolfSSL's Connection ID is DTLS 1.3's: the manifest's dtls:cid (RFC 9146, DTLS 1.2's) is
  // not, but a DTLS 1.3 endpoint gets it where the build has it. Named first: the most specific.
  if (config.dtls.connection_id) {
#if defined(WOLFSSL_DTLS_CID)
    if (config.min_version != TlsVersion::kTls13) return Unsupported(kNoConnectionId);
#else
    return Unsupported(kNoConnectionId);
#endif
  }
#if !defined(WOLFSSL_DTLS) || !defined(WOLFSSL_DTLS_MTU)
  return Unsupported(kNoDtls);
#elif defined(WOLFSSL_DTLS13)
  return config.max_version;
#else
  if (config.min_version == TlsVersion::kTls13) return Unsupported(kNoDtls13);
  return TlsVersion::kTls12;
#endif
}

WOLFSSL_METHOD* Method(Role role, TlsVersion min, TlsVersion max) {
  const bool client = role == Role::kClient;
#if defined(WOLFSSL_DTLS13)
  if (min == TlsVersion::kTls13) {
    return client ? wolfDTLSv1_3_client_method() : wolfDTLSv1_3_server_method();
  }
  // The newest version down to the minimum ConfigureContext sets.
  if (max == TlsVersion::kTls13)
    return client ? wolfDTLS_client_method() : wolfDTLS_server_method();
#else
  (void)min;
  (void)max;
#endif
#if defined(WOLFSSL_DTLS)
  return client ? wolfDTLSv1_2_client_method() : wolfDTLSv1_2_server_method();
#else
  (void)client;
  return nullptr;  // NewestVersion refused the context already
#endif
}

absl::Status ConfigureContext(WOLFSSL_CTX* ctx, const EndpointConfig& config) {
  if (config.min_version == TlsVersion::kTls12 && config.max_version == TlsVersion::kTls13 &&
      wolfSSL_CTX_SetMinVersion(ctx, WOLFSSL_DTLSV1_2) != WOLFSSL_SUCCESS) {
    return absl::InternalError("wolfSSL_CTX_SetMinVersion(DTLS 1.2) failed");
  }
  return absl::OkStatus();
}

bool NegotiatedVersion13(WOLFSSL* ssl) {
  // wolfSSL_GetVersion knows TLS only (VERSION_ERROR for any DTLS); its name says both.
  const char* name = wolfSSL_get_version(ssl);
  return name != nullptr &&
         (std::strcmp(name, "TLSv1.3") == 0 || std::strcmp(name, "DTLSv1.3") == 0);
}

std::vector<uint8_t> ReceiveConnectionId(WOLFSSL* ssl) {
#if defined(WOLFSSL_DTLS_CID)
  unsigned int size = 0;
  if (wolfSSL_dtls_cid_is_enabled(ssl) != 1 ||
      wolfSSL_dtls_cid_get_rx_size(ssl, &size) != WOLFSSL_SUCCESS || size == 0) {
    return {};
  }
  std::vector<uint8_t> connection_id(size);
  if (wolfSSL_dtls_cid_get_rx(ssl, connection_id.data(), size) != WOLFSSL_SUCCESS) return {};
  return connection_id;
#else
  (void)ssl;
  return {};
#endif
}

absl::StatusOr<std::unique_ptr<DatagramIo>> DatagramIo::Attach(WOLFSSL* ssl, Transport& transport,
                                                               const EndpointConfig& config) {
  auto* datagrams = dynamic_cast<DatagramTransport*>(&transport);
  if (datagrams == nullptr) return BadInput("DTLS needs a datagram transport");
  auto io = std::unique_ptr<DatagramIo>(new DatagramIo(ssl, datagrams));
  MTLS_RETURN_IF_ERROR(io->ConfigureMtu());
  wolfSSL_SSLSetIORecv(ssl, Receive);
  wolfSSL_SSLSetIOSend(ssl, Send);
  wolfSSL_SetIOReadCtx(ssl, io.get());
  wolfSSL_SetIOWriteCtx(ssl, io.get());
  // Non-blocking: a read without a datagram returns WANT_READ and the timer is ours.
  wolfSSL_dtls_set_using_nonblock(ssl, 1);

  // The cookie exchange. A wolfSSL DTLS 1.2 server always answers a ClientHello without a valid
  // cookie with a HelloVerifyRequest (DoClientHelloStateless, 5.5 and 5.7); only its SCTP and
  // SRTP modes skip it, so cookie_exchange = false cannot turn it off there. DTLS 1.3's
  // HelloRetryRequest cookie is a switch (on by default with WOLFSSL_SEND_HRR_COOKIE).
  if (config.role == Role::kServer && config.max_version == TlsVersion::kTls13) {
#if defined(WOLFSSL_DTLS13) && defined(WOLFSSL_SEND_HRR_COOKIE)
    const int rc = config.dtls.cookie_exchange ? wolfSSL_send_hrr_cookie(ssl, nullptr, 0)
                                               : wolfSSL_disable_hrr_cookie(ssl);
    if (rc != WOLFSSL_SUCCESS) {
      return absl::InternalError("wolfSSL: DTLS 1.3 cookie setting failed");
    }
#elif defined(WOLFSSL_DTLS13)
    if (config.dtls.cookie_exchange) {
      return Unsupported(
          "this wolfSSL is built without DTLS 1.3's HelloRetryRequest cookie "
          "(WOLFSSL_SEND_HRR_COOKIE)");
    }
#endif
  }

#if defined(WOLFSSL_DTLS_CID)
  if (config.dtls.connection_id) {
    const uint16_t value = next_cid.fetch_add(1);
    unsigned char cid[kCidLength] = {static_cast<unsigned char>(value >> 8),
                                     static_cast<unsigned char>(value)};
    if (wolfSSL_dtls_cid_use(ssl) != WOLFSSL_SUCCESS ||
        wolfSSL_dtls_cid_set(ssl, cid, kCidLength) != WOLFSSL_SUCCESS) {
      return absl::InternalError("wolfSSL: the Connection ID was not accepted");
    }
  }
#endif
  return io;
}

absl::Status DatagramIo::ConfigureMtu() {
#if defined(WOLFSSL_DTLS_MTU)
  // wolfSSL then packs and fragments its flights for datagrams of this size.
  const size_t mtu = transport_->mtu();
  const auto settable = static_cast<unsigned short>(std::min(mtu, kLargestSettableMtu));
  if (wolfSSL_dtls_set_mtu(ssl_, settable) != WOLFSSL_SUCCESS) {
    return Unsupported(absl::StrCat("wolfSSL rejects a path MTU of ", mtu, " bytes"));
  }
  return absl::OkStatus();
#else
  return Unsupported(kNoDtls);  // NewestVersion refused the context already
#endif
}

std::optional<int64_t> DatagramIo::TimeoutUs() const {
  if (!sent_) return std::nullopt;
  int64_t timeout_us = int64_t{wolfSSL_dtls_get_current_timeout(ssl_)} * 1'000'000;
#if defined(WOLFSSL_DTLS13)
  // DTLS 1.3: a shorter wait after a gap in what arrived, on which wolfSSL only acknowledges
  // (wolfio.c's own receive waits a quarter of the timeout then).
  if (wolfSSL_dtls13_use_quick_timeout(ssl_)) timeout_us /= 4;
#endif
  return timer_started_us_ + timeout_us - transport_->NowUs();
}

bool DatagramIo::TimerRunsAfterHandshake() const {
#if defined(WOLFSSL_DTLS13)
  // A repeated final flight from a peer that missed this side's ACK makes wolfSSL owe one; it
  // sends it when its quick timeout expires (Dtls13RtxTimeout), not on receipt.
  return NegotiatedVersion13(ssl_) &&
         (wolfSSL_dtls13_has_pending_msg(ssl_) != 0 || wolfSSL_dtls13_use_quick_timeout(ssl_) != 0);
#else
  // DTLS 1.2 answers a repeated flight on receipt.
  return false;
#endif
}

absl::Status DatagramIo::HandleTimeout() {
  timer_started_us_ = transport_->NowUs();
  const int timeout_s = wolfSSL_dtls_get_current_timeout(ssl_);
  if (wolfSSL_dtls_got_timeout(ssl_) == WOLFSSL_SUCCESS) return absl::OkStatus();
  if (!transport_error_.ok()) return transport_error_;
  // It doubles the timeout after each try and fails one past its maximum
  // (DTLS_TIMEOUT_MAX: 64 s, after 127 s of silence).
  return MakeError(absl::StatusCode::kDeadlineExceeded, ErrorClass::kHandshakeFailure,
                   absl::StrCat("DTLS retransmission gave up: the peer did not answer within "
                                "wolfSSL's longest timeout (",
                                timeout_s, " s)"));
}

std::optional<absl::Status> DatagramIo::Failure(int error) const {
  if (!transport_error_.ok()) return transport_error_;
  if (error == DTLS_SIZE_ERROR) {
    // A DTLS 1.2 ClientHello above all: wolfSSL sends it whole (SendClientHello; 5.7's is 288
    // bytes, 320 with the cookie, with its default suites and a host name).
    return MakeError(absl::StatusCode::kUnimplemented, ErrorClass::kUnsupported,
                     absl::StrCat("wolfSSL does not fragment this DTLS handshake message (its "
                                  "DTLS 1.2 ClientHello, for one), which exceeds the path MTU "
                                  "of ",
                                  transport_->mtu(), " bytes (DTLS_SIZE_ERROR)"));
  }
  return std::nullopt;
}

int DatagramIo::Receive(WOLFSSL*, char* buffer, int size, void* context) {
  auto* io = static_cast<DatagramIo*>(context);
  absl::StatusOr<size_t> read = io->transport_->Read(
      absl::MakeSpan(reinterpret_cast<uint8_t*>(buffer), static_cast<size_t>(size)));
  if (!read.ok()) {
    io->transport_error_ = read.status();
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
  if (*read == 0) return WOLFSSL_CBIO_ERR_WANT_READ;
  io->timer_started_us_ = io->transport_->NowUs();
  return static_cast<int>(*read);
}

int DatagramIo::Send(WOLFSSL*, char* data, int size, void* context) {
  auto* io = static_cast<DatagramIo*>(context);
  absl::StatusOr<size_t> written = io->transport_->Write(
      absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(size)));
  if (!written.ok()) {
    io->transport_error_ = written.status();
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
  if (*written == 0) return WOLFSSL_CBIO_ERR_WANT_WRITE;
  io->sent_ = true;
  io->timer_started_us_ = io->transport_->NowUs();
  return static_cast<int>(*written);
}

}  // namespace mtls::wolfssl_dtls
