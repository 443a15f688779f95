// Per-thread CPU time, the clock that attributes handshake work to client or server.
#pragma once

namespace mtls {

// CPU time consumed by the calling thread, in microseconds.
double ThreadCpuMicros();

// Adds the thread CPU time spent in its scope to *total_us.
class ScopedCpuTimer {
 public:
  explicit ScopedCpuTimer(double* total_us) : total_us_(total_us), start_(ThreadCpuMicros()) {}
  ~ScopedCpuTimer() { *total_us_ += ThreadCpuMicros() - start_; }
  ScopedCpuTimer(const ScopedCpuTimer&) = delete;
  ScopedCpuTimer& operator=(const ScopedCpuTimer&) = delete;

 private:
  double* total_us_;
  double start_;
};

// Splits the thread's CPU time between accounts that take turns (the two sides of a handshake)
// with two readings of the thread's CPU clock per span, the first ChargeTo to Finish, instead of
// two per turn: those readings are system calls (thread CPU clocks have no vDSO path), ~1.5-3 us
// each on a VM, plus the TLB entries a kernel with page-table isolation drops, which made the
// harness's handshake ~10 % slower than the library's bare loop. Turns are timed with the
// monotonic clock (vDSO, no system call); whatever the span spent off the CPU (preemption, steal)
// is taken from the one turn long enough to hold it if there is exactly one such turn, else from
// all turns in proportion, so the accounts add up to the span's CPU time.
class CpuTimeSplitter {
 public:
  CpuTimeSplitter() = default;
  CpuTimeSplitter(const CpuTimeSplitter&) = delete;
  CpuTimeSplitter& operator=(const CpuTimeSplitter&) = delete;

  // The CPU time from now on goes to *total_us (nullptr: to no account); a no-op if it already
  // does. The first call starts a span.
  void ChargeTo(double* total_us);
  // Ends the span and adds each account's share to it; without it the accounts get nothing.
  void Finish();

 private:
  struct Account {
    double* total_us;
    double wall_us;
  };
  static constexpr int kMaxAccounts = 4;  // a fifth account ends the span and starts another

  void EndTurn(double now_us);

  Account accounts_[kMaxAccounts] = {};
  int accounts_used_ = 0;
  int current_ = -1;  // the account being charged; -1: no span
  double turn_start_us_ = 0;
  double span_start_wall_us_ = 0;
  double span_start_cpu_us_ = 0;
  int longest_turn_account_ = -1;
  double longest_turn_us_ = 0;
  double second_longest_turn_us_ = 0;
};

}  // namespace mtls
