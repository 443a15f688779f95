# Shared part of the bare-metal toolchain files: Debian's gcc-arm-none-eabi with newlib-nano, the
# project's own startup code, console and linker script (mcu/board), and qemu-system-arm as
# CMAKE_CROSSCOMPILING_EMULATOR so CTest runs the firmware on an emulated board.
# Inputs (set by the per-board file): MTLS_MCU_ARCH (the CPU, whose library builds the firmware
# links), MTLS_MCU_CPU_FLAGS, MTLS_MCU_BOARD (qemu's name for the board), MTLS_MCU_LINKER_SCRIPT
# and MTLS_MCU_CONSOLE (mcu/board files), MTLS_MCU_SYSCALLS (newlib's system calls: rdimon,
# semihosting's; nosys, the console file's own).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
# No operating system to link a test program against: CMake's compiler checks build archives.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(MTLS_BARE_METAL ON)
set(MTLS_TARGET_ARCH ${MTLS_MCU_ARCH})

# Soft float: TLS does no floating point, and the same multilib serves parts without an FPU.
set(CMAKE_C_FLAGS_INIT "${MTLS_MCU_CPU_FLAGS} -mthumb -mfloat-abi=soft -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT "${CMAKE_C_FLAGS_INIT} -fno-exceptions -fno-rtti -fno-threadsafe-statics")
# newlib-nano and the board's system calls; what no code path reaches is left out of flash.
if(NOT DEFINED MTLS_MCU_SYSCALLS)
  set(MTLS_MCU_SYSCALLS rdimon)
endif()
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "--specs=nano.specs --specs=${MTLS_MCU_SYSCALLS}.specs -nostartfiles -Wl,--gc-sections")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

# The firmware runs on qemu's model of the board; its command line arrives through semihosting.
# (A board file's own MTLS_MCU_LINKER_SCRIPT and MTLS_MCU_CONSOLE: mps2's by default.)
if(NOT DEFINED MTLS_MCU_LINKER_SCRIPT)
  set(MTLS_MCU_LINKER_SCRIPT ${MTLS_MCU_BOARD}.ld)
  set(MTLS_MCU_CONSOLE mps2.c)
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../mcu/board/run-on-qemu ${MTLS_MCU_BOARD})
