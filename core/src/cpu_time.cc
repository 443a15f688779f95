#include "mtls/cpu_time.h"

#include <dlfcn.h>

#include <ctime>

namespace mtls {

double ThreadCpuMicros() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

namespace {

// libc's clock_gettime, past the executable's own (os_determinism_interposer.c fakes the
// monotonic clock in deterministic runs, and each reading there moves the clock the libraries see).
double MonotonicMicros() {
  using ClockGettime = int (*)(clockid_t, timespec*);
  static const ClockGettime libc_clock_gettime = [] {
    auto found = reinterpret_cast<ClockGettime>(dlsym(RTLD_NEXT, "clock_gettime"));
    return found != nullptr ? found : &clock_gettime;
  }();
  timespec now{};
  libc_clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

}  // namespace

void CpuTimeSplitter::ChargeTo(double* total_us) {
  if (current_ >= 0 && accounts_[current_].total_us == total_us) return;
  int next = 0;
  while (next < accounts_used_ && accounts_[next].total_us != total_us) ++next;
  if (next == kMaxAccounts) {
    Finish();
    next = 0;
  }
  if (current_ < 0) {
    // The monotonic readings lie inside the CPU clock's, so the span's wall time holds none of
    // those system calls.
    span_start_cpu_us_ = ThreadCpuMicros();
    span_start_wall_us_ = turn_start_us_ = MonotonicMicros();
  } else {
    EndTurn(MonotonicMicros());
  }
  if (next == accounts_used_) accounts_[accounts_used_++] = {total_us, 0};
  current_ = next;
}

void CpuTimeSplitter::EndTurn(double now_us) {
  const double turn_us = now_us - turn_start_us_;
  accounts_[current_].wall_us += turn_us;
  if (turn_us > longest_turn_us_) {
    second_longest_turn_us_ = longest_turn_us_;
    longest_turn_us_ = turn_us;
    longest_turn_account_ = current_;
  } else if (turn_us > second_longest_turn_us_) {
    second_longest_turn_us_ = turn_us;
  }
  turn_start_us_ = now_us;
}

void CpuTimeSplitter::Finish() {
  if (current_ < 0) return;
  const double wall_end_us = MonotonicMicros();
  const double cpu_us = ThreadCpuMicros() - span_start_cpu_us_;
  EndTurn(wall_end_us);
  const double wall_us = wall_end_us - span_start_wall_us_;
  const double off_cpu_us = wall_us - cpu_us;
  double scale = 1;
  if (off_cpu_us > 0) {
    // A preemption lies in one turn: the only turn at least as long as the gap holds it.
    if (longest_turn_us_ >= off_cpu_us && second_longest_turn_us_ < off_cpu_us) {
      accounts_[longest_turn_account_].wall_us -= off_cpu_us;
    } else {
      scale = cpu_us / wall_us;
    }
  }
  for (int i = 0; i < accounts_used_; ++i) {
    if (accounts_[i].total_us != nullptr) *accounts_[i].total_us += accounts_[i].wall_us * scale;
  }
  accounts_used_ = 0;
  current_ = -1;
  longest_turn_account_ = -1;
  longest_turn_us_ = second_longest_turn_us_ = 0;
}

}  // namespace mtls
