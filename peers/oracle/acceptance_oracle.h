// The fuzz targets' acceptance oracle: when a side reports a completed handshake with its peer
// authenticated, re-check that claim from the bytes on the wire, without the backend under test.
//  - server side (client authentication): the client's Certificate chains to the trust anchor
//    with the clientAuth purpose at the check's time, and its CertificateVerify verifies under
//    the leaf's key over the handshake transcript;
//  - client side (server authentication): the server's chain, with serverAuth, and its
//    ServerKeyExchange signature over both randoms and the key-exchange parameters.
// Read from the plaintext handshake, so TLS 1.2 only: in TLS 1.3 these messages are encrypted.
// The attacking peers (peers/attacker) hand over what they sent instead (PeerProof), in either
// version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "mtls/types.h"

namespace mtls::oracle {

struct WireBytes {
  absl::string_view from_peer;  // what the side under test read
  absl::string_view from_side;  // what it wrote
};

// OK when the claim holds; FailedPrecondition naming what does not (an authentication bypass by
// the side under test); Unimplemented when this oracle cannot judge (TLS 1.3, algorithms
// libgcrypt lacks, e.g. ML-DSA).
absl::Status CheckPeerAuthentication(Role side, TlsVersion version, const WireBytes& wire,
                                     const std::vector<std::string>& trust_anchors,
                                     int64_t unix_time);

// A peer's proof of identity as the project's attacking client or server sent it
// (peers/attacker), in either version, with what an honest CertificateVerify signs at that point
// of the transcript.
struct PeerProof {
  TlsVersion version = TlsVersion::kTls13;
  Role prover = Role::kClient;
  std::vector<uint16_t> offered_signature_algorithms;  // by the verifying side
  std::string certificate_body;                        // as sent
  std::optional<std::string> certificate_verify_body;  // as sent; nullopt when left out
  std::string signed_content;  // what an honest CertificateVerify signs at that point
};

// OK when the verifying side was right to accept `proof`: the chain leads to an anchor with
// the prover's purpose (clientAuth / serverAuth) at `unix_time`, the CertificateVerify uses an
// offered scheme that fits the leaf's key (and, in TLS 1.3, its curve) and verifies.
// FailedPrecondition naming what is wrong, and `violated` set to the rule it breaks, named as the
// conformance matrix's hostile cases ("empty-certificate", "no-certificate-verify",
// "disallowed-signature-algorithm", "signature-algorithm-key-mismatch", "foreign-key-signature";
// "untrusted-chain"); Unimplemented when the verifier does not cover an algorithm.
absl::Status CheckPeerProof(const PeerProof& proof, const std::vector<std::string>& trust_anchors,
                            int64_t unix_time, std::string* violated = nullptr);

}  // namespace mtls::oracle
