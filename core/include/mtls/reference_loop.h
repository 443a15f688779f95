// A backend's own minimal mutual-auth handshake loop, written the way the library's performance
// tools write it (two contexts; per handshake a fresh pair of connections over an in-memory BIO
// pair, handshake, shutdown, free) with nothing of this project inside the loop. The benchmarks
// run it beside the harness to measure the harness's overhead.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mtls/types.h"

namespace mtls {

struct ReferenceLoopSetup {
  std::string trust_anchor_file;  // PEM root both sides trust
  std::string client_chain_file, client_key_file;
  std::string server_chain_file, server_key_file;
  std::string server_name;  // checked by the client
  TlsVersion version = TlsVersion::kTls13;
  std::vector<Group> groups = {Group::kX25519};
};

class ReferenceLoop {
 public:
  virtual ~ReferenceLoop() = default;
  // One full mutual-auth handshake; an error unless both sides verified each other.
  virtual absl::Status RunOnce() = 0;
};

// Implemented by backends that have one; others return Unimplemented with the reason.
absl::StatusOr<std::unique_ptr<ReferenceLoop>> MakeReferenceLoop(const ReferenceLoopSetup& setup);

}  // namespace mtls
