// One chain policy for GnuTLS: what a peer's certificate chain must satisfy, applied by the same
// library verification in a handshake and in the stand-alone VerifyPeerChain.
//
// GnuTLS 3.7 enforces a chain-depth limit only in gnutls_certificate_verify_peers (it refuses a
// peer that sends more certificates than gnutls_certificate_set_verify_limits allows before
// verifying anything, with GNUTLS_E_CONSTRAINT_ERROR); its trust-list verification has no depth
// parameter. So both paths verify a chain the peer sent in a session: the handshake its peer's,
// VerifyPeerChain the chain a stand-in peer presents in a TLS 1.2 handshake held in memory, whose
// client runs the verification when the chain arrives (before any signature of the stand-in).
#pragma once

#include <gnutls/gnutls.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mtls/types.h"

namespace mtls::gnutls_chain {

// The certificate purpose and name the chain's leaf must carry, and how many intermediates may
// sit between it and the anchor.
class Policy {
 public:
  Policy(Role peer_role, std::string expected_peer_name, int max_chain_depth);
  Policy(const Policy&) = delete;
  Policy& operator=(const Policy&) = delete;

  // Trust anchors (DER) and the depth limit into `credentials`, whose trust list and limit the
  // library's verification then applies.
  absl::Status Configure(gnutls_certificate_credentials_t credentials,
                         const std::vector<std::string>& trust_anchors_der) const;

 private:
  friend struct Verdict;
  std::string expected_peer_name_;
  int max_chain_depth_;
  std::vector<gnutls_typed_vdata_st> checks_;  // point into the policy: it must not move
};

// What the library's verification of a peer's chain said.
struct Verdict {
  bool ran = false;
  int rc = 0;           // gnutls_certificate_verify_peers: < 0 when it refused to verify
  unsigned status = 0;  // gnutls_certificate_status_t bits: 0 = trusted

  // The one verification: gnutls_certificate_verify_peers on the peer's certificates in
  // `session`, under the session's credentials (Policy::Configure) and `policy`'s checks.
  static Verdict Of(gnutls_session_t session, const Policy& policy);

  bool verified() const { return ran && rc == 0 && status == 0; }
  // The code a verify function returns for it (0 when verified), as GnuTLS's own
  // (gnutls_session_set_verify_cert2) does.
  int HandshakeError() const;
  // OK when verified, else the error class and the library's description.
  absl::Status ToStatus() const;
};

}  // namespace mtls::gnutls_chain
