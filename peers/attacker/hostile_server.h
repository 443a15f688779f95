// A TLS 1.3 server of the project's own (libgcrypt, no TLS backend) that authenticates with a
// certificate and misbehaves on purpose while doing so (prover.h): the mirror of the attacking
// client, against a backend's client. TLS_AES_128_GCM_SHA256, X25519 (no HelloRetryRequest), an
// ECDSA P-256 server key; it asks for a client certificate, as a mutual-auth server does, but
// never checks what the client sends.
//
// Its Finished is computed honestly over the transcript as sent, so a client that lets a forged
// or missing proof through completes the handshake and claims a verified server.
#pragma once

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "attacker/prover.h"
#include "mtls/backend.h"
#include "oracle/acceptance_oracle.h"

namespace mtls::attacker {

// The server's Context; keeps the evidence of its latest session's proof, like the client's.
class HostileServerContext : public Context {
 public:
  // Unimplemented for TLS 1.2.
  static absl::StatusOr<std::unique_ptr<HostileServerContext>> Create(AttackerConfig config);
  absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) override;
  const EndpointConfig& config() const override { return endpoint_config_; }
  const std::optional<oracle::PeerProof>& evidence() const { return evidence_; }

 private:
  friend class HostileServerSession;
  AttackerConfig config_;
  EndpointConfig endpoint_config_;
  std::optional<oracle::PeerProof> evidence_;
};

}  // namespace mtls::attacker
