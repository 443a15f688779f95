// What the firmware needs from the board beyond newlib: its command line and exit status
// (semihosting: the emulator's command line and exit code), and stack painting for peak stack.
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// Ends the program; the emulator exits with `status`.
__attribute__((noreturn)) void BoardExit(int status);

// Fills the stack below the caller's frame with a known pattern; BoardStackPeak() then returns
// how many bytes below that frame were overwritten since (the deepest use of what ran between).
void BoardPaintStack(void);
size_t BoardStackPeak(void);

#ifdef __cplusplus
}
#endif
