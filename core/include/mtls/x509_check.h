// Certificate parsing and peer-chain verification by the backend's own X.509 code, outside a
// handshake: what the fuzz targets, the differential verifier and the x509-limbo harness call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "mtls/config.h"
#include "mtls/types.h"

namespace mtls {

enum class CertificateEncoding { kDer, kPem };

// OK when the backend decodes `data` as exactly one certificate; an error naming why not.
absl::Status ParseCertificateWithBackend(absl::string_view data, CertificateEncoding encoding);

// One verification under the policy a handshake applies to its peer. Made by PeerChainCheck
// from the verifying endpoint's config, so the two cannot drift.
struct ChainCheck {
  std::vector<std::string> chain_der;          // the peer's leaf first, then what it sent along
  std::vector<std::string> trust_anchors_der;  // roots the chain must lead to
  Role peer_role = Role::kClient;    // kClient: the mutual-auth policy (clientAuth EKU required)
  std::optional<int64_t> unix_time;  // validation time; unset = the system clock
  int max_chain_depth = kDefaultMaxChainDepth;  // intermediates allowed between leaf and anchor
  std::string expected_peer_name;               // DNS name the leaf must carry; empty = not checked
};

// The check `verifier` applies to the chain its peer sends: its trust anchors, depth limit and
// expected peer name; the peer has the other role; its fixed clock (seams.fixed_unix_time), if
// any, is the validation time.
ChainCheck PeerChainCheck(const EndpointConfig& verifier, std::vector<std::string> chain_der);

// OK when the backend accepts the chain; otherwise an error carrying the ErrorClass of its
// reason. Unimplemented (with the library's reason) when the backend cannot apply the check as
// asked, e.g. a validation time it cannot set.
absl::Status VerifyPeerChain(const ChainCheck& check);

}  // namespace mtls
