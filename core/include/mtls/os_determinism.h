// Deterministic operating-system inputs for binaries that count instructions. Once enabled:
//  - entropy: getrandom(), getentropy(), syscall(SYS_getrandom) and opening /dev/urandom or
//    /dev/random answer from DeterministicBytes (mtls/determinism.h);
//  - wall clock: time(), gettimeofday() and clock_gettime() on the realtime and monotonic clocks
//    start at kDeterministicUnixTime and advance one microsecond per call.
// Libraries without hooks of their own (no manifest feature "seam:process-random") then see the
// same inputs in every run, so their instruction counts repeat. Only binaries linking
// mtls_os_determinism_interposer have it. The same interposer answers the clock readings of a
// thread that drives a DTLS link from the link's virtual time (mtls/virtual_clock.h), whether or
// not this is enabled.
#pragma once

namespace mtls {

// From now on, process-wide. Not for anything but measurement: the inputs are predictable.
void UseDeterministicOsInputs();

}  // namespace mtls
