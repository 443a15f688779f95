#include "mtls/os_determinism.h"

#include <cstddef>
#include <cstdint>

#include "mtls/determinism.h"

// Shared with os_determinism_interposer.c, which defines the C library entry points.
extern "C" {
int mtls_os_deterministic = 0;
extern const int64_t mtls_os_deterministic_unix_time;  // const alone would make it file-local
const int64_t mtls_os_deterministic_unix_time = mtls::kDeterministicUnixTime;
void mtls_os_entropy_fill(void* out, size_t size) {
  mtls::DeterministicBytes(absl::MakeSpan(static_cast<uint8_t*>(out), size));
}
}

namespace mtls {

void UseDeterministicOsInputs() { mtls_os_deterministic = 1; }

}  // namespace mtls
