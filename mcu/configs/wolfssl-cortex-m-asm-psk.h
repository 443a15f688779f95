/* wolfSSL 5.7 with its Cortex-M assembly (wolfssl-cortex-m-asm) and the external PSK suites
 * of (D)TLS 1.2 (TLS_PSK_*: a pre-shared key without (EC)DHE, WOLFSSL_STATIC_PSK), for devices
 * that authenticate with a key they share with their server. Trades heap for it: wolfSSL's PSK
 * support holds more per connection and per context, in certificate handshakes too. */
#include "wolfssl-common.h"
#define WOLFSSL_SP_ARM_CORTEX_M_ASM
#undef NO_PSK
#define WOLFSSL_STATIC_PSK
