// Process-wide deterministic randomness, so that a fuzz input or an instruction count replays
// identically: every draw the TLS library makes comes from one stream, restarted per run.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace mtls {

// Routes the library's random generator to DeterministicBytes, process-wide, from now on.
// Implemented per backend; Unimplemented with the library's reason where it has no such hook
// (manifest feature "seam:process-random"). Idempotent.
absl::Status UseDeterministicRandom();

// Libraries that put the time into hello randoms (Mbed TLS) have their clock stopped at this
// instant (2026-01-01, inside every test certificate's validity) while deterministic.
inline constexpr int64_t kDeterministicUnixTime = 1767225600;

// Whether a run must start on a fresh thread to replay: the library keeps generator or cache
// state per thread that restarting the stream does not reach. Implemented per backend.
bool ReplayNeedsFreshThread();

// Restarts the stream: the same seed yields the same bytes in the same order.
void ResetDeterministicRandom(uint64_t seed);

// For adapters whose library keeps its own deterministic generator (BoringSSL's fuzzing
// builds): called by ResetDeterministicRandom so that generator restarts too.
void SetLibraryRandomRestart(void (*restart)());

// The next bytes of the stream (not cryptographically strong: for tests and fuzzing only).
void DeterministicBytes(absl::Span<uint8_t> out);

}  // namespace mtls
