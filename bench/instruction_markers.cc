#include "instruction_markers.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define MTLS_HAVE_CALLGRIND 1
#endif

namespace mtls::bench {
namespace {

class NoMarker : public SideObserver {
 public:
  void Switch(CountedSide) override {}
};

class QemuPluginMarker : public SideObserver {
 public:
  void Switch(CountedSide side) override { syscall(kQemuMarkerSyscall, static_cast<long>(side)); }
};

#ifdef MTLS_HAVE_CALLGRIND
class CallgrindMarker : public SideObserver {
 public:
  explicit CallgrindMarker(CountedSide counted) : counted_(counted) {}
  void Switch(CountedSide side) override {
    const bool collect =
        side != CountedSide::kNone && (counted_ == CountedSide::kNone || side == counted_);
    if (collect != collecting_) {
      CALLGRIND_TOGGLE_COLLECT;
      collecting_ = collect;
    }
  }

 private:
  CountedSide counted_;
  bool collecting_ = false;  // valgrind runs with --collect-atstart=no
};
#endif

}  // namespace

absl::StatusOr<MarkerKind> ParseMarkerKind(absl::string_view name) {
  if (name == "none") return MarkerKind::kNone;
  if (name == "qemu") return MarkerKind::kQemuPlugin;
  if (name == "callgrind") return MarkerKind::kCallgrind;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown marker '", name, "' (none, qemu or callgrind)"));
}

absl::StatusOr<std::unique_ptr<SideObserver>> MakeSideMarker(MarkerKind kind, CountedSide counted) {
  switch (kind) {
    case MarkerKind::kNone:
      return std::make_unique<NoMarker>();
    case MarkerKind::kQemuPlugin:
      return std::make_unique<QemuPluginMarker>();
    case MarkerKind::kCallgrind:
#ifdef MTLS_HAVE_CALLGRIND
      return std::make_unique<CallgrindMarker>(counted);
#else
      (void)counted;
      return absl::UnimplementedError(
          "callgrind markers: valgrind/callgrind.h is not available "
          "for this target");
#endif
  }
  return absl::InvalidArgumentError("unknown marker kind");
}

}  // namespace mtls::bench
