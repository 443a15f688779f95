// Signature and chain checks by libgcrypt and the project's own X.509 reading: a verifier that
// shares no code with any TLS backend under test, so the acceptance oracle can tell a backend's
// claim "the peer is authenticated" from the truth.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "oracle/certificate_fields.h"

namespace mtls::oracle {

// Whether `signature` over `message` verifies under `signer`'s public key with the TLS
// SignatureScheme `scheme` (ECDSA P-256/P-384, RSA PKCS#1 v1.5 / PSS with SHA-256/384,
// Ed25519). Unimplemented for schemes or keys it does not cover (e.g. ML-DSA): no verdict.
absl::Status VerifyTlsSignature(const CertificateFields& signer, uint16_t scheme,
                                absl::string_view message, absl::string_view signature);

// Whether the TLS SignatureScheme `scheme` is one for `signer`'s kind of key (ECDSA for an EC key,
// RSA PKCS#1 / PSS-rsae for RSA, Ed25519 for Ed25519). False for other schemes.
bool SchemeFitsKey(const CertificateFields& signer, uint16_t scheme);

// Whether `chain` (leaf first, then what the peer sent along) leads to one of `anchors` at
// `unix_time`: names link, every signature verifies, the issuers are CAs, everything is within
// its validity, and the leaf's extended key usage (if it has one) allows `purpose`.
absl::Status VerifyChain(const std::vector<std::string>& chain,
                         const std::vector<std::string>& anchors, int64_t unix_time,
                         absl::string_view purpose);

}  // namespace mtls::oracle
