// Drives a client and a server session to completion in one thread over an in-memory duplex,
// attributing thread CPU time to the side that spent it.
#pragma once

#include <cstdint>

#include "mtls/backend.h"
#include "mtls/result.h"

namespace mtls {

struct HandshakeMetrics {
  double client_cpu_us = 0;
  double server_cpu_us = 0;
  uint64_t bytes_c2s = 0;
  uint64_t bytes_s2c = 0;
  int flights = 0;
};

struct HandshakeOutcome {
  HandshakeResult client;
  HandshakeResult server;
  HandshakeMetrics metrics;

  // Both sides completed and each verified the other: the only outcome that counts as mTLS.
  bool MutuallyAuthenticated() const;
  // Both completed, the client verified the server (the server-auth baseline's success).
  bool ServerAuthenticated() const;
  // One line: what failed on which side.
  std::string Describe() const;
};

// Runs one handshake between new sessions of `client` and `server`, then closes both sessions
// (so a resumable session is kept by the client context).
HandshakeOutcome RunInMemoryHandshake(Context& client, Context& server);

}  // namespace mtls
