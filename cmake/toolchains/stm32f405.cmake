# stm32f405: a real board's image, for the STM32F405/F407 (Netduino Plus 2, STM32F4-Discovery):
# its own linker script (the chip's 1 MiB flash and 128 KiB SRAM) and console (USART1 and
# USART2, no semihosting needed), the Cortex-M4's library builds; on qemu's model of the Netduino
# Plus 2, the same image.
set(MTLS_MCU_ARCH cortex-m4)
set(MTLS_MCU_CPU_FLAGS "-mcpu=cortex-m4")
set(MTLS_MCU_BOARD netduinoplus2)
set(MTLS_MCU_LINKER_SCRIPT stm32f405.ld)
set(MTLS_MCU_CONSOLE stm32f405.c)
set(MTLS_MCU_SYSCALLS nosys)
# Both sides of a handshake share the chip: Mbed TLS's default configuration, with 16 KiB
# records each way, needs about 115 KiB of heap for the two, more than the 128 KiB SRAM leaves
# beside the links and the stack.
set(MTLS_MCU_CONFIGURATIONS_TOO_LARGE mbedtls-3.6-default-no-os)
include(${CMAKE_CURRENT_LIST_DIR}/bare-metal.cmake)
