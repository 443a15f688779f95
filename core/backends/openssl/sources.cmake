# The OpenSSL-API adapter's sources that OpenSSL and BoringSSL builds share (where the two
# libraries differ, the code says so with OPENSSL_IS_BORINGSSL). Both backends' CMakeLists add
# them with this one function, so a source split out of the adapter is listed once.
function(mtls_add_openssl_api_sources target)
  set(sources openssl_backend.cc openssl_cert_compression.cc openssl_determinism.cc
              openssl_dtls.cc openssl_negotiated.cc openssl_primitives.cc openssl_psk.cc openssl_reference_loop.cc
              openssl_resumption.cc openssl_transport_bio.cc openssl_x509.cc)
  list(TRANSFORM sources PREPEND "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/")
  target_sources(${target} PRIVATE ${sources})
endfunction()
