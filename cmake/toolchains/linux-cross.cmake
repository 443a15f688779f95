# Shared part of the Linux cross toolchain files: Debian's cross g++ with its own libc
# (/usr/<triplet>), the target's libraries from the sysroot scripts/sysroot unpacks, and qemu-user
# as CMAKE_CROSSCOMPILING_EMULATOR so CTest runs the target's binaries on this machine.
# Inputs (set by the per-arch file): MTLS_TARGET_ARCH, MTLS_TARGET_TRIPLET, MTLS_TARGET_CPU_FLAGS,
# MTLS_QEMU, MTLS_QEMU_CPU. MTLS_SYSROOT may be given on the command line or in the environment.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${MTLS_TARGET_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${MTLS_TARGET_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${MTLS_TARGET_TRIPLET})

if(NOT MTLS_SYSROOT)
  if(DEFINED ENV{MTLS_SYSROOT})
    set(MTLS_SYSROOT "$ENV{MTLS_SYSROOT}")
  else()
    set(MTLS_SYSROOT "$ENV{HOME}/.cache/mtls-bench/sysroot/${MTLS_TARGET_ARCH}")
  endif()
endif()
set(MTLS_SYSROOT "${MTLS_SYSROOT}" CACHE PATH "Target libraries unpacked by scripts/sysroot")
# try_compile projects re-read this file; hand them the same values.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MTLS_SYSROOT)

set(_mtls_target_libdir "${MTLS_SYSROOT}/usr/lib/${MTLS_TARGET_TRIPLET}")
set(CMAKE_FIND_ROOT_PATH "${MTLS_SYSROOT}" "/usr/${MTLS_TARGET_TRIPLET}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The sysroot's headers are searched last, as /usr/include is on the host: a library with its
# own include directory (BoringSSL's include/android) must win over libssl-dev's openssl/.
# Multiarch headers (e.g. openssl/configuration.h) live under include/<triplet>. Shared libraries
# pull in their own dependencies from the sysroot at link time.
set(CMAKE_C_FLAGS_INIT "${MTLS_TARGET_CPU_FLAGS} -idirafter ${MTLS_SYSROOT}/usr/include/${MTLS_TARGET_TRIPLET} -idirafter ${MTLS_SYSROOT}/usr/include")
set(CMAKE_PROJECT_INCLUDE "${CMAKE_CURRENT_LIST_DIR}/sysroot-include-dirs.cmake")
set(CMAKE_CXX_FLAGS_INIT "${CMAKE_C_FLAGS_INIT}")
# Some libraries (zlib) sit in the sysroot's /lib/<triplet>, not /usr/lib/<triplet>.
set(_mtls_target_base_libdir "${MTLS_SYSROOT}/lib/${MTLS_TARGET_TRIPLET}")
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-Wl,-rpath-link,${_mtls_target_libdir} -Wl,-rpath-link,${_mtls_target_base_libdir}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "${CMAKE_EXE_LINKER_FLAGS_INIT}")

set(ENV{PKG_CONFIG_SYSROOT_DIR} "${MTLS_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR} "${_mtls_target_libdir}/pkgconfig:${MTLS_SYSROOT}/usr/share/pkgconfig")

# The target's loader and libc from the cross toolchain; the sysroot's libraries by path.
set(CMAKE_CROSSCOMPILING_EMULATOR
    ${MTLS_QEMU} -cpu ${MTLS_QEMU_CPU} -L /usr/${MTLS_TARGET_TRIPLET}
    -E LD_LIBRARY_PATH=${_mtls_target_libdir}:${_mtls_target_libdir}/android:${_mtls_target_base_libdir})
