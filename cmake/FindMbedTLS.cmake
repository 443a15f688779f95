# Finds Mbed TLS (mbedtls, mbedx509, mbedcrypto): under MTLS_BACKEND_ROOT when set, else Debian's
# libmbedtls-dev (no pkg-config file). Defines MbedTLS::TLS, MbedTLS_VERSION and
# MbedTLS_EXTERNAL_RNG.
include(FindPackageHandleStandardArgs)

if(MTLS_BACKEND_ROOT)
  set(_mbedtls_hints PATHS "${MTLS_BACKEND_ROOT}" NO_DEFAULT_PATH)
endif()
find_path(MbedTLS_INCLUDE_DIR mbedtls/ssl.h ${_mbedtls_hints} PATH_SUFFIXES include)
foreach(_part tls x509 crypto)
  find_library(MbedTLS_${_part}_LIBRARY mbed${_part} ${_mbedtls_hints} PATH_SUFFIXES lib)
endforeach()
if(MbedTLS_INCLUDE_DIR AND EXISTS "${MbedTLS_INCLUDE_DIR}/mbedtls/build_info.h")
  set(_mbedtls_version_header "${MbedTLS_INCLUDE_DIR}/mbedtls/build_info.h")
else()
  set(_mbedtls_version_header "${MbedTLS_INCLUDE_DIR}/mbedtls/version.h")
endif()
if(EXISTS "${_mbedtls_version_header}")
  file(STRINGS "${_mbedtls_version_header}" _mbedtls_line REGEX "define MBEDTLS_VERSION_STRING ")
  string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" MbedTLS_VERSION "${_mbedtls_line}")
endif()

# Whether the build takes the PSA generator from the program (MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG).
set(MbedTLS_EXTERNAL_RNG OFF)
if(EXISTS "${MbedTLS_INCLUDE_DIR}/mbedtls/mbedtls_config.h")
  file(STRINGS "${MbedTLS_INCLUDE_DIR}/mbedtls/mbedtls_config.h" _mbedtls_rng
       REGEX "^#define MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG")
  if(_mbedtls_rng)
    set(MbedTLS_EXTERNAL_RNG ON)
  endif()
endif()

find_package_handle_standard_args(MbedTLS
  REQUIRED_VARS MbedTLS_INCLUDE_DIR MbedTLS_tls_LIBRARY MbedTLS_x509_LIBRARY MbedTLS_crypto_LIBRARY
  VERSION_VAR MbedTLS_VERSION)

if(MbedTLS_FOUND AND NOT TARGET MbedTLS::TLS)
  add_library(MbedTLS::TLS INTERFACE IMPORTED)
  target_include_directories(MbedTLS::TLS INTERFACE "${MbedTLS_INCLUDE_DIR}")
  target_link_libraries(MbedTLS::TLS INTERFACE "${MbedTLS_tls_LIBRARY}" "${MbedTLS_x509_LIBRARY}"
                                               "${MbedTLS_crypto_LIBRARY}")
endif()
