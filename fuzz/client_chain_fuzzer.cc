// Fuzz target: client-certificate chain verification under the mutual-auth policy: leaf and
// intermediates from the input, the scheme's root as the fixed trust anchor, clientAuth EKU,
// a fixed validation time where the backend takes one (verify:fixed-time).
#include <cstddef>
#include <cstdint>

#include "driver/chain_input.h"
#include "driver/side_under_test.h"
#include "mtls/backend.h"
#include "mtls/x509_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const mtls::fuzz::ChainInput input = mtls::fuzz::DecodeChainInput(data, size);
  if (input.chain_der.empty()) return 0;
  static const bool fixed_time = mtls::RequireCapability("verify:fixed-time").ok();
  mtls::ChainCheck check;
  check.chain_der = input.chain_der;
  check.trust_anchors_der = mtls::fuzz::FuzzTrustAnchors(input.scheme);
  check.peer_role = mtls::Role::kClient;
  if (fixed_time) check.unix_time = mtls::fuzz::kFixedUnixTime;
  (void)mtls::VerifyPeerChain(check);
  return 0;
}
