// External PSK authentication on Mbed TLS: what a context allows, and what a handshake proved.
#pragma once

#include <mbedtls/version.h>
#include <mbedtls/ssl.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mtls/config.h"

namespace mtls::mbedtls_adapter {

// The server's PSK callback (mbedtls_ssl_conf_psk_cb): the library passes the identity the client
// sent; a callback that accepts it sets the key with mbedtls_ssl_set_hs_psk and returns 0.
using PskCallback = int (*)(void*, mbedtls_ssl_context*, const unsigned char*, size_t);

// Only PSK suites (TLS 1.2) or the PSK key exchange mode asked for (TLS 1.3): nothing else can
// complete. `suites` keeps the ciphersuite list the library points to.
absl::Status ConfigurePsk(mbedtls_ssl_config* conf, const EndpointConfig& config,
                          std::vector<int>& suites, PskCallback server_callback,
                          void* callback_state);

// Server side: sets the key for `identity` when it is the configured one; what the PSK callback
// returns (0: accepted).
int AcceptPsk(const ExternalPsk& psk, mbedtls_ssl_context* ssl, const std::string& identity);

// TLS 1.2: whether the suite the library negotiated authenticates with a PSK, and whether its key
// exchange adds an ECDHE (ECDHE_PSK) or not (plain PSK).
struct Tls12PskUse {
  bool psk = false;
  bool ecdhe = false;
};
Tls12PskUse Tls12PskUseOf(const mbedtls_ssl_context* ssl);

// Why a PSK handshake failed on the PSK, if it did: an identity the server does not know, or a
// key that does not match (TLS 1.3: the binder; TLS 1.2: Finished under other keys).
std::optional<std::string> PskRejection(const ExternalPsk& psk, int rc,
                                        const std::string& offered_identity);

}  // namespace mtls::mbedtls_adapter
