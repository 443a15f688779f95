// Deterministic operating-system entropy for binaries that count instructions: once enabled,
// getrandom(), getentropy(), syscall(SYS_getrandom) and opening /dev/urandom or /dev/random
// answer from DeterministicBytes (mtls/determinism.h). Libraries without a random hook of their
// own (no manifest feature "seam:process-random") then draw the same bytes in every run, so their
// instruction counts repeat. Only binaries linking mtls_os_entropy_interposer have it.
#pragma once

namespace mtls {

// From now on, process-wide. Not for anything but measurement: the bytes are predictable.
void UseDeterministicOsEntropy();

}  // namespace mtls
