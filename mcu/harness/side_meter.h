// Per-side accounting on the microcontroller: which side's work runs (instruction markers for
// the qemu plugin, and the core's cycles where it counts them), whose heap an allocation is (a
// counting allocator the adapters install through their library's allocator hook), and each
// side's deepest stack (painting).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mtls::mcu {

enum class Side { kNone = 0, kClient = 1, kServer = 2 };

// From now on instructions and cycles count for `side` and allocations belong to it.
void EnterSide(Side side);

// The core's cycles spent in `side` since ResetCycles (0 where the board counts none).
uint64_t CyclesOf(Side side);
void ResetCycles();
// Allocations belong to `side`; instruction attribution stays (set-up outside the handshake).
void OwnHeap(Side side);

struct HeapFigures {
  size_t live = 0;         // bytes allocated and not yet freed
  size_t peak = 0;         // highest `live` since ResetHeapPeak
  size_t allocations = 0;  // calls since the start
};
HeapFigures HeapOf(Side side);
void ResetHeapPeak(Side side);

// The allocator the libraries are given (malloc semantics; calloc zeroes).
void* MeteredMalloc(size_t size);
void* MeteredCalloc(size_t count, size_t size);
void* MeteredRealloc(void* pointer, size_t size);
void MeteredFree(void* pointer);

}  // namespace mtls::mcu

// The marker functions whose addresses the qemu plugin watches (marker0..2), one per Side.
extern "C" void mtls_marker_none(void);
extern "C" void mtls_marker_client(void);
extern "C" void mtls_marker_server(void);
