// Harness overhead, measured paired: each iteration runs the backend's own bare handshake loop
// (mtls/reference_loop.h, nothing of this project in it) and the harness's handshake for the same
// case, alternating which goes first, so machine noise hits both alike. Reports the CPU of each
// and the overhead of the harness's per-side counters against the bare loop.
#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <unistd.h>

#include <barrier>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench_options.h"
#include "handshake_benchmarks.h"
#include "handshake_case.h"
#include "mtls/backend.h"
#include "mtls/cpu_time.h"
#include "mtls/pki_catalog.h"
#include "mtls/reference_loop.h"
#include "mtls/status.h"

namespace mtls::bench {
namespace {

absl::StatusOr<std::unique_ptr<ReferenceLoop>> ReferenceLoopFor(const HandshakeCase& c) {
  const std::string dir = absl::StrCat(DefaultPkiDir(), "/", c.spec.scheme, "/");
  const std::string depth = absl::StrCat("-d", c.spec.depth);
  return MakeReferenceLoop({
      .trust_anchor_file = dir + "root.crt",
      .client_chain_file = dir + "client" + depth + ".chain.pem",
      .client_key_file = dir + "client" + depth + ".key",
      .server_chain_file = dir + "server" + depth + ".chain.pem",
      .server_key_file = dir + "server" + depth + ".key",
      .server_name = "server.mtls.test",
      .version = c.spec.version,
      .groups = GroupsFor(c.spec.group, c.spec.scheme, c.spec.version),
  });
}

// The bare loop and the harness's contexts for one case (one pair per benchmark thread).
struct Contenders {
  std::unique_ptr<ReferenceLoop> loop;
  std::unique_ptr<Context> contexts[2];  // client, server
};

absl::StatusOr<Contenders> CreateContenders(const HandshakeCase& c) {
  Contenders contenders;
  MTLS_ASSIGN_OR_RETURN(contenders.loop, ReferenceLoopFor(c));
  for (Role role : {Role::kClient, Role::kServer}) {
    MTLS_ASSIGN_OR_RETURN(EndpointConfig config, c.Endpoint(role));
    MTLS_ASSIGN_OR_RETURN(contenders.contexts[role == Role::kClient ? 0 : 1],
                          CreateContext(config));
  }
  return contenders;
}

void BM_HarnessOverhead(benchmark::State& state, const HandshakeCase& c) {
  auto contenders = CreateContenders(c);
  if (!contenders.ok()) {
    state.SkipWithError(std::string(contenders.status().message()).c_str());
    return;
  }
  ReferenceLoop* loop = contenders->loop.get();
  std::unique_ptr<Context>* contexts = contenders->contexts;
  absl::Status status;
  double reference_us = 0;
  double harness_counted_us = 0;  // client_cpu_us + server_cpu_us, as the handshake suite reports
  double harness_total_us = 0;    // everything the harness did, including result extraction
  bool reference_first = true;
  for (auto _ : state) {
    for (int turn = 0; turn < 2; ++turn) {
      if ((turn == 0) == reference_first) {
        const double start = ThreadCpuMicros();
        status = loop->RunOnce();
        reference_us += ThreadCpuMicros() - start;
      } else {
        const double start = ThreadCpuMicros();
        const HandshakeOutcome outcome = RunInMemoryHandshake(*contexts[0], *contexts[1]);
        harness_total_us += ThreadCpuMicros() - start;
        harness_counted_us += outcome.metrics.client_cpu_us + outcome.metrics.server_cpu_us;
        if (auto reason = c.Disqualify(outcome)) status = absl::AbortedError(*reason);
      }
      if (!status.ok()) {
        state.SkipWithError(std::string(status.message()).c_str());
        return;
      }
    }
    reference_first = !reference_first;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["reference_cpu_us"] = reference_us / n;
  state.counters["harness_cpu_us"] = harness_counted_us / n;
  state.counters["harness_total_cpu_us"] = harness_total_us / n;
  state.counters["overhead_pct"] = (harness_counted_us / reference_us - 1) * 100;
  state.counters["total_overhead_pct"] = (harness_total_us / reference_us - 1) * 100;
  state.counters["mutual_auth_verified"] = 1;
}

// The time this thread has stood runnable while the machine ran something else (the second
// field of /proc/thread-self/schedstat); zero where the kernel does not say.
class RunQueueWait {
 public:
  RunQueueWait() : fd_(open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC)) {}
  ~RunQueueWait() {
    if (fd_ >= 0) close(fd_);
  }
  RunQueueWait(const RunQueueWait&) = delete;
  RunQueueWait& operator=(const RunQueueWait&) = delete;

  absl::Duration SoFar() const {
    char text[96];
    const ssize_t length = fd_ >= 0 ? pread(fd_, text, sizeof(text) - 1, 0) : -1;
    if (length <= 0) return absl::ZeroDuration();
    text[length] = '\0';
    char* end = nullptr;
    std::strtoull(text, &end, 10);  // time on the CPU
    return absl::Nanoseconds(std::strtoull(end, nullptr, 10));
  }

 private:
  int fd_;
};

// How long `phase` took this thread in wall time, less its run-queue wait: a lock the phase
// sleeps on counts, another process holding the CPU does not. That exclusion matters on a shared
// machine: the harness's per-step CPU-time reads are system calls, on whose return the
// scheduler preempts a thread whose time slice ran out, so preemption lands in the harness's
// phase rather than the bare loop's (which makes none) and wall time alone charges it there.
template <typename Phase>
absl::Duration Timed(const RunQueueWait& wait, Phase phase) {
  const absl::Time start = absl::Now();
  const absl::Duration waited = wait.SoFar();  // read after `start`, like the end pair
  phase();
  const absl::Time end = absl::Now();
  return (end - start) - (wait.SoFar() - waited);
}

// Every thread of a run is in the same phase at once (Setup makes a barrier per run).
std::unique_ptr<std::barrier<>> phases;
void StartRun(const benchmark::State& state) {
  phases = std::make_unique<std::barrier<>>(state.threads());
}
void EndRun(const benchmark::State&) { phases.reset(); }

// The pairing on N threads: each thread has its own bare loop and harness contexts, and all
// threads run the bare loop together, then the harness together (the order alternating per
// iteration), so each side meets only copies of itself, as in the threads/ suite; a lock or
// shared state the harness added would make its handshakes wait where the bare loop's do not.
// harness_per_bare is the harness's handshake rate over the bare loop's at this thread count
// (1 = no overhead).
void BM_HarnessOverheadThreads(benchmark::State& state, const HandshakeCase& c) {
  auto contenders = CreateContenders(c);
  if (!contenders.ok()) {
    phases->arrive_and_drop();
    state.SkipWithError(std::string(contenders.status().message()).c_str());
    return;
  }
  const RunQueueWait wait;
  absl::Duration reference;
  absl::Duration harness;
  bool reference_first = true;
  absl::Status status;
  for (auto _ : state) {
    for (int turn = 0; turn < 2 && status.ok(); ++turn) {
      phases->arrive_and_wait();
      if ((turn == 0) == reference_first) {
        reference += Timed(wait, [&] { status = contenders->loop->RunOnce(); });
      } else {
        harness += Timed(wait, [&] {
          const HandshakeOutcome outcome =
              RunInMemoryHandshake(*contenders->contexts[0], *contenders->contexts[1]);
          if (auto reason = c.Disqualify(outcome)) status = absl::AbortedError(*reason);
        });
      }
    }
    if (!status.ok()) {
      phases->arrive_and_drop();  // the other threads go on without this one
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    reference_first = !reference_first;
  }
  ReleaseThreadState();  // benchmark threads end after each run
  const double n = static_cast<double>(state.iterations());
  constexpr auto kAvg = benchmark::Counter::kAvgThreads;
  state.counters["reference_wall_us"] =
      benchmark::Counter(absl::ToDoubleMicroseconds(reference) / n, kAvg);
  state.counters["harness_wall_us"] =
      benchmark::Counter(absl::ToDoubleMicroseconds(harness) / n, kAvg);
  state.counters["harness_per_bare"] =
      benchmark::Counter(absl::FDivDuration(reference, harness), kAvg);
  state.counters["mutual_auth_verified"] = benchmark::Counter(1, kAvg);
}

}  // namespace

std::vector<HandshakeCase> HarnessOverheadCases() {
  return {{.spec = {.version = TlsVersion::kTls13}}, {.spec = {.version = TlsVersion::kTls12}}};
}

void RegisterHarnessOverheadBenchmarks() {
  if (absl::Status supported = RequireCapability("reference-loop"); !supported.ok()) {
    std::fprintf(stderr, "mtls-bench: harness-overhead benchmarks skipped: %s\n",
                 std::string(supported.message()).c_str());
    return;
  }
  for (const HandshakeCase& c : HarnessOverheadCases()) {
    benchmark::RegisterBenchmark(c.Name(kOverheadSuite).c_str(), BM_HarnessOverhead, c)
        ->Unit(benchmark::kMicrosecond);
    auto* threaded =
        benchmark::RegisterBenchmark(c.Name(kOverheadSuite).c_str(), BM_HarnessOverheadThreads, c);
    threaded->Unit(benchmark::kMicrosecond)->UseRealTime()->Setup(StartRun)->Teardown(EndRun);
    for (int threads : ThreadCounts()) threaded->Threads(threads);
  }
}

}  // namespace mtls::bench
