#include "mtls/virtual_clock.h"

#include <time.h>

// Shared with os_determinism_interposer.c (C): where this thread's clock readings come from.
extern "C" {
struct MtlsVirtualClock {
  int64_t start_us;
  const int64_t* elapsed_us;
};
thread_local const MtlsVirtualClock* mtls_thread_virtual_clock = nullptr;
// Defined by the interposer; absent (address 0) in binaries without it.
extern const int mtls_clock_interposed __attribute__((weak));
}

namespace mtls {
namespace {

thread_local MtlsVirtualClock current;

int64_t WallMicros() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
}

}  // namespace

ScopedVirtualClock::ScopedVirtualClock(const int64_t* elapsed_us) {
  current = {WallMicros(), elapsed_us};  // read before the clock turns virtual
  mtls_thread_virtual_clock = &current;
}

ScopedVirtualClock::~ScopedVirtualClock() { mtls_thread_virtual_clock = nullptr; }

std::optional<int64_t> VirtualWallTimeUs() {
  const MtlsVirtualClock* clock = mtls_thread_virtual_clock;
  if (clock == nullptr) return std::nullopt;
  return clock->start_us + *clock->elapsed_us;
}

bool ClockInterposed() { return &mtls_clock_interposed != nullptr; }

}  // namespace mtls
