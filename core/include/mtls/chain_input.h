// A peer's certificate chain to verify, as the client_chain fuzz target and mtls-verify --chains
// read it: an option byte (bits 0-2: the scheme whose root is the trust anchor, modulo the scheme
// count), then the certificates the peer would send, leaf first, each as a 2-byte big-endian
// length and that many DER bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mtls/x509_check.h"

namespace mtls {

struct ChainInput {
  std::string scheme;
  std::vector<std::string> chain_der;
};

ChainInput DecodeChainInput(const uint8_t* data, size_t size);
std::string EncodeChainInput(const ChainInput& input);

// How an input is judged: as the honest server of its scheme verifies a client (clientAuth, the
// scheme's root from ShippedPkiDir() as the only anchor), at kDeterministicUnixTime where the
// backend takes a validation time (verify:fixed-time), else now.
ChainCheck ClientChainCheck(const ChainInput& input);

}  // namespace mtls
