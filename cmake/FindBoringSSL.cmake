# Finds BoringSSL: a source build under MTLS_BACKEND_ROOT (include/, lib/libssl.a), or Debian's
# android-libboringssl-dev (headers in /usr/include/android, libssl.so.0 / libcrypto.so.0 in
# /usr/lib/<triplet>/android, no pkg-config file, no unversioned .so link).
# Defines BoringSSL::SSL, BoringSSL::Crypto and BoringSSL_VERSION.
include(FindPackageHandleStandardArgs)

if(MTLS_BACKEND_ROOT)
  find_path(BoringSSL_INCLUDE_DIR openssl/is_boringssl.h PATHS "${MTLS_BACKEND_ROOT}/include" NO_DEFAULT_PATH)
  find_library(BoringSSL_SSL_LIBRARY NAMES libssl.a ssl PATHS "${MTLS_BACKEND_ROOT}/lib" NO_DEFAULT_PATH)
  find_library(BoringSSL_CRYPTO_LIBRARY NAMES libcrypto.a crypto PATHS "${MTLS_BACKEND_ROOT}/lib" NO_DEFAULT_PATH)
  if(EXISTS "${MTLS_BACKEND_ROOT}/VERSION")
    file(STRINGS "${MTLS_BACKEND_ROOT}/VERSION" BoringSSL_VERSION LIMIT_COUNT 1)
  endif()
else()
  find_path(BoringSSL_INCLUDE_DIR openssl/is_boringssl.h PATHS /usr/include/android NO_DEFAULT_PATH)
  set(_boringssl_libdir "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/android")
  find_file(BoringSSL_SSL_LIBRARY libssl.so.0 PATHS "${_boringssl_libdir}" NO_DEFAULT_PATH)
  find_file(BoringSSL_CRYPTO_LIBRARY libcrypto.so.0 PATHS "${_boringssl_libdir}" NO_DEFAULT_PATH)
  if(CMAKE_CROSSCOMPILING AND EXISTS "${MTLS_SYSROOT}/PACKAGES")
    # A cross build's sysroot lists the target packages it unpacked (scripts/sysroot).
    file(STRINGS "${MTLS_SYSROOT}/PACKAGES" _boringssl_package REGEX "^android-libboringssl-dev:")
    string(REGEX REPLACE "^[^ ]+ " "" BoringSSL_VERSION "${_boringssl_package}")
  else()
    execute_process(COMMAND dpkg-query -W -f=\${Version} android-libboringssl-dev
                    OUTPUT_VARIABLE BoringSSL_VERSION ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  endif()
endif()

find_package_handle_standard_args(BoringSSL
  REQUIRED_VARS BoringSSL_INCLUDE_DIR BoringSSL_SSL_LIBRARY BoringSSL_CRYPTO_LIBRARY BoringSSL_VERSION
  VERSION_VAR BoringSSL_VERSION)

if(BoringSSL_FOUND AND NOT TARGET BoringSSL::Crypto)
  foreach(_part SSL CRYPTO)
    if(_part STREQUAL "SSL")
      set(_target BoringSSL::SSL)
    else()
      set(_target BoringSSL::Crypto)
    endif()
    add_library(${_target} UNKNOWN IMPORTED)
    set_target_properties(${_target} PROPERTIES
      IMPORTED_LOCATION "${BoringSSL_${_part}_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${BoringSSL_INCLUDE_DIR}")
  endforeach()
  set_property(TARGET BoringSSL::SSL APPEND PROPERTY INTERFACE_LINK_LIBRARIES BoringSSL::Crypto)
  if(MTLS_BACKEND_ROOT)
    find_package(Threads REQUIRED)
    set_property(TARGET BoringSSL::Crypto APPEND PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads)
  endif()
endif()
