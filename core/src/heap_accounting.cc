#include "mtls/heap_accounting.h"

#include <algorithm>
#include <atomic>

// Defined by heap_interposer.cc when it is linked in.
extern "C" __attribute__((weak)) int mtls_heap_interposer_linked();

namespace mtls::heap {
namespace {

std::atomic<bool> enabled{false};
// Constant-initialised thread locals: safe to touch from inside malloc at any time.
thread_local Tag current_tag = Tag::kNone;
thread_local Counters counters[3];

}  // namespace

bool Available() { return mtls_heap_interposer_linked != nullptr; }
void SetEnabled(bool on) { enabled.store(on && Available(), std::memory_order_relaxed); }
bool Enabled() { return enabled.load(std::memory_order_relaxed); }

Counters Snapshot(Tag tag) { return counters[static_cast<int>(tag)]; }
void ResetPeak(Tag tag) {
  Counters& c = counters[static_cast<int>(tag)];
  c.peak = c.current;
}

ScopedTag::ScopedTag(Tag tag) : previous_(current_tag) { current_tag = tag; }
ScopedTag::~ScopedTag() { current_tag = previous_; }

void RecordAllocation(size_t usable_bytes) {
  if (current_tag == Tag::kNone || !enabled.load(std::memory_order_relaxed)) return;
  Counters& c = counters[static_cast<int>(current_tag)];
  c.current += static_cast<int64_t>(usable_bytes);
  c.peak = std::max(c.peak, c.current);
  ++c.allocs;
}

void RecordFree(size_t usable_bytes) {
  if (current_tag == Tag::kNone || !enabled.load(std::memory_order_relaxed)) return;
  counters[static_cast<int>(current_tag)].current -= static_cast<int64_t>(usable_bytes);
}

}  // namespace mtls::heap
