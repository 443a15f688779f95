// One side of a handshake the core drives in one thread (handshake.cc over a byte stream,
// datagram_handshake.cc over a datagram link): its session plus what the driver knows of its
// progress. Internal to core/src.
#pragma once

#include <memory>

#include "mtls/backend.h"
#include "mtls/cpu_time.h"
#include "mtls/handshake.h"
#include "mtls/heap_accounting.h"
#include "mtls/side_observer.h"

namespace mtls::internal {

// One side's session plus what the driver knows of its progress. Everything the side does runs
// under its CPU timer, its heap tag and its instruction-counter mark.
struct Side {
  Side(heap::Tag side_tag, double* side_cpu_us) : tag(side_tag), cpu_us(side_cpu_us) {}

  CountedSide counted() const {
    return tag == heap::Tag::kClient ? CountedSide::kClient : CountedSide::kServer;
  }

  heap::Tag tag;
  double* cpu_us;
  std::unique_ptr<Session> session;
  heap::Counters heap_at_start;
  bool done = false;
  bool failed = false;

  bool finished() const { return done || failed; }

  void Begin() {
    heap_at_start = heap::Snapshot(tag);
    heap::ResetPeak(tag);
  }

  SideHeap Heap() const {
    const heap::Counters now = heap::Snapshot(tag);
    return {now.peak - heap_at_start.current, now.allocs - heap_at_start.allocs,
            now.current - heap_at_start.current};
  }

  absl::Status Open(Context& context, Transport& transport) {
    ScopedCpuTimer timer(cpu_us);
    heap::ScopedTag heap_tag(tag);
    ScopedSide counted_side(counted());
    auto opened = context.NewSession(transport);
    if (!opened.ok()) return opened.status();
    session = *std::move(opened);
    return absl::OkStatus();
  }

  void Step() {
    ScopedCpuTimer timer(cpu_us);
    heap::ScopedTag heap_tag(tag);
    ScopedSide counted_side(counted());
    absl::StatusOr<bool> complete = session->Handshake();
    if (!complete.ok()) {
      failed = true;
    } else {
      done = *complete;
    }
  }

  // DTLS: the side's retransmission timer fired.
  void Timeout() {
    ScopedCpuTimer timer(cpu_us);
    heap::ScopedTag heap_tag(tag);
    ScopedSide counted_side(counted());
    if (!session->OnRetransmissionTimeout().ok()) failed = true;
  }

  void AfterHandshake() {
    ScopedCpuTimer timer(cpu_us);
    heap::ScopedTag heap_tag(tag);
    ScopedSide counted_side(counted());
    if (!session->ProcessPostHandshake().ok()) failed = true;
  }

  // Closing and freeing the connection is part of what each connection costs its side.
  void Close() {
    ScopedCpuTimer timer(cpu_us);
    heap::ScopedTag heap_tag(tag);
    ScopedSide counted_side(counted());
    session->Close();
    session.reset();
  }
};

}  // namespace mtls::internal
