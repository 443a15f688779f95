// Structure-aware mutations for the certificate and handshake targets (LLVMFuzzerCustomMutator,
// driver/custom_mutator.cc): the bytes inside one element are mutated by libFuzzer's own mutator,
// and the framing around them is rewritten so it stays consistent (DER lengths; TLS record,
// handshake-message and certificate-list lengths; the chain target's length prefixes). Without
// that, most mutations of a recorded handshake die in the first length check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <string>

namespace mtls::fuzz {

// libFuzzer's byte mutator (LLVMFuzzerMutate) or a stand-in: mutates data[0, size) in place
// within max_size bytes and returns the new size.
using ByteMutator = std::function<size_t(uint8_t* data, size_t size, size_t max_size)>;

enum class InputKind {
  kDer,        // one DER object (x509_der)
  kChain,      // option byte + length-prefixed DER certificates (client_chain)
  kHandshake,  // option byte + TLS records (server_mtls, client_mtls)
};

// Mutates `input` in place; falls back to a plain byte mutation where the input has no
// structure to keep. The result never exceeds max_size.
void MutateStructured(InputKind kind, std::string& input, size_t max_size, std::mt19937& random,
                      const ByteMutator& mutate_bytes);

// Whether `der` is a sequence of well-formed DER TLVs whose lengths all agree (constructed
// values recursively). For tests and the mutator's own fallbacks.
bool DerFramingConsistent(const std::string& der);

// Whether `stream` (after the option byte) is whole TLS records whose lengths agree, the first
// (the plaintext hello) holding whole handshake messages.
bool TlsFramingConsistent(const std::string& stream);

}  // namespace mtls::fuzz
