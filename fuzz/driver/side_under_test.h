// One side of a mutual-auth handshake, configured and driven the same way by the fuzz targets,
// the seed recorder and the replay tests, so that a recorded transcript replays identically on
// backends that can be made deterministic (manifest: seam:process-random / seam:random).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "handshake_options.h"
#include "mtls/backend.h"
#include "mtls/determinism.h"
#include "mtls/result.h"
#include "mtls/transport.h"

namespace mtls::fuzz {

inline constexpr uint64_t kRandomSeed = 0x6d746c732d66757aULL;
inline constexpr int64_t kFixedUnixTime = kDeterministicUnixTime;

// The time the side under test validates certificates at: the fixed clock where the backend
// has that seam, else now.
int64_t CheckTime();

// The endpoint the side under test (or its honest peer) runs with: the honest one of `options`
// (HonestEndpoint over ShippedPkiDir()), with the clock and random seams where the backend has
// them when `deterministic`.
absl::StatusOr<EndpointConfig> SideConfig(Role role, const HandshakeOptions& options,
                                          bool deterministic);

// The context of SideConfig(role, options, deterministic), made once per process; nullptr when
// the options are unsupported or the context cannot be made (said on stderr).
Context* CachedSideContext(Role role, const HandshakeOptions& options);

// Runs `body` deterministically, with the random stream restarted: on a fresh thread, its library
// state released afterwards, where the library keeps state per thread (ReplayNeedsFreshThread).
void RunDeterministically(const std::function<void()>& body);

struct SideOutcome {
  bool ran = false;        // false: options unsupported or the context could not be made
  bool completed = false;  // the handshake finished from this side's point of view
  HandshakeResult result;
  absl::Status error;  // why it did not complete
};

// Drives `role` over `transport`, deterministically (RunDeterministically): the random stream
// restarted before the (cached) context and the session are made.
SideOutcome RunSide(Role role, const HandshakeOptions& options, Transport& transport);

// A fuzz input: the option byte, then the bytes the peer sends. Aborts (as libFuzzer records a
// crash) when the side completes a handshake without having verified its peer, by the
// library's own account or, in builds with the acceptance oracle (peers/oracle/), by an independent
// check of the wire bytes (TLS 1.2).
SideOutcome RunSideOnInput(Role role, const uint8_t* data, size_t size);

}  // namespace mtls::fuzz
