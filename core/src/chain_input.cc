#include "mtls/chain_input.h"

#include <algorithm>

#include "mtls/backend.h"
#include "mtls/determinism.h"
#include "mtls/pki_catalog.h"

namespace mtls {

ChainInput DecodeChainInput(const uint8_t* data, size_t size) {
  ChainInput input;
  if (size == 0) return input;
  const auto& schemes = PkiSchemes();
  input.scheme = schemes[(data[0] & 7) % schemes.size()];
  size_t at = 1;
  while (at + 2 <= size) {
    const size_t length = std::min<size_t>(size - at - 2, (data[at] << 8) | data[at + 1]);
    input.chain_der.emplace_back(reinterpret_cast<const char*>(data + at + 2), length);
    at += 2 + length;
  }
  return input;
}

std::string EncodeChainInput(const ChainInput& input) {
  const auto& schemes = PkiSchemes();
  std::string out(1, static_cast<char>(std::find(schemes.begin(), schemes.end(), input.scheme) -
                                       schemes.begin()));
  for (const std::string& der : input.chain_der) {
    out.push_back(static_cast<char>(der.size() >> 8));
    out.push_back(static_cast<char>(der.size() & 0xff));
    out += der;
  }
  return out;
}

ChainCheck ClientChainCheck(const ChainInput& input) {
  static const bool fixed_time = RequireCapability("verify:fixed-time").ok();
  EndpointConfig verifier;
  verifier.role = Role::kServer;
  verifier.trust_anchors_der = ShippedRoot(input.scheme);
  if (fixed_time) verifier.seams.fixed_unix_time = kDeterministicUnixTime;
  return PeerChainCheck(verifier, input.chain_der);
}

}  // namespace mtls
