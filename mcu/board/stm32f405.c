// STM32F405/F407 boards (Netduino Plus 2, STM32F4-Discovery, and qemu's netduinoplus2): the
// console on USART1 (PA9 TX, PA10 RX) and USART2 (PA2 TX, PA3 RX) at 115200 8N1, whichever the
// user wires to a serial adapter, and the newlib system calls behind it (nosys.specs: no
// semihosting needed). The core runs on its reset clock, the 16 MHz internal oscillator, where
// flash needs no wait states: cycles are not inflated by them.
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "board.h"
#include "console.h"

#define kRegister(address) (*(volatile uint32_t*)(address))
#define kRccAhb1Enable kRegister(0x40023830u)
#define kRccApb1Enable kRegister(0x40023840u)
#define kRccApb2Enable kRegister(0x40023844u)
#define kGpioaMode kRegister(0x40020000u)
#define kGpioaAlternateLow kRegister(0x40020020u)
#define kGpioaAlternateHigh kRegister(0x40020024u)

enum {
  kUsart1 = 0x40011000u,
  kUsart2 = 0x40004400u,
  kStatus = 0x00,   // USART_SR
  kData = 0x04,     // USART_DR
  kBaud = 0x08,     // USART_BRR
  kControl = 0x0C,  // USART_CR1
  kTransmitEmpty = 1u << 7,
  kTransmitComplete = 1u << 6,
  kEnable = (1u << 13) | (1u << 3) | (1u << 2),  // UE, TE, RE
  // 16 MHz / (16 x 115200) = 8.68: mantissa 8, fraction 11/16 (115,108 baud, -0.08 %)
  kBaud115200At16MHz = (8u << 4) | 11u,
  kAlternateFunctionUsart = 7,
};

static const uint32_t kUsarts[] = {kUsart1, kUsart2};

static void SetAlternateFunction(unsigned pin) {
  kGpioaMode = (kGpioaMode & ~(3u << (2 * pin))) | (2u << (2 * pin));
  volatile uint32_t* afr = pin < 8 ? &kGpioaAlternateLow : &kGpioaAlternateHigh;
  unsigned shift = 4 * (pin % 8);
  *afr = (*afr & ~(15u << shift)) | ((uint32_t)kAlternateFunctionUsart << shift);
}

uint32_t BoardClockHz(void) { return 16000000u; }  // the reset clock: HSI, no PLL

void BoardConsoleInit(void) {
  kRccAhb1Enable |= 1u << 0;   // GPIOA
  kRccApb2Enable |= 1u << 4;   // USART1
  kRccApb1Enable |= 1u << 17;  // USART2
  const unsigned pins[] = {2, 3, 9, 10};
  for (unsigned i = 0; i < sizeof pins / sizeof pins[0]; ++i) SetAlternateFunction(pins[i]);
  for (unsigned i = 0; i < sizeof kUsarts / sizeof kUsarts[0]; ++i) {
    kRegister(kUsarts[i] + kBaud) = kBaud115200At16MHz;
    kRegister(kUsarts[i] + kControl) = kEnable;
  }
}

static void PutChar(char c) {
  for (unsigned i = 0; i < sizeof kUsarts / sizeof kUsarts[0]; ++i) {
    while ((kRegister(kUsarts[i] + kStatus) & kTransmitEmpty) == 0) {
    }
    kRegister(kUsarts[i] + kData) = (uint8_t)c;
  }
}

// A serial terminal's line ends: "\r\n".
static void PutText(const char* text, int length) {
  for (int i = 0; i < length; ++i) {
    if (text[i] == '\n') PutChar('\r');
    PutChar(text[i]);
  }
}

void BoardConsolePanic(const char* text) {
  int length = 0;
  while (text[length] != '\0') ++length;
  PutText(text, length);
}

// newlib's system calls: stdout and stderr go to the console; nothing is read; the heap grows
// from the end of .bss up to the stack's reserve.
extern char end[];
extern uint32_t __stack_limit[];

int _write(int file, const char* data, int length) {
  if (file != 1 && file != 2) {
    errno = EBADF;
    return -1;
  }
  PutText(data, length);
  for (unsigned i = 0; i < sizeof kUsarts / sizeof kUsarts[0]; ++i) {
    while ((kRegister(kUsarts[i] + kStatus) & kTransmitComplete) == 0) {
    }
  }
  return length;
}

void* _sbrk(ptrdiff_t increment) {
  static char* heap_end = end;
  if (increment > (char*)__stack_limit - heap_end) {
    errno = ENOMEM;
    return (void*)-1;
  }
  char* previous = heap_end;
  heap_end += increment;
  return previous;
}

int _read(int file, char* data, int length) {
  (void)file, (void)data, (void)length;
  return 0;
}

int _close(int file) {
  (void)file;
  errno = EBADF;
  return -1;
}

int _fstat(int file, struct stat* status) {
  (void)file;
  status->st_mode = S_IFCHR;
  return 0;
}

int _isatty(int file) { return file >= 0 && file <= 2; }

int _lseek(int file, int offset, int whence) {
  (void)file, (void)offset, (void)whence;
  errno = ESPIPE;
  return -1;
}

void _exit(int status) { BoardExit(status); }

int _kill(int pid, int signal) {
  (void)pid, (void)signal;
  errno = EINVAL;
  return -1;
}

int _getpid(void) { return 1; }
