#include "mtls/side_observer.h"

namespace mtls {
namespace {
SideObserver* g_observer = nullptr;
}  // namespace

void SetSideObserver(SideObserver* observer) { g_observer = observer; }

ScopedSide::ScopedSide(CountedSide side) {
  if (g_observer != nullptr) g_observer->Switch(side);
}

ScopedSide::~ScopedSide() {
  if (g_observer != nullptr) g_observer->Switch(CountedSide::kNone);
}

}  // namespace mtls
