/* wolfSSL 5.7 with the P-256 math in portable C (sp_c32.c): runs on any 32-bit core (Cortex-M0
 * too, RISC-V), the same code as a desktop build. Trades speed for portability: several times
 * the instructions per handshake of the Cortex-M assembly. */
#include "wolfssl-common.h"
