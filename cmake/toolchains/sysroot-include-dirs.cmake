# Included after project() in cross builds (CMAKE_PROJECT_INCLUDE): the sysroot's include
# directories count as the compiler's own, so CMake never puts them on a command line as
# -isystem ahead of a target's own headers (they come last, through -idirafter).
foreach(_mtls_lang C CXX)
  list(APPEND CMAKE_${_mtls_lang}_IMPLICIT_INCLUDE_DIRECTORIES
       "${MTLS_SYSROOT}/usr/include" "${MTLS_SYSROOT}/usr/include/${MTLS_TARGET_TRIPLET}")
endforeach()
