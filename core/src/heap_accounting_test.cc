// Linked with the interposer: a known allocation pattern must give exactly known figures.
#include "mtls/heap_accounting.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>

namespace mtls::heap {
namespace {

class HeapAccountingTest : public testing::Test {
 protected:
  void SetUp() override {
    if (kSanitizerOwnsAllocator) GTEST_SKIP() << "a sanitizer owns the allocator";
    ASSERT_TRUE(Available());
    SetEnabled(true);
  }
  void TearDown() override { SetEnabled(false); }
};

// Opaque to the optimiser, so the allocations really happen.
void* volatile sink;

TEST_F(HeapAccountingTest, CountsUsableBytesPeakAndCallsPerTag) {
  const Counters client_before = Snapshot(Tag::kClient);
  const Counters server_before = Snapshot(Tag::kServer);
  ResetPeak(Tag::kClient);
  void* a;
  void* b;
  void* c;
  {
    ScopedTag tag(Tag::kClient);
    a = std::malloc(1000);
    b = std::calloc(10, 100);
    sink = a;
    sink = b;
  }
  {
    ScopedTag tag(Tag::kServer);
    c = std::malloc(300);
    sink = c;
  }
  const size_t usable_a = malloc_usable_size(a);
  const size_t usable_b = malloc_usable_size(b);
  const Counters client = Snapshot(Tag::kClient);
  EXPECT_EQ(client.allocs - client_before.allocs, 2u);
  EXPECT_EQ(client.current - client_before.current, static_cast<int64_t>(usable_a + usable_b));
  EXPECT_EQ(client.peak - client_before.current, static_cast<int64_t>(usable_a + usable_b));
  EXPECT_EQ(Snapshot(Tag::kServer).allocs - server_before.allocs, 1u);

  {
    ScopedTag tag(Tag::kClient);
    std::free(a);
    std::free(b);
  }
  const Counters after_free = Snapshot(Tag::kClient);
  EXPECT_EQ(after_free.current, client_before.current);
  EXPECT_EQ(after_free.peak - client_before.current, static_cast<int64_t>(usable_a + usable_b));
  {
    ScopedTag tag(Tag::kServer);
    std::free(c);
  }
  EXPECT_EQ(Snapshot(Tag::kServer).current, server_before.current);
}

TEST_F(HeapAccountingTest, ReallocMovesTheAccountedSize) {
  ScopedTag tag(Tag::kClient);
  const Counters before = Snapshot(Tag::kClient);
  void* p = std::malloc(16);
  p = std::realloc(p, 4096);
  sink = p;
  EXPECT_EQ(Snapshot(Tag::kClient).current - before.current,
            static_cast<int64_t>(malloc_usable_size(p)));
  EXPECT_EQ(Snapshot(Tag::kClient).allocs - before.allocs, 2u);
  std::free(p);
  EXPECT_EQ(Snapshot(Tag::kClient).current, before.current);
}

TEST_F(HeapAccountingTest, UntaggedAndDisabledAllocationsAreNotCounted) {
  const Counters before = Snapshot(Tag::kClient);
  void* untagged = std::malloc(500);
  sink = untagged;
  std::free(untagged);
  SetEnabled(false);
  {
    ScopedTag tag(Tag::kClient);
    void* disabled = std::malloc(500);
    sink = disabled;
    std::free(disabled);
  }
  EXPECT_EQ(Snapshot(Tag::kClient).allocs, before.allocs);
  EXPECT_EQ(Snapshot(Tag::kClient).current, before.current);
}

}  // namespace
}  // namespace mtls::heap
