#include "mtls/os_entropy.h"

#include <cstddef>
#include <cstdint>

#include "mtls/determinism.h"

// Shared with os_entropy_interposer.c, which defines the C library entry points.
extern "C" {
int mtls_os_entropy_deterministic = 0;
void mtls_os_entropy_fill(void* out, size_t size) {
  mtls::DeterministicBytes(absl::MakeSpan(static_cast<uint8_t*>(out), size));
}
}

namespace mtls {

void UseDeterministicOsEntropy() { mtls_os_entropy_deterministic = 1; }

}  // namespace mtls
