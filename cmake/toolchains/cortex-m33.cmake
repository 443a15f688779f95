# cortex-m33: Armv8-M Mainline microcontroller with TrustZone (STM32L5/U5, nRF91, LPC55 class), on
# qemu's mps2-an505; the firmware runs in the secure state, where the core starts.
set(MTLS_MCU_ARCH cortex-m33)
set(MTLS_MCU_CPU_FLAGS "-mcpu=cortex-m33")
set(MTLS_MCU_BOARD mps2-an505)
include(${CMAKE_CURRENT_LIST_DIR}/bare-metal.cmake)
