// What each board file provides (mps2.c: semihosting; stm32f405.c: its UARTs) beyond board.h's
// BoardClockHz: the console, for runtime.c.
#pragma once

// Sets up stdout and stderr before main.
void BoardConsoleInit(void);
// Writes a NUL-terminated message without newlib (from a fault handler).
void BoardConsolePanic(const char* text);
