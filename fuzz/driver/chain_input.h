// The input of the chain-verification target: an option byte (bits 0-2: the scheme whose root is
// the trust anchor, modulo the scheme count), then the certificates the peer would send, leaf
// first, each as a 2-byte big-endian length and that many DER bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mtls::fuzz {

struct ChainInput {
  std::string scheme;
  std::vector<std::string> chain_der;
};

ChainInput DecodeChainInput(const uint8_t* data, size_t size);
std::string EncodeChainInput(const ChainInput& input);

}  // namespace mtls::fuzz
