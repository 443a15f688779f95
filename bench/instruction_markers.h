// Side markers for outside instruction counters. mtls-count installs one as the core's
// SideObserver; the counter then attributes what it counts to the client or the server:
//   qemu       a marker system call the project's TCG plugin (tools/qemu_plugin) watches for: it
//              keeps one count per side in a single process;
//   callgrind  collection toggled on around the chosen side only (one process per side).
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/side_observer.h"

namespace mtls::bench {

enum class MarkerKind { kNone, kQemuPlugin, kCallgrind };

// "none", "qemu" or "callgrind".
absl::StatusOr<MarkerKind> ParseMarkerKind(absl::string_view name);

// The system call number the qemu plugin takes as a side marker (argument: the CountedSide).
// No kernel implements it: outside the plugin it fails with ENOSYS and does nothing.
inline constexpr long kQemuMarkerSyscall = 0x4d54;

// `counted` matters to callgrind only: the side whose work is collected (kNone: both sides).
// Unimplemented where this build cannot mark (callgrind.h absent for the target).
absl::StatusOr<std::unique_ptr<SideObserver>> MakeSideMarker(MarkerKind kind, CountedSide counted);

}  // namespace mtls::bench
