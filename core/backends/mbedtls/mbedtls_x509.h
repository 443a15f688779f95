// Mbed TLS verification results in the core's terms, shared by the handshake and the
// stand-alone certificate checks (mtls/x509_check.h).
#pragma once

#include <cstdint>

#include "mtls/status.h"

namespace mtls::mbedtls_x509 {

// The error class of mbedtls_x509_crt_verify flags (MBEDTLS_X509_BADCERT_*).
ErrorClass ClassifyVerifyFlags(uint32_t flags);

}  // namespace mtls::mbedtls_x509
