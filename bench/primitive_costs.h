// The public-key floor: what this backend's sign, verify and key exchange cost on this machine,
// as benchmarks of their own (primitive/...) and as prices for the handshake suite's floor_us.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "mtls/primitive_floor.h"

namespace mtls::bench {

// Measured once per process (thread CPU time over a short loop) and cached.
absl::StatusOr<PrimitiveCosts> MeasuredCosts(const std::string& scheme, Group group);

// primitive/sign/<scheme>, primitive/verify/<scheme>, primitive/key-exchange/<group>.
void RegisterPrimitiveBenchmarks();

}  // namespace mtls::bench
