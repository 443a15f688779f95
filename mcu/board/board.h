// What the firmware needs from the board beyond newlib: its command line and exit status
// (semihosting, where a debugger or the emulator provides it), stack painting for peak stack,
// and the core's cycle counter.
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Ends the program: the emulator (or the debugger) exits with `status`; on a board without
// one, a last console line says the status and the core idles.
__attribute__((noreturn)) void BoardExit(int status);

// Fills the stack below the caller's frame with a known pattern; BoardStackPeak() then returns
// how many bytes below that frame were overwritten since (the deepest use of what ran between).
void BoardPaintStack(void);
size_t BoardStackPeak(void);

// The core's cycle counter (DWT_CYCCNT, 32 bits, wrapping), and whether it counts: qemu models
// none (it reads 0), so cycles are reported only where a real core counted them.
uint32_t BoardCycles(void);
int BoardCountsCycles(void);

// The core's clock in Hz as the board set it up, 0 where unknown (an emulated board).
uint32_t BoardClockHz(void);

#ifdef __cplusplus
}
#endif
