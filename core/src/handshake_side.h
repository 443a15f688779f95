// One side of a handshake the core drives in one thread (handshake.cc over a byte stream,
// datagram_handshake.cc over a datagram link): its session plus what the driver knows of its
// progress. Internal to core/src.
#pragma once

#include <memory>
#include <optional>

#include "mtls/backend.h"
#include "mtls/cpu_time.h"
#include "mtls/handshake.h"
#include "mtls/heap_accounting.h"
#include "mtls/side_observer.h"

namespace mtls::internal {

// One side's session plus what the driver knows of its progress. Everything the side does runs
// under its CPU timer, its heap tag and its instruction-counter mark. With a `splitter` shared by
// both sides, the side's work is charged through it and the driver switches it away (to the other
// side or to nobody) when the side's turn ends; without, each step has a timer of its own.
struct Side {
  Side(heap::Tag side_tag, double* side_cpu_us, CpuTimeSplitter* splitter = nullptr)
      : tag(side_tag), cpu_us(side_cpu_us), cpu_splitter(splitter) {}

  CountedSide counted() const {
    return tag == heap::Tag::kClient ? CountedSide::kClient : CountedSide::kServer;
  }

  heap::Tag tag;
  double* cpu_us;
  CpuTimeSplitter* cpu_splitter;
  std::unique_ptr<Session> session;
  heap::Counters heap_at_start;
  bool done = false;
  bool failed = false;

  bool finished() const { return done || failed; }

  // Charges the CPU time of its scope (with a splitter: from its start on) to the side.
  class CpuCharge {
   public:
    explicit CpuCharge(const Side& side) {
      if (side.cpu_splitter != nullptr) {
        side.cpu_splitter->ChargeTo(side.cpu_us);
      } else {
        timer_.emplace(side.cpu_us);
      }
    }

   private:
    std::optional<ScopedCpuTimer> timer_;
  };

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
    const CpuCharge cpu(*this);
    heap::ScopedTag heap_tag(tag);
    ScopedSide counted_side(counted());
    auto opened = context.NewSession(transport);
    if (!opened.ok()) return opened.status();
    session = *std::move(opened);
    return absl::OkStatus();
  }

  void Step() {
    const CpuCharge cpu(*this);
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
    const CpuCharge cpu(*this);
    heap::ScopedTag heap_tag(tag);
    ScopedSide counted_side(counted());
    if (!session->OnRetransmissionTimeout().ok()) failed = true;
  }

  void AfterHandshake() {
    const CpuCharge cpu(*this);
    heap::ScopedTag heap_tag(tag);
    ScopedSide counted_side(counted());
    if (!session->ProcessPostHandshake().ok()) failed = true;
  }

  // Closing and freeing the connection is part of what each connection costs its side.
  void Close() {
    const CpuCharge cpu(*this);
    heap::ScopedTag heap_tag(tag);
    ScopedSide counted_side(counted());
    session->Close();
    session.reset();
  }
};

}  // namespace mtls::internal
