// External PSK authentication on Mbed TLS (mbedtls_psk.h).
#include "mbedtls_psk.h"

#include <mbedtls/error.h>
#include <mbedtls/ssl_ciphersuites.h>

#include "mbedtls_private.h"

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/status.h"

namespace mtls::mbedtls_adapter {

absl::Status ConfigurePsk(mbedtls_ssl_config* conf, const EndpointConfig& config,
                          std::vector<int>& suites, PskCallback server_callback,
                          void* callback_state) {
  const ExternalPsk& psk = *config.psk;
  MTLS_RETURN_IF_ERROR(RequireCapability(PskFeature(psk.key_exchange, config.max_version)));
  const bool dhe = psk.key_exchange == PskKeyExchange::kDhe;
  if (config.max_version == TlsVersion::kTls12) {
    suites = {dhe ? MBEDTLS_TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256
                  : MBEDTLS_TLS_PSK_WITH_AES_128_GCM_SHA256,
              0};
  } else {
#if MBEDTLS_VERSION_MAJOR >= 3
    suites = {MBEDTLS_TLS1_3_AES_128_GCM_SHA256, 0};  // SHA-256: the PSK's hash
    mbedtls_ssl_conf_tls13_key_exchange_modes(
        conf, dhe ? MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL
                  : MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK);
#endif
  }
  mbedtls_ssl_conf_ciphersuites(conf, suites.data());
  if (config.role == Role::kServer) {
    mbedtls_ssl_conf_psk_cb(conf, server_callback, callback_state);
    return absl::OkStatus();
  }
  if (int rc = mbedtls_ssl_conf_psk(
          conf, reinterpret_cast<const unsigned char*>(psk.key.data()), psk.key.size(),
          reinterpret_cast<const unsigned char*>(psk.identity.data()), psk.identity.size());
      rc != 0) {
    char text[256];
    mbedtls_strerror(rc, text, sizeof(text));
    return Unsupported(absl::StrCat("PSK not usable: ", text));
  }
  return absl::OkStatus();
}

int AcceptPsk(const ExternalPsk& psk, mbedtls_ssl_context* ssl, const std::string& identity) {
  if (identity != psk.identity) return -1;
  return mbedtls_ssl_set_hs_psk(ssl, reinterpret_cast<const unsigned char*>(psk.key.data()),
                                psk.key.size());
}

Tls12PskUse Tls12PskUseOf(const mbedtls_ssl_context* ssl) {
  const mbedtls_ssl_ciphersuite_t* suite = mbedtls_ssl_ciphersuite_from_id(
      mbedtls_ssl_get_ciphersuite_id(mbedtls_ssl_get_ciphersuite(ssl)));
  if (suite == nullptr) return {};
  const auto key_exchange =
      static_cast<mbedtls_key_exchange_type_t>(suite->MBEDTLS_PRIVATE(key_exchange));
  return {
      key_exchange == MBEDTLS_KEY_EXCHANGE_PSK || key_exchange == MBEDTLS_KEY_EXCHANGE_ECDHE_PSK,
      key_exchange == MBEDTLS_KEY_EXCHANGE_ECDHE_PSK};
}

std::optional<std::string> PskRejection(const ExternalPsk& psk, int rc,
                                        const std::string& offered_identity) {
  if (rc == MBEDTLS_ERR_SSL_UNKNOWN_IDENTITY ||
      (!offered_identity.empty() && offered_identity != psk.identity)) {
    return offered_identity.empty() ? std::string("unknown PSK identity")
                                    : absl::StrCat("unknown PSK identity '", offered_identity, "'");
  }
#if MBEDTLS_VERSION_MAJOR >= 3
  const bool key_not_proven =
      rc == MBEDTLS_ERR_SSL_INVALID_MAC || rc == MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE;
#else
  const bool key_not_proven =
      rc == MBEDTLS_ERR_SSL_INVALID_MAC || rc == MBEDTLS_ERR_SSL_BAD_HS_FINISHED;
#endif
  if (key_not_proven) return std::string("the peer did not prove the PSK");
  return std::nullopt;
}

}  // namespace mtls::mbedtls_adapter
