// Fuzz target: a client with its own certificate, against the project's attacking server
// (attacker/, TLS 1.3), whose Certificate and CertificateVerify the input edits before they are
// encrypted: mutations reach the client's server-certificate and proof checks, on every backend,
// and every acceptance is re-checked by the oracle. Input format: driver/attack_input.h.
#include <cstddef>
#include <cstdint>

#include "driver/attack_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mtls::fuzz::RunAttackInput(mtls::Role::kServer, data, size);
  return 0;
}
