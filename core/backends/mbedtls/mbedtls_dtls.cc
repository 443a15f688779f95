// DTLS 1.2 on Mbed TLS (mbedtls_dtls.h).
#include "mbedtls_dtls.h"

#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl_ciphersuites.h>

#include <algorithm>
#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "mtls/status.h"

namespace mtls::mbedtls_dtls {
namespace {

#if defined(MTLS_MBEDTLS_RFC9146_CID)
// Mbed TLS takes one length for all incoming CIDs of a configuration.
constexpr size_t kCidLength = 4;
#endif

std::string ErrorText(int code) {
  char text[256];
  mbedtls_strerror(code, text, sizeof(text));
  return text;
}

absl::Status ConfigureConnectionId(mbedtls_ssl_config* conf) {
#if defined(MTLS_MBEDTLS_RFC9146_CID)
  if (int rc = mbedtls_ssl_conf_cid(conf, kCidLength, MBEDTLS_SSL_UNEXPECTED_CID_IGNORE); rc != 0) {
    return absl::InternalError(absl::StrCat("Connection ID: ", ErrorText(rc)));
  }
  return absl::OkStatus();
#else
  (void)conf;
  return Unsupported(kNoConnectionId);
#endif
}

#if MBEDTLS_VERSION_MAJOR < 3
// Mbed TLS 2.28 sends its ClientHello in one datagram whatever the MTU (ssl_get_current_mtu) and
// its server refuses a fragmented one, so the hello must fit the path: its default list (80 suites,
// a 320-byte ClientHello) does not fit kMinDatagramMtu. A DTLS client offers those of the default
// suites with forward secrecy and an AEAD cipher (what RFC 9325 section 4 recommends), in the
// library's order: 24 suites, a 208-byte ClientHello.
void OfferSuitesThatFit(mbedtls_ssl_config* conf, std::vector<int>& suites) {
  suites.clear();
  for (const int* id = mbedtls_ssl_list_ciphersuites(); *id != 0; ++id) {
    const absl::string_view name = mbedtls_ssl_get_ciphersuite_name(*id);
    const bool forward_secret = absl::StartsWith(name, "TLS-ECDHE-ECDSA-") ||
                                absl::StartsWith(name, "TLS-ECDHE-RSA-") ||
                                absl::StartsWith(name, "TLS-DHE-RSA-");
    const bool aead = absl::StrContains(name, "-GCM-") || absl::StrContains(name, "-CCM") ||
                      absl::StrContains(name, "-CHACHA20-POLY1305-");
    if (forward_secret && aead) suites.push_back(*id);
  }
  suites.push_back(0);
  mbedtls_ssl_conf_ciphersuites(conf, suites.data());
}
#endif

// The bio over a DatagramTransport: one datagram per call each way.
int SendDatagram(void* transport, const unsigned char* data, size_t size) {
  auto sent = static_cast<DatagramTransport*>(transport)->Write(absl::MakeConstSpan(data, size));
  if (!sent.ok()) return MBEDTLS_ERR_NET_SEND_FAILED;
  if (*sent == 0) return MBEDTLS_ERR_SSL_WANT_WRITE;
  return static_cast<int>(*sent);
}

int ReceiveDatagram(void* transport, unsigned char* buffer, size_t size) {
  auto read = static_cast<DatagramTransport*>(transport)->Read(absl::MakeSpan(buffer, size));
  // A datagram larger than the buffer (UDP would truncate it) is an error, not an end of stream.
  if (!read.ok()) return MBEDTLS_ERR_NET_RECV_FAILED;
  // Nothing has arrived: Mbed TLS's DTLS would take a 0 for a closed connection.
  if (*read == 0) return MBEDTLS_ERR_SSL_WANT_READ;
  return static_cast<int>(*read);
}

}  // namespace

int TransportOf(const EndpointConfig& config) {
  return config.protocol == Protocol::kDtls ? MBEDTLS_SSL_TRANSPORT_DATAGRAM
                                            : MBEDTLS_SSL_TRANSPORT_STREAM;
}

std::vector<uint8_t> ReceiveConnectionId(mbedtls_ssl_context* ssl) {
#if defined(MTLS_MBEDTLS_RFC9146_CID)
  int negotiated = MBEDTLS_SSL_CID_DISABLED;
  if (mbedtls_ssl_get_peer_cid(ssl, &negotiated, nullptr, nullptr) != 0 ||
      negotiated != MBEDTLS_SSL_CID_ENABLED) {
    return {};
  }
  int requested = MBEDTLS_SSL_CID_DISABLED;
  unsigned char own[MBEDTLS_SSL_CID_IN_LEN_MAX];
  size_t length = 0;
  if (mbedtls_ssl_get_own_cid(ssl, &requested, own, &length) != 0 ||
      requested != MBEDTLS_SSL_CID_ENABLED) {
    return {};
  }
  return std::vector<uint8_t>(own, own + length);
#else
  (void)ssl;
  return {};
#endif
}

absl::Status CheckVersions(const EndpointConfig& config) {
  if (config.protocol != Protocol::kDtls) return absl::OkStatus();
#if defined(MBEDTLS_SSL_PROTO_DTLS)
  if (config.min_version == TlsVersion::kTls13) return Unsupported(kNoDtls13);
  return absl::OkStatus();
#else
  return Unsupported(kNoDtls);
#endif
}

ContextState::ContextState() {
#if defined(MTLS_MBEDTLS_DTLS_COOKIES)
  mbedtls_ssl_cookie_init(&cookies_);
#endif
}

ContextState::~ContextState() {
#if defined(MTLS_MBEDTLS_DTLS_COOKIES)
  mbedtls_ssl_cookie_free(&cookies_);
#endif
}

absl::Status ContextState::Configure(mbedtls_ssl_config* conf, const EndpointConfig& config,
                                     mbedtls_adapter::RandomFunction random, void* random_state) {
  if (config.protocol != Protocol::kDtls) return absl::OkStatus();
#if defined(MBEDTLS_SSL_PROTO_DTLS)
  // RFC 6347 4.2.4.1: retransmit first after 1 s, doubling up to at least 60 s. Mbed TLS gives up
  // when the 60 s wait expires too (1 + 2 + ... + 32 + 60 = 123 s), before the driver's 300 s.
  mbedtls_ssl_conf_handshake_timeout(conf, 1'000, 60'000);
#endif
  if (config.dtls.connection_id) MTLS_RETURN_IF_ERROR(ConfigureConnectionId(conf));
  // Cookies are the server's; a client always answers a HelloVerifyRequest.
  if (config.role != Role::kServer) {
#if MBEDTLS_VERSION_MAJOR < 3
    if (!config.psk) OfferSuitesThatFit(conf, client_suites_);  // PSK: its own few suites
#endif
    return absl::OkStatus();
  }
#if defined(MTLS_MBEDTLS_DTLS_COOKIES)
  if (!config.dtls.cookie_exchange) {
    // Mbed TLS's default callbacks fail every handshake, to force a choice: none.
    mbedtls_ssl_conf_dtls_cookies(conf, nullptr, nullptr, nullptr);
    return absl::OkStatus();
  }
  if (int rc = mbedtls_ssl_cookie_setup(&cookies_, random, random_state); rc != 0) {
    return absl::InternalError(absl::StrCat("DTLS cookie key: ", ErrorText(rc)));
  }
  mbedtls_ssl_conf_dtls_cookies(conf, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check,
                                &cookies_);
  return absl::OkStatus();
#else
  (void)random;
  (void)random_state;
#if defined(MBEDTLS_SSL_DTLS_HELLO_VERIFY) && defined(MBEDTLS_SSL_SRV_C)
  if (!config.dtls.cookie_exchange) {
    mbedtls_ssl_conf_dtls_cookies(conf, nullptr, nullptr, nullptr);
    return absl::OkStatus();
  }
#endif
  return config.dtls.cookie_exchange ? Unsupported(kNoCookies) : absl::OkStatus();
#endif
}

absl::Status Channel::Attach(mbedtls_ssl_context* ssl, Transport& transport,
                             const EndpointConfig& config) {
  transport_ = dynamic_cast<DatagramTransport*>(&transport);
  if (transport_ == nullptr) return BadInput("DTLS needs a datagram transport");
  server_ = config.role == Role::kServer;
  mbedtls_ssl_set_bio(ssl, transport_, SendDatagram, ReceiveDatagram, nullptr);
  mbedtls_ssl_set_timer_cb(ssl, this, SetTimer, GetTimer);
  // The link's MTU, as a socket would report it (Mbed TLS takes 16 bits).
#if defined(MBEDTLS_SSL_PROTO_DTLS)
  const size_t mtu = std::min<size_t>(transport_->mtu(), std::numeric_limits<uint16_t>::max());
  mbedtls_ssl_set_mtu(ssl, static_cast<uint16_t>(mtu));
#endif
  if (server_) MTLS_RETURN_IF_ERROR(SetClientId(ssl));
#if defined(MTLS_MBEDTLS_RFC9146_CID)
  if (config.dtls.connection_id) {
    // Both sides offer one. The in-memory link hands every record to its one session, so the
    // identifiers route nothing: fixed ones, different per side so a capture tells them apart.
    static constexpr unsigned char kClientCid[kCidLength] = {'c', 'l', 'n', 't'};
    static constexpr unsigned char kServerCid[kCidLength] = {'s', 'r', 'v', 'r'};
    const int rc = mbedtls_ssl_set_cid(ssl, MBEDTLS_SSL_CID_ENABLED,
                                       server_ ? kServerCid : kClientCid, kCidLength);
    if (rc != 0) return absl::InternalError(absl::StrCat("Connection ID: ", ErrorText(rc)));
  }
#endif
  return absl::OkStatus();
}

absl::Status Channel::Restart(mbedtls_ssl_context* ssl) {
  if (int rc = mbedtls_ssl_session_reset(ssl); rc != 0) {
    return absl::InternalError(
        absl::StrCat("session reset after HelloVerifyRequest: ", ErrorText(rc)));
  }
  return SetClientId(ssl);
}

absl::Status Channel::SetClientId(mbedtls_ssl_context* ssl) {
#if defined(MBEDTLS_SSL_DTLS_HELLO_VERIFY) && defined(MBEDTLS_SSL_SRV_C)
  // The cookie binds the client's transport address (a real server passes its IP and port). The
  // in-memory link carries one client per session: a fixed identifier stands for it.
  static constexpr unsigned char kClientId[] = "in-memory datagram link";
  if (int rc = mbedtls_ssl_set_client_transport_id(ssl, kClientId, sizeof(kClientId) - 1);
      rc != 0) {
    return absl::InternalError(absl::StrCat("client transport id: ", ErrorText(rc)));
  }
#else
  (void)ssl;
#endif
  return absl::OkStatus();
}

std::optional<int64_t> Channel::RemainingUs() const {
  if (final_ms_ == 0 || transport_ == nullptr) return std::nullopt;
  const int64_t expires_us = timer_start_us_ + int64_t{final_ms_} * 1'000;
  return std::max<int64_t>(expires_us - transport_->NowUs(), 0);
}

// Mbed TLS's timer pair (mbedtls_ssl_set_timer_t): both delays count from now; 0 cancels.
void Channel::SetTimer(void* self, uint32_t intermediate_ms, uint32_t final_ms) {
  auto* channel = static_cast<Channel*>(self);
  channel->intermediate_ms_ = intermediate_ms;
  channel->final_ms_ = final_ms;
  if (final_ms != 0) channel->timer_start_us_ = channel->transport_->NowUs();
}

// mbedtls_ssl_get_timer_t: -1 cancelled, 0 running, 1 intermediate delay passed, 2 final passed.
int Channel::GetTimer(void* self) {
  const auto* channel = static_cast<const Channel*>(self);
  if (channel->final_ms_ == 0) return -1;
  const int64_t elapsed_us = channel->transport_->NowUs() - channel->timer_start_us_;
  if (elapsed_us >= int64_t{channel->final_ms_} * 1'000) return 2;
  if (elapsed_us >= int64_t{channel->intermediate_ms_} * 1'000) return 1;
  return 0;
}

}  // namespace mtls::mbedtls_dtls
