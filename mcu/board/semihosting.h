// Arm semihosting: a `bkpt 0xab` that the emulator or an attached debugger answers. Without
// either, the core takes a HardFault, which runtime.c turns into a failed call (r0 = -1).
#pragma once

// Whether a debugger or the emulator answered the firmware's first call (runtime.c): without
// one, every call would take a HardFault.
extern int board_semihosting_answers;

enum {
  kSysWrite0 = 0x04,
  kSysGetCmdline = 0x15,
  kSysExitExtended = 0x20,
};

static inline int Semihost(int operation, void* argument) {
  register int r0 __asm__("r0") = operation;
  register void* r1 __asm__("r1") = argument;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
