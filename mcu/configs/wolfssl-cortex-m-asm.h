/* wolfSSL 5.7 with its Cortex-M assembly for the P-256 math (sp_cortexm.c, WOLFSSL_SP_ARM_CORTEX_M_ASM):
 * what wolfSSL recommends for Cortex-M3/M4/M33 parts. Trades portability for speed: several
 * times fewer instructions per handshake than portable C, with a little more flash; Thumb-2
 * only (not Cortex-M0). */
#include "wolfssl-common.h"
#define WOLFSSL_SP_ARM_CORTEX_M_ASM
