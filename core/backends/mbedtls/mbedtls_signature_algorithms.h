// Signature-algorithm lists (EndpointConfig::signature_algorithms) on Mbed TLS.
#pragma once

#include <mbedtls/version.h>
#include <mbedtls/ssl.h>

#include <cstdint>
#include <vector>

#include "absl/status/status.h"

namespace mtls::mbedtls_adapter {

// What the library keeps a pointer to: it must live as long as the configuration.
struct SignatureAlgorithmList {
  std::vector<uint16_t> code_points;  // 3.x: code points, MBEDTLS_TLS1_3_SIG_NONE-terminated
  std::vector<int> hashes;            // 2.28: MBEDTLS_MD_* hashes, MBEDTLS_MD_NONE-terminated
};

// Restricts what `conf` offers and accepts to `code_points` (empty: the library's default).
// Unimplemented, naming the code point, for one the library cannot use.
absl::Status ConfigureSignatureAlgorithms(mbedtls_ssl_config* conf,
                                          const std::vector<uint16_t>& code_points,
                                          SignatureAlgorithmList& list);

}  // namespace mtls::mbedtls_adapter
