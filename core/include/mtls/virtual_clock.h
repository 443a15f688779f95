// DTLS retransmission timers in virtual time, for libraries that read the system clock for them
// (OpenSSL, GnuTLS): while a ScopedVirtualClock lives, time(), gettimeofday() and clock_gettime()
// on the wall and monotonic clocks answer, on this thread only, the wall time at its start plus the
// virtual time elapsed on the link. Only binaries that link the clock interposer
// (mtls_os_determinism_interposer, os_determinism_interposer.c) have it; elsewhere
// ClockInterposed() says false and such a library's timers run in real time.
#pragma once

#include <cstdint>
#include <optional>

namespace mtls {

class ScopedVirtualClock {
 public:
  // `elapsed_us` (the link's virtual time) must outlive this object.
  explicit ScopedVirtualClock(const int64_t* elapsed_us);
  ~ScopedVirtualClock();
  ScopedVirtualClock(const ScopedVirtualClock&) = delete;
  ScopedVirtualClock& operator=(const ScopedVirtualClock&) = delete;
};

// The wall time this thread's ScopedVirtualClock says, in microseconds since the Unix epoch;
// none without one. For libraries that take their clock from a callback (BoringSSL).
std::optional<int64_t> VirtualWallTimeUs();

// True when this binary's system-clock readings follow a thread's ScopedVirtualClock.
bool ClockInterposed();

}  // namespace mtls
