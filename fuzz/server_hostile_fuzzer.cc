// Fuzz target: a server that requires client authentication, against the project's attacking
// client (peers/attacker/), whose Certificate and CertificateVerify the input edits before they are
// protected: mutations reach the server's certificate and proof checks in TLS 1.3 as well as in
// TLS 1.2, on every backend, and every acceptance is re-checked by the oracle. Input format:
// driver/attack_input.h.
#include <cstddef>
#include <cstdint>

#include "driver/attack_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mtls::fuzz::RunAttackInput(mtls::Role::kClient, data, size);
  return 0;
}
