// The randomness and clock the libraries are given on the microcontroller: a fixed-seed stream
// and a fixed time, so that every run executes the same instructions and sends the same bytes.
// For measurement only: a device needs its true random number generator here.
#include <stdint.h>
#include <time.h>

#include "platform_hooks.h"

namespace {

uint64_t state = 0x6d746c732d6d6375;  // "mtls-mcu"

// splitmix64: a well-mixed stream, good enough for key generation in a benchmark; not secret.
uint64_t Next() {
  uint64_t z = (state += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

}  // namespace

extern "C" int MtlsFixedEntropy(unsigned char* output, unsigned int size) {
  uint64_t word = 0;
  for (unsigned int i = 0; i < size; ++i) {
    if (i % 8 == 0) word = Next();
    output[i] = static_cast<unsigned char>(word >> (8 * (i % 8)));
  }
  return 0;
}

extern "C" time_t MtlsFixedTime(time_t* out) {
  if (out != nullptr) *out = mtls::mcu::kFixedTime;
  return mtls::mcu::kFixedTime;
}
