// The mps2 boards' console: newlib's semihosting handles (librdimon), as the FPGA boards and
// qemu's models of them are run with a debugger or the emulator answering semihosting.
#include "board.h"
#include "console.h"
#include "semihosting.h"

extern void initialise_monitor_handles(void);

void BoardConsoleInit(void) { initialise_monitor_handles(); }

// From a fault handler: a BKPT there with nobody to answer would lock the core up.
void BoardConsolePanic(const char* text) {
  if (board_semihosting_answers) Semihost(kSysWrite0, (void*)text);
}

// qemu's model runs no real clock; the FPGA boards' depends on their image.
uint32_t BoardClockHz(void) { return 0; }
