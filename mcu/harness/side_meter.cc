#include "side_meter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

// Distinct bodies and noipa: the compiler must neither fold them into one nor inline them, or
// the plugin would not see which side was entered.
static volatile uint32_t marker_calls[3];
extern "C" __attribute__((noipa)) void mtls_marker_none(void) {
  marker_calls[0] = marker_calls[0] + 1;
}
extern "C" __attribute__((noipa)) void mtls_marker_client(void) {
  marker_calls[1] = marker_calls[1] + 1;
}
extern "C" __attribute__((noipa)) void mtls_marker_server(void) {
  marker_calls[2] = marker_calls[2] + 1;
}

namespace mtls::mcu {
namespace {

Side heap_owner = Side::kNone;
HeapFigures heap[3];
Side cycles_owner = Side::kNone;
uint32_t cycles_mark = 0;  // the counter when cycles_owner was entered
uint64_t cycles[3];

// Each block carries its size and owner, so that a free counts against the side that allocated.
struct alignas(8) BlockHeader {
  uint32_t size;
  uint32_t owner;
};

void Count(Side owner, size_t size) {
  HeapFigures& figures = heap[static_cast<int>(owner)];
  figures.live += size;
  ++figures.allocations;
  if (figures.live > figures.peak) figures.peak = figures.live;
}

void Uncount(const BlockHeader* header) { heap[header->owner].live -= header->size; }

}  // namespace

void EnterSide(Side side) {
  uint32_t now = BoardCycles();
  cycles[static_cast<int>(cycles_owner)] += now - cycles_mark;  // modulo 2^32: wraps are fine
  cycles_mark = now;
  cycles_owner = side;
  heap_owner = side;
  switch (side) {
    case Side::kNone:
      mtls_marker_none();
      break;
    case Side::kClient:
      mtls_marker_client();
      break;
    case Side::kServer:
      mtls_marker_server();
      break;
  }
}

void OwnHeap(Side side) { heap_owner = side; }

uint64_t CyclesOf(Side side) { return cycles[static_cast<int>(side)]; }

void ResetCycles() {
  for (uint64_t& count : cycles) count = 0;
  cycles_mark = BoardCycles();
}

HeapFigures HeapOf(Side side) { return heap[static_cast<int>(side)]; }

void ResetHeapPeak(Side side) {
  HeapFigures& figures = heap[static_cast<int>(side)];
  figures.peak = figures.live;
}

void* MeteredMalloc(size_t size) {
  auto* header = static_cast<BlockHeader*>(malloc(sizeof(BlockHeader) + size));
  if (header == nullptr) return nullptr;
  header->size = static_cast<uint32_t>(size);
  header->owner = static_cast<uint32_t>(heap_owner);
  Count(heap_owner, size);
  return header + 1;
}

void* MeteredCalloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return nullptr;
  void* pointer = MeteredMalloc(count * size);
  if (pointer != nullptr) memset(pointer, 0, count * size);
  return pointer;
}

void MeteredFree(void* pointer) {
  if (pointer == nullptr) return;
  BlockHeader* header = static_cast<BlockHeader*>(pointer) - 1;
  Uncount(header);
  free(header);
}

void* MeteredRealloc(void* pointer, size_t size) {
  if (pointer == nullptr) return MeteredMalloc(size);
  void* moved = MeteredMalloc(size);
  if (moved == nullptr) return nullptr;
  const BlockHeader* header = static_cast<BlockHeader*>(pointer) - 1;
  memcpy(moved, pointer, header->size < size ? header->size : size);
  MeteredFree(pointer);
  return moved;
}

}  // namespace mtls::mcu
