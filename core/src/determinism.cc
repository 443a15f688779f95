#include "mtls/determinism.h"

#include <atomic>

namespace mtls {
namespace {

// SplitMix64: tiny, fast, and good enough to look random to a TLS stack under test.
std::atomic<uint64_t> g_state{0};
std::atomic<void (*)()> g_library_restart{nullptr};

uint64_t Next() {
  uint64_t z = g_state.fetch_add(0x9e3779b97f4a7c15ULL) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

void ResetDeterministicRandom(uint64_t seed) {
  g_state.store(seed);
  if (auto restart = g_library_restart.load()) restart();
}

void SetLibraryRandomRestart(void (*restart)()) { g_library_restart.store(restart); }

void DeterministicBytes(absl::Span<uint8_t> out) {
  size_t i = 0;
  while (i < out.size()) {
    uint64_t word = Next();
    for (int b = 0; b < 8 && i < out.size(); ++b, ++i) {
      out[i] = static_cast<uint8_t>(word >> (8 * b));
    }
  }
}

}  // namespace mtls
