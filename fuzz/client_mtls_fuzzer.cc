// Fuzz target: a client with its own certificate, fed the server's flights (ServerHello ...
// Certificate, CertificateRequest, CertificateVerify, Finished). Input: option byte + server bytes.
#include <cstddef>
#include <cstdint>

#include "driver/side_under_test.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mtls::fuzz::RunSideOnInput(mtls::Role::kClient, data, size);
  return 0;
}
