// LLVMFuzzerCustomMutator for the targets listed in MTLS_STRUCTURED_TARGETS (fuzz/CMakeLists.txt):
// linked into their libFuzzer binaries only, with MTLS_MUTATOR_KIND naming the input kind.
// MTLS_FUZZ_PLAIN_MUTATOR=1 switches it off, to measure it against libFuzzer's own mutator.
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "structure_mutator.h"

#ifndef MTLS_MUTATOR_KIND
#error "the build defines MTLS_MUTATOR_KIND (kDer, kChain or kHandshake)"
#endif

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  static const bool plain = std::getenv("MTLS_FUZZ_PLAIN_MUTATOR") != nullptr &&
                            std::strcmp(std::getenv("MTLS_FUZZ_PLAIN_MUTATOR"), "0") != 0;
  std::mt19937 random(seed);
  // Half the time libFuzzer's own mutations on the whole input: they find what structure hides.
  if (plain || random() % 2 == 0) return LLVMFuzzerMutate(data, size, max_size);
  std::string input(reinterpret_cast<const char*>(data), size);
  mtls::fuzz::MutateStructured(mtls::fuzz::InputKind::MTLS_MUTATOR_KIND, input, max_size, random,
                               LLVMFuzzerMutate);
  std::memcpy(data, input.data(), input.size());
  return input.size();
}
