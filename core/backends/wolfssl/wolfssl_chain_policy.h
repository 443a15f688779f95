// One chain policy for wolfSSL: what a peer's certificate chain must satisfy, applied by the same
// library verification in a handshake and in the stand-alone VerifyPeerChain.
//
// wolfSSL applies its verify depth only while a handshake processes the peer's Certificate
// message (ProcessPeerCerts); its certificate manager has no depth. The extended key usage it
// requires follows the verifying side (a server requires clientAuth, a client serverAuth), and the
// name check is a per-connection setting. So VerifyPeerChain, too, verifies a chain presented in
// a handshake: a TLS 1.2 exchange held in memory whose verifying side is configured here, as a
// handshake's is, and which stops once that side has judged the Certificate message
// (wolfssl_stand_in.h).
#pragma once

#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/ssl.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mtls/config.h"
#include "mtls/types.h"

namespace mtls::wolfssl_chain {

struct Policy {
  Role own_role = Role::kClient;  // the verifying side: its peer's role decides the EKU required
  bool verify_peer = true;        // false: a server that asks for no client certificate
  const std::vector<std::string>* trust_anchors_der = nullptr;
  // Intermediates between leaf and anchor (wolfSSL's verify depth).
  int max_chain_depth = kDefaultMaxChainDepth;
};

// Trust anchors, verify mode and depth into `ctx`. A server that requires a client certificate
// also sets the library's mutual-auth flag: with it a TLS 1.2 client's empty Certificate is
// refused where it arrives, with handshake_failure (RFC 5246 7.4.6); with
// WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT alone wolfSSL 5.5 refuses it only at the
// ClientKeyExchange and sends no alert.
absl::Status ConfigureContext(WOLFSSL_CTX* ctx, const Policy& policy);

// The DNS name the peer's leaf must carry (none when empty): wolfSSL checks it, on either side,
// while it processes the peer's certificate.
void ConfigureSession(WOLFSSL* ssl, const std::string& expected_peer_name);

}  // namespace mtls::wolfssl_chain
