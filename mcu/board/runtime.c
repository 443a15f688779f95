// Reset and fault handling for every board: the vector table, .data/.bss set-up, C++
// constructors, the command line (semihosting's SYS_GET_CMDLINE: none on a board without a
// debugger), the exit status (SYS_EXIT_EXTENDED), stack painting and the DWT cycle counter.
// Faults end the run with status 3 and a message, never a hang; a semihosting call with nobody
// to answer it fails instead of faulting, so one image serves the emulator and a bare board.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "console.h"
#include "semihosting.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[], __stack_limit[];
extern const uint16_t __text_start[], __text_end[];
// Constructors of C++ globals; run here, as -nostartfiles leaves out the C runtime's crti/crtn.
typedef void (*Constructor)(void);
extern Constructor __preinit_array_start[], __preinit_array_end[];
extern Constructor __init_array_start[], __init_array_end[];
int main(int argc, char** argv);

enum {
  kApplicationExit = 0x20026,  // ADP_Stopped_ApplicationExit
  kStackPaint = 0x5AC3A55Au,
  kMaxArgs = 32,
  kBkptSemihosting = 0xBEAB,  // the Thumb encoding of `bkpt 0xab`
};

// System control and debug registers (Armv7-M and Armv8-M Mainline).
#define kHfsr (*(volatile uint32_t*)0xE000ED2Cu)
#define kDemcr (*(volatile uint32_t*)0xE000EDFCu)
#define kDwtCtrl (*(volatile uint32_t*)0xE0001000u)
#define kDwtCyccnt (*(volatile uint32_t*)0xE0001004u)
static const uint32_t kHfsrDebugEvent = 1u << 31, kDemcrTraceEnable = 1u << 24,
                      kDwtCycleCountEnable = 1u;

int board_semihosting_answers;  // a debugger or the emulator answered the first call
static int cycles_counted;

void BoardExit(int status) {
  fflush(stdout);
  fflush(stderr);
  if (board_semihosting_answers) {
    uint32_t block[2] = {kApplicationExit, (uint32_t)status};
    Semihost(kSysExitExtended, block);
  }
  printf("mtls-mcu: exit status %d\n", status);
  fflush(stdout);
  for (;;) __asm__ volatile("wfi");
}

// Splits the semihosting command line at spaces (the harness's arguments have none); argc is
// 0 where nobody answers.
static int CommandLine(char* buffer, size_t size, char** argv) {
  uint32_t block[2] = {(uint32_t)(uintptr_t)buffer, (uint32_t)size};
  int argc = 0;
  if (Semihost(kSysGetCmdline, block) != 0) return 0;
  board_semihosting_answers = 1;
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

uint32_t BoardCycles(void) { return kDwtCyccnt; }
int BoardCountsCycles(void) { return cycles_counted; }

static void StartCycleCounter(void) {
  kDemcr |= kDemcrTraceEnable;
  kDwtCyccnt = 0;
  kDwtCtrl |= kDwtCycleCountEnable;
  uint32_t before = kDwtCyccnt;
  for (volatile int i = 0; i < 8; ++i) {
  }
  cycles_counted = kDwtCyccnt != before;
}

void Reset_Handler(void) {
  memcpy(__data_start, __data_load, (size_t)((char*)__data_end - (char*)__data_start));
  memset(__bss_start, 0, (size_t)((char*)__bss_end - (char*)__bss_start));
  // First, so that whatever fails after it knows whether an exit status can be passed on.
  static char command_line[512];
  static char* argv[kMaxArgs];
  int argc = CommandLine(command_line, sizeof command_line, argv);
  BoardConsoleInit();
  for (Constructor* c = __preinit_array_start; c < __preinit_array_end; ++c) (*c)();
  for (Constructor* c = __init_array_start; c < __init_array_end; ++c) (*c)();
  StartCycleCounter();
  BoardExit(main(argc, argv));
}

// The fault handler proper, with the exception frame the core stacked (r0..r3, r12, lr, pc,
// xPSR). A semihosting call that nobody answered (a BKPT with halting debug off escalates to
// HardFault; qemu without semihosting does the same) returns -1 to its caller; anything else
// ends the run with status 3.
void FaultWithFrame(uint32_t* frame) {
  // The stacked pc is read only where it points into the code: after a bad branch it may not.
  const uint16_t* pc = (const uint16_t*)frame[6];
  if (pc >= __text_start && pc < __text_end && *pc == kBkptSemihosting) {
    kHfsr = kHfsrDebugEvent;  // write one to clear what the escalation set
    frame[0] = (uint32_t)-1;
    frame[6] += 2;
    return;
  }
  BoardConsolePanic("firmware: processor fault (hard fault, bus fault or usage fault)\n");
  if (board_semihosting_answers) {
    uint32_t block[2] = {kApplicationExit, 3};
    Semihost(kSysExitExtended, block);
  }
  BoardConsolePanic("mtls-mcu: exit status 3\n");
  for (;;) {
  }
}

// Passes the stack the exception frame went to (MSP or PSP: bit 2 of EXC_RETURN).
__attribute__((naked)) static void Fault_Handler(void) {
  __asm__ volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "b FaultWithFrame\n");
}

// Cortex-M vector table: initial stack pointer, then the handlers; interrupts are not used.
__attribute__((section(".vectors"), used)) static void (*const kVectors[16])(void) = {
    (void (*)(void))__stack_top,
    Reset_Handler,
    Fault_Handler,  // NMI
    Fault_Handler,  // HardFault
    Fault_Handler,  // MemManage
    Fault_Handler,  // BusFault
    Fault_Handler,  // UsageFault
    Fault_Handler,  // SecureFault (Armv8-M)
    0,
    0,
    0,
    Fault_Handler,  // SVCall
    Fault_Handler,  // DebugMonitor
};
