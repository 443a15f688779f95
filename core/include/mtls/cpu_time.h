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

}  // namespace mtls
