// The public-key operations a handshake cannot avoid, implemented by each backend with its own
// crypto, so the benchmarks can set a handshake's cost against the floor of the cryptography in it.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "mtls/pki.h"
#include "mtls/types.h"

namespace mtls {

// Signing with a credential's key and verifying with its certificate, as a TLS 1.3
// CertificateVerify does: ECDSA with the curve's hash, RSA-PSS with SHA-256, or Ed25519, over a
// message of CertificateVerify size.
class SignatureOperation {
 public:
  virtual ~SignatureOperation() = default;
  virtual absl::Status Sign() = 0;
  virtual absl::Status Verify() = 0;  // checks the signature Sign() made last
};

// One side's part of an (EC)DHE exchange: generate an ephemeral key pair and derive the shared
// secret with the peer's public key.
class KeyExchangeOperation {
 public:
  virtual ~KeyExchangeOperation() = default;
  virtual absl::Status GenerateAndDerive() = 0;
};

// Implemented once per backend.
absl::StatusOr<std::unique_ptr<SignatureOperation>> MakeSignatureOperation(
    const Credentials& credentials);
absl::StatusOr<std::unique_ptr<KeyExchangeOperation>> MakeKeyExchangeOperation(Group group);

}  // namespace mtls
