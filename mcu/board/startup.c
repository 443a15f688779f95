// Reset and fault handling for the mps2 boards: the vector table, .data/.bss set-up, newlib's
// semihosting handles, the command line from the emulator (SYS_GET_CMDLINE), and exit codes
// through SYS_EXIT_EXTENDED. Faults end the run with status 3 and a message, never a hang.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[], __stack_limit[];
// Constructors of C++ globals; run here, as -nostartfiles leaves out the C runtime's crti/crtn.
typedef void (*Constructor)(void);
extern Constructor __preinit_array_start[], __preinit_array_end[];
extern Constructor __init_array_start[], __init_array_end[];
extern void initialise_monitor_handles(void);
int main(int argc, char** argv);

enum {
  kSysWrite0 = 0x04,
  kSysGetCmdline = 0x15,
  kSysExitExtended = 0x20,
  kApplicationExit = 0x20026,  // ADP_Stopped_ApplicationExit
  kStackPaint = 0x5AC3A55Au,
  kMaxArgs = 32,
};

static int Semihost(int operation, void* argument) {
  register int r0 __asm__("r0") = operation;
  register void* r1 __asm__("r1") = argument;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void BoardExit(int status) {
  fflush(stdout);
  fflush(stderr);
  uint32_t block[2] = {kApplicationExit, (uint32_t)status};
  Semihost(kSysExitExtended, block);
  for (;;) {
  }
}

// Splits the emulator-supplied command line at spaces (the harness's arguments have none).
static int CommandLine(char* buffer, size_t size, char** argv) {
  uint32_t block[2] = {(uint32_t)(uintptr_t)buffer, (uint32_t)size};
  int argc = 0;
  if (Semihost(kSysGetCmdline, block) != 0) return 0;
  for (char* token = strtok(buffer, " "); token != NULL && argc < kMaxArgs - 1;
       token = strtok(NULL, " ")) {
    argv[argc++] = token;
  }
  argv[argc] = NULL;
  return argc;
}

static uint32_t* painted_from;

void BoardPaintStack(void) {
  uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  painted_from = sp - 16;  // this function's own frame stays untouched
  for (uint32_t* word = __stack_limit; word < painted_from; ++word) *word = kStackPaint;
}

size_t BoardStackPeak(void) {
  uint32_t* word = __stack_limit;
  while (word < painted_from && *word == kStackPaint) ++word;
  return (size_t)((char*)painted_from - (char*)word);
}

void Reset_Handler(void) {
  memcpy(__data_start, __data_load, (size_t)((char*)__data_end - (char*)__data_start));
  memset(__bss_start, 0, (size_t)((char*)__bss_end - (char*)__bss_start));
  initialise_monitor_handles();
  for (Constructor* c = __preinit_array_start; c < __preinit_array_end; ++c) (*c)();
  for (Constructor* c = __init_array_start; c < __init_array_end; ++c) (*c)();
  static char command_line[512];
  static char* argv[kMaxArgs];
  int argc = CommandLine(command_line, sizeof command_line, argv);
  BoardExit(main(argc, argv));
}

static void Fault_Handler(void) {
  Semihost(kSysWrite0, "firmware: processor fault (hard fault, bus fault or usage fault)\n");
  BoardExit(3);
}

// Cortex-M vector table: initial stack pointer, then the handlers; interrupts are not used.
__attribute__((section(".vectors"), used)) static void (*const kVectors[16])(void) = {
    (void (*)(void))__stack_top,
    Reset_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler};
