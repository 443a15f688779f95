// VerifyPeerChain's verification (mtls/x509_check.h): the chain is presented in a TLS 1.2
// handshake held in memory to a wolfSSL endpoint that verifies it under the handshake's policy
// (wolfssl_chain_policy.h). The stand-in peer is a wolfSSL endpoint too, but the Certificate
// message it sends is replaced on the way by one carrying the chain as given, byte for byte;
// nothing after it is delivered, so no key of the chain is needed. The verdict is the verifying
// endpoint's: the error it fails with, or, once it has consumed the Certificate message and
// waits for the next one, acceptance.
#pragma once

#include "absl/status/status.h"
#include "mtls/x509_check.h"

namespace mtls::wolfssl_stand_in {

// Runs under the caller's clock (wolfssl_seams.h).
absl::Status VerifyPresented(const ChainCheck& check);

}  // namespace mtls::wolfssl_stand_in
