// Fixed randomness and time for the libraries (platform_hooks.cc); C linkage, as the libraries'
// configuration headers name them.
#pragma once

#include <time.h>

namespace mtls::mcu {
// 2026-06-01T00:00:00Z: inside the validity of corpora/pki's certificates (2024..2099) and after
// the expired one's end.
inline constexpr time_t kFixedTime = 1780272000;
}  // namespace mtls::mcu

extern "C" int MtlsFixedEntropy(unsigned char* output, unsigned int size);
extern "C" time_t MtlsFixedTime(time_t* out);
