# cortex-m4: Armv7E-M microcontroller (STM32F4, nRF52, i.MX RT5xx class), on qemu's mps2-an386.
set(MTLS_MCU_ARCH cortex-m4)
set(MTLS_MCU_CPU_FLAGS "-mcpu=cortex-m4")
set(MTLS_MCU_BOARD mps2-an386)
include(${CMAKE_CURRENT_LIST_DIR}/bare-metal.cmake)
