# riscv64: RV64GC Linux class (SiFive U54, StarFive JH7110, Allwinner D1).
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(MTLS_TARGET_ARCH riscv64)
set(MTLS_TARGET_TRIPLET riscv64-linux-gnu)
set(MTLS_TARGET_CPU_FLAGS "-march=rv64gc")
set(MTLS_QEMU qemu-riscv64)
set(MTLS_QEMU_CPU rv64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
