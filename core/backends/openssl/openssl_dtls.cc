#include "openssl_dtls.h"

#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/datagram_link.h"
#include "mtls/status.h"
#include "mtls/virtual_clock.h"

namespace mtls::openssl_dtls {
namespace {

#if defined(OPENSSL_IS_BORINGSSL)
// BoringSSL reads the time for its DTLS timers, its sessions and the first four bytes of a
// server's random (gmt_unix_time) through this callback: the link's virtual time on a thread that
// drives one, else what the library reads without a callback, as TLS contexts (which set none) do.
// A BORINGSSL_UNSAFE_DETERMINISTIC_MODE build reads its fixed clock there (1234 s and 1234 us,
// ssl_ctx_get_current_time): the system's would put the second a fuzz seed was recorded in into
// the DTLS server's random, so the seed would replay to another transcript a second later.
void CurrentTime(const SSL*, timeval* now) {
  if (const std::optional<int64_t> virtual_us = VirtualWallTimeUs()) {
    now->tv_sec = static_cast<time_t>(*virtual_us / 1'000'000);
    now->tv_usec = static_cast<suseconds_t>(*virtual_us % 1'000'000);
    return;
  }
#if defined(BORINGSSL_UNSAFE_DETERMINISTIC_MODE)
  now->tv_sec = 1234;
  now->tv_usec = 1234;
#else
  gettimeofday(now, nullptr);
#endif
}
#endif

#if !defined(OPENSSL_IS_BORINGSSL)
// A stateless cookie: an HMAC over the client's transport address under a secret of the context.
// The in-memory link has no addresses, so every client is the same one here; over UDP the
// address would be the peer's.
constexpr char kClientAddress[] = "in-memory datagram peer";
constexpr unsigned int kCookieBytes = 16;

int SecretIndex() {
  static const int index = SSL_CTX_get_ex_new_index(
      0, nullptr, nullptr, nullptr,
      [](void*, void* secret, CRYPTO_EX_DATA*, int, long, void*) { OPENSSL_free(secret); });
  return index;
}

bool Cookie(SSL* ssl, unsigned char out[EVP_MAX_MD_SIZE], unsigned int* length) {
  const auto* secret =
      static_cast<const unsigned char*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), SecretIndex()));
  return secret != nullptr &&
         HMAC(EVP_sha256(), secret, 32, reinterpret_cast<const unsigned char*>(kClientAddress),
              sizeof kClientAddress - 1, out, length) != nullptr;
}

int GenerateCookie(SSL* ssl, unsigned char* cookie, unsigned int* length) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  if (!Cookie(ssl, mac, &mac_length)) return 0;
  std::memcpy(cookie, mac, kCookieBytes);
  *length = kCookieBytes;
  return 1;
}

int VerifyCookie(SSL* ssl, const unsigned char* cookie, unsigned int length) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  return Cookie(ssl, mac, &mac_length) && length == kCookieBytes &&
         CRYPTO_memcmp(cookie, mac, kCookieBytes) == 0;
}

absl::Status EnableCookies(SSL_CTX* ctx) {
  auto* secret = static_cast<unsigned char*>(OPENSSL_malloc(32));
  if (secret == nullptr || RAND_bytes(secret, 32) != 1) {
    OPENSSL_free(secret);
    return absl::InternalError("DTLS cookie secret: no random bytes");
  }
  SSL_CTX_set_ex_data(ctx, SecretIndex(), secret);
  SSL_CTX_set_cookie_generate_cb(ctx, GenerateCookie);
  SSL_CTX_set_cookie_verify_cb(ctx, VerifyCookie);
  SSL_CTX_set_options(ctx, SSL_OP_COOKIE_EXCHANGE);
  return absl::OkStatus();
}
#endif

int DtlsVersion(TlsVersion version) {
#if defined(DTLS1_3_VERSION)
  if (version == TlsVersion::kTls13) return DTLS1_3_VERSION;
#endif
  (void)version;
  return DTLS1_2_VERSION;
}

bool HasDtls13() {
#if defined(DTLS1_3_VERSION)
  return true;
#else
  return false;
#endif
}

}  // namespace

const SSL_METHOD* Method(Protocol protocol) {
  return protocol == Protocol::kDtls ? DTLS_method() : TLS_method();
}

absl::StatusOr<VersionRange> Versions(const EndpointConfig& config) {
  if (config.protocol == Protocol::kTls) {
    auto tls = [](TlsVersion v) {
      return v == TlsVersion::kTls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
    };
    return VersionRange{tls(config.min_version), tls(config.max_version)};
  }
  // The manifest says why a library lacks what the config asks for (dtls1.3, dtls:cid, ...).
  if (config.min_version == TlsVersion::kTls13 && !HasDtls13()) {
    MTLS_RETURN_IF_ERROR(RequireCapability("dtls1.3"));
  }
  return VersionRange{DtlsVersion(config.min_version), DtlsVersion(config.max_version)};
}

absl::Status ConfigureContext(SSL_CTX* ctx, const EndpointConfig& config) {
  if (config.protocol != Protocol::kDtls) return absl::OkStatus();
  if (config.dtls.connection_id) MTLS_RETURN_IF_ERROR(RequireCapability("dtls:cid"));
#if defined(OPENSSL_IS_BORINGSSL)
  if (config.dtls.cookie_exchange) MTLS_RETURN_IF_ERROR(RequireCapability("dtls:cookie"));
  SSL_CTX_set_current_time_cb(ctx, CurrentTime);
#else
  if (config.dtls.cookie_exchange && config.role == Role::kServer) return EnableCookies(ctx);
#endif
  return absl::OkStatus();
}

absl::Status ConfigureSession(SSL* ssl, Transport& transport) {
  auto* datagrams = dynamic_cast<DatagramTransport*>(&transport);
  if (datagrams == nullptr) return BadInput("DTLS needs a datagram transport");
#if !defined(OPENSSL_IS_BORINGSSL)
  // OpenSSL's timers read gettimeofday(): over a link in virtual time they must see that time.
  if (VirtualWallTimeUs() && !ClockInterposed()) {
    return Unsupported(
        "OpenSSL reads the system clock for DTLS timers and this program does not interpose "
        "it (mtls_os_determinism_interposer)");
  }
#endif
  // The link's MTU, not a guess from the socket (there is none).
  SSL_set_options(ssl, SSL_OP_NO_QUERY_MTU);
  // OpenSSL returns the MTU it took, BoringSSL 1; both 0 for one below their minimum.
  if (SSL_set_mtu(ssl, static_cast<long>(datagrams->mtu())) <= 0) {
    ERR_clear_error();
    return Unsupported(
        absl::StrCat("the library rejects a path MTU of ", datagrams->mtu(), " bytes"));
  }
  return absl::OkStatus();
}

std::optional<int64_t> RetransmissionTimeoutUs(SSL* ssl) {
  timeval remaining{};
  if (DTLSv1_get_timeout(ssl, &remaining) != 1) return std::nullopt;
  return static_cast<int64_t>(remaining.tv_sec) * 1'000'000 + remaining.tv_usec;
}

absl::Status HandleTimeout(SSL* ssl) {
  if (DTLSv1_handle_timeout(ssl) >= 0) return absl::OkStatus();
  return MakeError(absl::StatusCode::kDeadlineExceeded, ErrorClass::kHandshakeFailure,
                   "DTLS retransmission gave up: the peer did not answer");
}

}  // namespace mtls::openssl_dtls
