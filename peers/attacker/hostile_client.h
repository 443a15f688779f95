// A TLS client of the project's own (libgcrypt, no TLS backend) that authenticates with a
// certificate and misbehaves on purpose while doing so (prover.h). It speaks just enough TLS to
// reach a server's client-authentication checks: TLS 1.3 with TLS_AES_128_GCM_SHA256, or TLS 1.2
// with ECDHE-{ECDSA,RSA}-AES128-GCM-SHA256 (extended master secret when offered back), X25519,
// an ECDSA P-256 client key. It never verifies the server: it attacks it.
//
// Whatever it sends, its Finished is computed honestly over the transcript as sent, so a server
// that lets a forged or missing proof through completes the handshake: the bypass shows as a
// completed server side that claims a verified client.
#pragma once

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "attacker/prover.h"
#include "mtls/backend.h"
#include "oracle/acceptance_oracle.h"

namespace mtls::attacker {

// The client's Context: every session runs the configured misbehaviour. What the latest session
// sent to authenticate itself (once it got that far) is kept as evidence, for an independent
// check of a server's claim (oracle::CheckPeerProof).
class HostileClientContext : public Context {
 public:
  static absl::StatusOr<std::unique_ptr<HostileClientContext>> Create(AttackerConfig config);
  absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) override;
  const EndpointConfig& config() const override { return endpoint_config_; }
  const std::optional<oracle::PeerProof>& evidence() const { return evidence_; }

 private:
  friend class HostileClientSession;
  AttackerConfig config_;
  EndpointConfig endpoint_config_;
  std::optional<oracle::PeerProof> evidence_;
};

}  // namespace mtls::attacker
