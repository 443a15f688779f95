// Fields Mbed TLS 3.x marks private (MBEDTLS_PRIVATE) and 2.28 leaves public: the adapter reads
// the handshake state and a ciphersuite's key exchange, which neither version has a call for.
#pragma once

#include <mbedtls/version.h>
#include <mbedtls/ssl.h>

#ifndef MBEDTLS_PRIVATE
#define MBEDTLS_PRIVATE(member) member  // 2.28: every field is public
#endif
