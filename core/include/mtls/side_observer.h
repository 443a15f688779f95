// Tells an outside observer which side of a handshake the calling thread is working for, so that
// an instruction counter (a qemu TCG plugin, callgrind) can attribute what it counts per side.
// Off by default: then a switch costs one load and a branch.
#pragma once

#include <cstdint>

namespace mtls {

enum class CountedSide : uint8_t { kNone = 0, kClient = 1, kServer = 2 };

class SideObserver {
 public:
  virtual ~SideObserver() = default;
  // Work from now on is for `side` (kNone: for neither, e.g. the driver between steps).
  virtual void Switch(CountedSide side) = 0;
};

// Installs the process-wide observer (nullptr: none). Not thread-safe: set it before handshakes.
void SetSideObserver(SideObserver* observer);

// Attributes its scope to one side; restores kNone when it ends.
class ScopedSide {
 public:
  explicit ScopedSide(CountedSide side);
  ~ScopedSide();
  ScopedSide(const ScopedSide&) = delete;
  ScopedSide& operator=(const ScopedSide&) = delete;
};

}  // namespace mtls
