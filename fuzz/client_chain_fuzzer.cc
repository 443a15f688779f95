// Fuzz target: client-certificate chain verification under the mutual-auth policy: leaf and
// intermediates from the input, the scheme's root as the fixed trust anchor, clientAuth EKU,
// a fixed validation time where the backend takes one (verify:fixed-time).
#include <cstddef>
#include <cstdint>

#include "mtls/chain_input.h"
#include "mtls/x509_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const mtls::ChainInput input = mtls::DecodeChainInput(data, size);
  if (input.chain_der.empty()) return 0;
  (void)mtls::VerifyPeerChain(mtls::ClientChainCheck(input));
  return 0;
}
