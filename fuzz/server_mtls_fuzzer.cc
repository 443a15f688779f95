// Fuzz target: a server that requires client authentication, fed the client's flights
// (ClientHello ... Certificate, CertificateVerify, Finished). Input: option byte + client bytes.
// Under TLS 1.2 the client's Certificate travels in clear, so mutations reach the backend's
// client-certificate processing directly; under TLS 1.3 recorded transcripts replay only where
// the backend is deterministic.
#include <cstddef>
#include <cstdint>

#include "driver/side_under_test.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mtls::fuzz::RunSideOnInput(mtls::Role::kServer, data, size);
  return 0;
}
