/* Mbed TLS 3.6's default configuration minus what needs an operating system (sockets, files,
 * timers, the OS entropy source): TLS 1.2 and 1.3, DTLS 1.2 (the firmware gives it the timer
 * callbacks MBEDTLS_TIMING_C would), PSK key exchanges, every curve, RSA and Ed25519-free X.509
 * as upstream ships it, 16 KiB records. Trades size for reach: the most peers and certificates, at
 * several times the flash and RAM of the minimal TLS 1.3 build.
 * Platform hooks (the firmware supplies them): allocator, clock and the entropy source. */
#include "mbedtls/mbedtls_config.h"

#undef MBEDTLS_NET_C
#undef MBEDTLS_TIMING_C
#undef MBEDTLS_FS_IO
#undef MBEDTLS_PSA_ITS_FILE_C
#undef MBEDTLS_PSA_CRYPTO_STORAGE_C
#undef MBEDTLS_AESNI_C
#undef MBEDTLS_PADLOCK_C
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_TIME_ALT
#define MBEDTLS_PLATFORM_MS_TIME_ALT
