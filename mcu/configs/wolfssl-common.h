/* wolfSSL 5.7 for a microcontroller, shared by the wolfssl-* configurations: TLS 1.2 and 1.3,
 * DTLS 1.2, both roles, ECDSA P-256 certificates, ECDHE on P-256 and X25519, AES-128-GCM, no
 * RSA, no operating system. The firmware supplies the I/O callbacks, the clock and the random
 * source. */
#define WOLFSSL_USER_IO
#define SINGLE_THREADED
#define NO_FILESYSTEM
#define NO_WRITEV
#define WOLFSSL_NO_SOCK
#define NO_DEV_RANDOM
#define WOLFSSL_SMALL_STACK
#define WOLFSSL_GENERAL_ALIGNMENT 4
#define SIZEOF_LONG_LONG 8

#define WOLFSSL_TLS13
/* DTLS 1.2 over the firmware's datagram link; WOLFSSL_DTLS_MTU lets it be told the path MTU
 * (without it wolfSSL packs datagrams for a fixed 1400 bytes). */
#define WOLFSSL_DTLS
#define WOLFSSL_DTLS_MTU
#define HAVE_TLS_EXTENSIONS
#define HAVE_SUPPORTED_CURVES
#define HAVE_SNI
#define HAVE_HKDF
#define HAVE_AEAD
#define HAVE_ENCRYPT_THEN_MAC
#define HAVE_EXTENDED_MASTER
#define WC_RSA_PSS
#define NO_OLD_TLS
#define KEEP_PEER_CERT
#define WOLFSSL_CERT_EXT

#define HAVE_ECC
#define ECC_TIMING_RESISTANT
#define ECC_USER_CURVES /* P-256 only */
#define HAVE_CURVE25519
#define HAVE_AESGCM
#define GCM_SMALL
#define WOLFSSL_SHA384
#define WOLFSSL_SHA512
#define NO_RSA
#define NO_DH
#define NO_DSA
#define NO_MD4
#define NO_RC4
#define NO_DES3
#define NO_PSK /* wolfssl-cortex-m-asm-psk has it: it costs heap in every handshake */
#define NO_PWDBASED
#define SMALL_SESSION_CACHE /* 6 sessions instead of 33: the default cache is most of the RAM */
#define NO_OLD_RNG_NAME
#define WOLFSSL_NO_ASN_STRICT_SIG_CHECK_WORKAROUND

/* Public-key math: wolfSSL's single-precision P-256 code on 32-bit words, built for speed: its
 * size switches (WOLFSSL_SP_SMALL, CURVED25519_SMALL) cost several times the instructions. */
#define WOLFSSL_SP_MATH_ALL
#define WOLFSSL_HAVE_SP_ECC
#define WOLFSSL_SP_NO_MALLOC
#define SP_WORD_SIZE 32
#define TFM_TIMING_RESISTANT

/* Platform hooks, defined by the firmware (mcu/harness/platform_hooks.cc). */
#include <stdint.h>
#include <time.h>
extern int MtlsFixedEntropy(unsigned char* output, unsigned int size);
extern time_t MtlsFixedTime(time_t* out);
#define CUSTOM_RAND_GENERATE_BLOCK MtlsFixedEntropy
#define USER_TIME
#define HAVE_TIME_T_TYPE
#define HAVE_TM_TYPE
#define XTIME MtlsFixedTime
