#include "openssl_psk.h"

#include <openssl/err.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/status.h"
#include "openssl_types.h"
#include "openssl_x509.h"

namespace mtls::openssl_psk {
namespace {

using openssl_api::DrainErrors;

int ExchangeIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

Exchange& ExchangeOf(SSL* ssl) {
  return *static_cast<Exchange*>(SSL_get_ex_data(ssl, ExchangeIndex()));
}

// TLS 1.2 PSK suites (RFC 4279, 5489): BoringSSL has only their SHA-1 CBC variants.
const char* Tls12PskCiphers(PskKeyExchange key_exchange) {
  const bool dhe = key_exchange == PskKeyExchange::kDhe;
#if defined(OPENSSL_IS_BORINGSSL)
  return dhe ? "ECDHE-PSK-AES128-CBC-SHA" : "PSK-AES128-CBC-SHA";
#else
  return dhe ? "ECDHE-PSK-AES128-CBC-SHA256" : "PSK-AES128-GCM-SHA256";
#endif
}

unsigned int ClientTls12Psk(SSL* ssl, const char*, char* identity, unsigned int max_identity,
                            unsigned char* key, unsigned int max_key) {
  const ExternalPsk& psk = *ExchangeOf(ssl).psk;
  if (psk.identity.size() >= max_identity || psk.key.size() > max_key) return 0;
  memcpy(identity, psk.identity.c_str(), psk.identity.size() + 1);
  memcpy(key, psk.key.data(), psk.key.size());
  return static_cast<unsigned int>(psk.key.size());
}

unsigned int ServerTls12Psk(SSL* ssl, const char* identity, unsigned char* key,
                            unsigned int max_key) {
  Exchange& exchange = ExchangeOf(ssl);
  const ExternalPsk& psk = *exchange.psk;
  exchange.offered_identity = identity;
  if (identity != psk.identity || psk.key.size() > max_key) return 0;  // unknown: rejected
  memcpy(key, psk.key.data(), psk.key.size());
  return static_cast<unsigned int>(psk.key.size());
}

#if !defined(OPENSSL_IS_BORINGSSL)
// TLS 1.3 external PSKs are sessions made up from the key: TLS_AES_128_GCM_SHA256 (its hash is
// the PSK's, RFC 8446 section 4.2.11).
SSL_SESSION* NewTls13PskSession(SSL* ssl, const ExternalPsk& psk) {
  static constexpr unsigned char kAes128GcmSha256[] = {0x13, 0x01};
  const SSL_CIPHER* cipher = SSL_CIPHER_find(ssl, kAes128GcmSha256);
  openssl_api::SessionPtr session(SSL_SESSION_new());
  if (cipher == nullptr || !session ||
      SSL_SESSION_set1_master_key(session.get(), reinterpret_cast<const uint8_t*>(psk.key.data()),
                                  psk.key.size()) != 1 ||
      SSL_SESSION_set_cipher(session.get(), cipher) != 1 ||
      SSL_SESSION_set_protocol_version(session.get(), TLS1_3_VERSION) != 1) {
    return nullptr;
  }
  return session.release();
}

int ClientTls13Psk(SSL* ssl, const EVP_MD* md, const unsigned char** identity,
                   size_t* identity_length, SSL_SESSION** session) {
  const ExternalPsk& psk = *ExchangeOf(ssl).psk;
  *session = NewTls13PskSession(ssl, psk);
  if (*session == nullptr) return 0;
  if (md != nullptr && md != SSL_CIPHER_get_handshake_digest(SSL_SESSION_get0_cipher(*session))) {
    SSL_SESSION_free(*session);  // after a HelloRetryRequest for another hash: offer nothing
    *session = nullptr;
    return 1;
  }
  *identity = reinterpret_cast<const unsigned char*>(psk.identity.data());
  *identity_length = psk.identity.size();
  return 1;
}

int ServerTls13Psk(SSL* ssl, const unsigned char* identity, size_t identity_length,
                   SSL_SESSION** session) {
  Exchange& exchange = ExchangeOf(ssl);
  const ExternalPsk& psk = *exchange.psk;
  const std::string offered(reinterpret_cast<const char*>(identity), identity_length);
  exchange.offered_identity = offered;
  *session = offered == psk.identity ? NewTls13PskSession(ssl, psk) : nullptr;
  return offered != psk.identity || *session != nullptr;
}

absl::Status ConfigureTls13(SSL_CTX* ctx, const ExternalPsk& psk, Role role) {
  MTLS_RETURN_IF_ERROR(RequireCapability(PskFeature(psk.key_exchange, TlsVersion::kTls13)));
  const bool is_client = role == Role::kClient;
  // The suite's hash must be the PSK's, or the server skips the PSK.
  SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256");
  if (psk.key_exchange == PskKeyExchange::kPskOnly) {
    // Both sides must allow psk_ke; the server prefers it only when told (OpenSSL 3.3+).
    SSL_CTX_set_options(ctx, SSL_OP_ALLOW_NO_DHE_KEX);
#if defined(SSL_OP_PREFER_NO_DHE_KEX)
    if (!is_client) SSL_CTX_set_options(ctx, SSL_OP_PREFER_NO_DHE_KEX);
#endif
  }
  if (is_client) {
    SSL_CTX_set_psk_use_session_callback(ctx, ClientTls13Psk);
  } else {
    SSL_CTX_set_psk_find_session_callback(ctx, ServerTls13Psk);
  }
  return absl::OkStatus();
}
#else
absl::Status ConfigureTls13(SSL_CTX*, const ExternalPsk& psk, Role) {
  return RequireCapability(PskFeature(psk.key_exchange, TlsVersion::kTls13));
}
#endif

}  // namespace

absl::Status Configure(SSL_CTX* ctx, const ExternalPsk& psk, Role role, TlsVersion max_version) {
  if (max_version != TlsVersion::kTls12) return ConfigureTls13(ctx, psk, role);
  if (SSL_CTX_set_cipher_list(ctx, Tls12PskCiphers(psk.key_exchange)) != 1) {
    return Unsupported(absl::StrCat("no TLS 1.2 PSK suite ", Tls12PskCiphers(psk.key_exchange),
                                    ": ", DrainErrors()));
  }
  if (role == Role::kClient) {
    SSL_CTX_set_psk_client_callback(ctx, ClientTls12Psk);
  } else {
    SSL_CTX_set_psk_server_callback(ctx, ServerTls12Psk);
  }
  return absl::OkStatus();
}

void Attach(SSL* ssl, Exchange* exchange) { SSL_set_ex_data(ssl, ExchangeIndex(), exchange); }

bool Used(SSL* ssl) {
  if (SSL_version(ssl) == TLS1_3_VERSION) return SSL_session_reused(ssl) == 1;
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  return cipher != nullptr && SSL_CIPHER_get_auth_nid(cipher) == NID_auth_psk;
}

std::optional<std::string> Rejection(const Exchange& exchange,
                                     const std::vector<unsigned long>& errors) {
  if (exchange.psk == nullptr) return std::nullopt;
  if (!exchange.offered_identity.empty() && exchange.offered_identity != exchange.psk->identity) {
    return absl::StrCat("unknown PSK identity '", exchange.offered_identity, "'");
  }
  for (unsigned long error : errors) {
    if (ERR_GET_LIB(error) != ERR_LIB_SSL) continue;
    switch (ERR_GET_REASON(error)) {
#if defined(SSL_R_BINDER_DOES_NOT_VERIFY)
      case SSL_R_BINDER_DOES_NOT_VERIFY:  // TLS 1.3: the binder proves the key
#endif
      case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:  // TLS 1.2: Finished under another key
        return "the peer did not prove the PSK";
      default:
        break;
    }
  }
  return std::nullopt;
}

}  // namespace mtls::openssl_psk
