# armhf: 32-bit Arm, hard float, Cortex-A7 class (Raspberry Pi 2, i.MX7, STM32MP1).
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(MTLS_TARGET_ARCH armhf)
set(MTLS_TARGET_TRIPLET arm-linux-gnueabihf)
set(MTLS_TARGET_CPU_FLAGS "-mcpu=cortex-a7 -mfpu=neon-vfpv4")
set(MTLS_QEMU qemu-arm)
set(MTLS_QEMU_CPU cortex-a7)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
