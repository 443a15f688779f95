#include "mtls/x509_check.h"

#include <utility>

namespace mtls {

ChainCheck PeerChainCheck(const EndpointConfig& verifier, std::vector<std::string> chain_der) {
  ChainCheck check;
  check.chain_der = std::move(chain_der);
  check.trust_anchors_der = verifier.trust_anchors_der;
  check.peer_role = verifier.role == Role::kClient ? Role::kServer : Role::kClient;
  check.unix_time = verifier.seams.fixed_unix_time;
  check.max_chain_depth = verifier.max_chain_depth;
  check.expected_peer_name = verifier.expected_peer_name;
  return check;
}

}  // namespace mtls
