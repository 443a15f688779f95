// Harness overhead, measured paired: each iteration runs the backend's own bare handshake loop
// (mtls/reference_loop.h, nothing of this project in it) and the harness's handshake for the same
// case, alternating which goes first, so machine noise hits both alike. Reports the CPU of each
// and the overhead of the harness's per-side counters against the bare loop.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "handshake_benchmarks.h"
#include "handshake_case.h"
#include "mtls/backend.h"
#include "mtls/cpu_time.h"
#include "mtls/pki_catalog.h"
#include "mtls/reference_loop.h"

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

void BM_HarnessOverhead(benchmark::State& state, const HandshakeCase& c) {
  auto loop = ReferenceLoopFor(c);
  std::unique_ptr<Context> contexts[2];
  absl::Status status = loop.status();
  for (Role role : {Role::kClient, Role::kServer}) {
    if (!status.ok()) break;
    auto config = c.Endpoint(role);
    auto context = config.ok() ? CreateContext(*config) : config.status();
    status = context.status();
    if (status.ok()) contexts[role == Role::kClient ? 0 : 1] = *std::move(context);
  }
  if (!status.ok()) {
    state.SkipWithError(std::string(status.message()).c_str());
    return;
  }
  double reference_us = 0;
  double harness_counted_us = 0;  // client_cpu_us + server_cpu_us, as the handshake suite reports
  double harness_total_us = 0;    // everything the harness did, including result extraction
  bool reference_first = true;
  for (auto _ : state) {
    for (int turn = 0; turn < 2; ++turn) {
      if ((turn == 0) == reference_first) {
        const double start = ThreadCpuMicros();
        status = (*loop)->RunOnce();
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

}  // namespace

void RegisterHarnessOverheadBenchmarks() {
  if (absl::Status supported = RequireCapability("reference-loop"); !supported.ok()) {
    std::fprintf(stderr, "mtls-bench: harness-overhead benchmarks skipped: %s\n",
                 std::string(supported.message()).c_str());
    return;
  }
  for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
    const HandshakeCase c{.spec = {.version = version}};
    benchmark::RegisterBenchmark(c.Name("harness-overhead").c_str(), BM_HarnessOverhead, c)
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace mtls::bench
