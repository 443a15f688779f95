// Per-side heap accounting that works the same for every backend: an allocator interposer
// (core/src/heap_interposer.cc, linked into the benchmark binary and its test) reports each
// malloc/free with its usable size, and the handshake driver tags which side is running.
// Without the interposer linked in, Available() is false and the counters stay zero.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mtls::heap {

enum class Tag : int { kNone = 0, kClient = 1, kServer = 2 };

// This thread's figures for one tag, in usable bytes (what the allocator really hands out).
struct Counters {
  int64_t current = 0;  // allocated minus freed under this tag
  int64_t peak = 0;     // highest `current` since the last ResetPeak
  uint64_t allocs = 0;  // allocation calls (malloc, calloc, realloc, aligned variants)
};

// In sanitizer builds the sanitizer owns the allocator: the interposer stands down (compiles to
// nothing) and Available() is false.
#if defined(__SANITIZE_ADDRESS__)
#define MTLS_SANITIZER_OWNS_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MTLS_SANITIZER_OWNS_ALLOCATOR 1
#endif
#endif
#ifndef MTLS_SANITIZER_OWNS_ALLOCATOR
#define MTLS_SANITIZER_OWNS_ALLOCATOR 0
#endif
inline constexpr bool kSanitizerOwnsAllocator = MTLS_SANITIZER_OWNS_ALLOCATOR;

bool Available();
// Accounting costs a little per allocation; benchmarks enable it only for dedicated passes.
void SetEnabled(bool enabled);
bool Enabled();

Counters Snapshot(Tag tag);
void ResetPeak(Tag tag);

// Attributes this thread's allocations to `tag` while in scope (kNone: not attributed).
class ScopedTag {
 public:
  explicit ScopedTag(Tag tag);
  ~ScopedTag();
  ScopedTag(const ScopedTag&) = delete;
  ScopedTag& operator=(const ScopedTag&) = delete;

 private:
  Tag previous_;
};

// Called by the interposer only.
void RecordAllocation(size_t usable_bytes);
void RecordFree(size_t usable_bytes);

}  // namespace mtls::heap
