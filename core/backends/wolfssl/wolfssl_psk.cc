// External PSKs on wolfSSL. Evidence comes from the library: the identity is what wolfSSL
// recorded in its handshake arrays (the client's callback filled it in; the server copied it from
// the ClientHello / ClientKeyExchange before asking its callback for the key), and use of the key
// is what the negotiated session shows (see Evidence).
#include "wolfssl_psk.h"

#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/status.h"
#include "wolfssl_dtls.h"

namespace mtls::wolfssl_psk {
namespace {

constexpr const char* kTls13PskSuite = "TLS13-AES128-GCM-SHA256";  // the PSK's hash

const ExternalPsk& PskOf(WOLFSSL* ssl) {
  return *static_cast<const ExternalPsk*>(wolfSSL_get_psk_callback_ctx(ssl));
}

// Copies the key into the library's buffer; 0 (= no key) when it does not fit.
unsigned int CopyKey(const ExternalPsk& psk, unsigned char* key, unsigned int max_key) {
  if (psk.key.size() > max_key) return 0;
  memcpy(key, psk.key.data(), psk.key.size());
  return static_cast<unsigned int>(psk.key.size());
}

unsigned int ClientTls12Psk(WOLFSSL* ssl, const char*, char* identity, unsigned int max_identity,
                            unsigned char* key, unsigned int max_key) {
  const ExternalPsk& psk = PskOf(ssl);
  if (psk.identity.size() >= max_identity) return 0;
  memcpy(identity, psk.identity.c_str(), psk.identity.size() + 1);
  return CopyKey(psk, key, max_key);
}

unsigned int ClientTls13Psk(WOLFSSL* ssl, const char* hint, char* identity,
                            unsigned int max_identity, unsigned char* key, unsigned int max_key,
                            const char** suite) {
  *suite = kTls13PskSuite;
  return ClientTls12Psk(ssl, hint, identity, max_identity, key, max_key);
}

// The server keys only our identity: any other gets no key, and the library refuses it.
unsigned int ServerTls12Psk(WOLFSSL* ssl, const char* identity, unsigned char* key,
                            unsigned int max_key) {
  const ExternalPsk& psk = PskOf(ssl);
  return identity != nullptr && identity == psk.identity ? CopyKey(psk, key, max_key) : 0;
}

unsigned int ServerTls13Psk(WOLFSSL* ssl, const char* identity, unsigned char* key,
                            unsigned int max_key, const char** suite) {
  *suite = kTls13PskSuite;
  return ServerTls12Psk(ssl, identity, key, max_key);
}

std::string RecordedIdentity(WOLFSSL* ssl) {
  const char* identity = wolfSSL_get_psk_identity(ssl);
  return identity != nullptr ? identity : "";
}

}  // namespace

absl::Status Configure(WOLFSSL_CTX* ctx, const EndpointConfig& config) {
  const ExternalPsk& psk = *config.psk;
  MTLS_RETURN_IF_ERROR(RequireCapability(PskFeature(psk.key_exchange, config.max_version)));
  const bool dhe = psk.key_exchange == PskKeyExchange::kDhe;
  const bool tls13 = config.max_version == TlsVersion::kTls13;
  const char* suites = tls13 ? kTls13PskSuite
                       : dhe ? "ECDHE-PSK-AES128-CBC-SHA256"
                             : "PSK-AES128-GCM-SHA256";
  if (wolfSSL_CTX_set_cipher_list(ctx, suites) != WOLFSSL_SUCCESS) {
    return Unsupported(absl::StrCat("this wolfSSL build lacks ", suites));
  }
  if (tls13 && !dhe) wolfSSL_CTX_no_dhe_psk(ctx);
  const bool is_client = config.role == Role::kClient;
  // TLS 1.2 PSK suites carry no certificates: a server asking for one would fail them.
  if (!is_client && !tls13) wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_NONE, nullptr);
  if (is_client && tls13) {
    wolfSSL_CTX_set_psk_client_tls13_callback(ctx, ClientTls13Psk);
  } else if (is_client) {
    wolfSSL_CTX_set_psk_client_callback(ctx, ClientTls12Psk);
  } else if (tls13) {
    wolfSSL_CTX_set_psk_server_tls13_callback(ctx, ServerTls13Psk);
  } else {
    wolfSSL_CTX_set_psk_server_callback(ctx, ServerTls12Psk);
  }
  return absl::OkStatus();
}

void Attach(WOLFSSL* ssl, const ExternalPsk& psk) {
  wolfSSL_set_psk_callback_ctx(ssl, const_cast<ExternalPsk*>(&psk));
  wolfSSL_KeepArrays(ssl);
}

PskUse Evidence(WOLFSSL* ssl) {
  PskUse use;
  if (wolfssl_dtls::NegotiatedVersion13(ssl)) {
    // A TLS 1.3 handshake authenticates with a certificate, a resumption ticket or an external
    // PSK. wolfSSL reports ticket resumption (wolfSSL_session_reused) and keeps the peer's chain
    // (SESSION_CERTS); the PSK configuration requires a peer certificate in a certificate
    // handshake (a server: WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT; a client: always), so a completed
    // handshake that neither resumed nor received a chain authenticated with the external PSK.
    WOLFSSL_X509_CHAIN* chain = wolfSSL_get_peer_chain(ssl);
    const bool certificate = chain != nullptr && wolfSSL_get_chain_count(chain) > 0;
    use.used = wolfSSL_session_reused(ssl) != 1 && !certificate;
  } else {
    // TLS 1.2: the negotiated suite says it (TLS_PSK_* / TLS_ECDHE_PSK_*).
    const char* suite = wolfSSL_get_cipher_name(ssl);
    use.used = suite != nullptr && absl::StrContains(suite, "PSK");
  }
  if (use.used) use.identity = RecordedIdentity(ssl);
  if (use.identity.empty()) use.used = false;
  wolfSSL_FreeArrays(ssl);
  return use;
}

std::optional<std::string> Rejection(WOLFSSL* ssl, const ExternalPsk& psk, int error) {
  const std::string offered = RecordedIdentity(ssl);
  if (!offered.empty() && offered != psk.identity) {
    return absl::StrCat("unknown PSK identity '", offered, "'");
  }
  if (error == BAD_BINDER || error == VERIFY_FINISHED_ERROR || error == VERIFY_MAC_ERROR ||
      error == DECRYPT_ERROR) {
    return "the peer did not prove the PSK";  // TLS 1.3: the binder; TLS 1.2: Finished
  }
  return std::nullopt;
}

}  // namespace mtls::wolfssl_psk
