# aarch64: 64-bit Arm, Cortex-A53 class (Raspberry Pi 3/Zero 2, i.MX8M, many gateways).
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(MTLS_TARGET_ARCH aarch64)
set(MTLS_TARGET_TRIPLET aarch64-linux-gnu)
set(MTLS_TARGET_CPU_FLAGS "-mcpu=cortex-a53")
set(MTLS_QEMU qemu-aarch64)
set(MTLS_QEMU_CPU cortex-a53)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
