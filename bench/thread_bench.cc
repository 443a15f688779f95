// Handshake throughput on the --threads counts, each thread driving its own client/server pairs,
// with one context pair shared by all threads (a real server, whose session cache and ticket keys
// every thread then shares when it resumes) or fresh contexts per connection.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <mutex>
#include <vector>

#include "bench_options.h"
#include "handshake_benchmarks.h"
#include "handshake_case.h"
#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/status.h"

namespace mtls::bench {
namespace {

struct SharedContexts {
  std::once_flag once;
  absl::Status status;
  std::unique_ptr<Context> client;
  std::unique_ptr<Context> server;
};

absl::Status Create(const HandshakeCase& c, std::unique_ptr<Context>* client,
                    std::unique_ptr<Context>* server) {
  for (Role role : {Role::kClient, Role::kServer}) {
    auto config = c.Endpoint(role);
    if (!config.ok()) return config.status();
    auto context = CreateContext(*config);
    if (!context.ok()) return context.status();
    *(role == Role::kClient ? client : server) = *std::move(context);
  }
  return absl::OkStatus();
}

// The shared pair, and for a resumption case the full handshake that leaves the client its
// first session (later ones replace it as the threads resume).
absl::Status CreateShared(const HandshakeCase& c, SharedContexts* shared) {
  MTLS_RETURN_IF_ERROR(Create(c, &shared->client, &shared->server));
  if (c.spec.resumption == Resumption::kOff) return absl::OkStatus();
  const HandshakeOutcome first = RunInMemoryHandshake(*shared->client, *shared->server);
  if (!first.MutuallyAuthenticated()) {
    return absl::AbortedError(absl::StrCat("first (full) handshake: ", first.Describe()));
  }
  return absl::OkStatus();
}

void BM_Threads(benchmark::State& state, const HandshakeCase& c, SharedContexts* shared) {
  std::call_once(shared->once, [&] { shared->status = CreateShared(c, shared); });
  if (!shared->status.ok()) {
    state.SkipWithError(std::string(shared->status.message()).c_str());
    return;
  }
  for (auto _ : state) {
    std::unique_ptr<Context> own_client;
    std::unique_ptr<Context> own_server;
    Context* client = shared->client.get();
    Context* server = shared->server.get();
    if (c.context_per_connection) {
      if (absl::Status status = Create(c, &own_client, &own_server); !status.ok()) {
        state.SkipWithError(std::string(status.message()).c_str());
        return;
      }
      client = own_client.get();
      server = own_server.get();
    }
    const HandshakeOutcome outcome = RunInMemoryHandshake(*client, *server);
    if (auto reason = c.Disqualify(outcome)) {
      state.SkipWithError(reason->c_str());
      return;
    }
  }
  ReleaseThreadState();  // benchmark threads end after each run
  state.counters["mutual_auth_verified"] =
      benchmark::Counter(c.spec.mutual ? 1 : 0, benchmark::Counter::kAvgThreads);
  state.SetItemsProcessed(state.iterations());  // summed over threads: pairs/s of the machine
}

}  // namespace

void RegisterThreadBenchmarks() {
  std::vector<HandshakeCase> cases;
  for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
    for (bool per_connection : {false, true}) {
      cases.push_back({.spec = {.version = version}, .context_per_connection = per_connection});
    }
    cases.push_back({.spec = {.version = version, .resumption = Resumption::kTickets}});
  }
  cases.push_back({.spec = {.version = TlsVersion::kTls12, .resumption = Resumption::kSessionIds}});
  for (const HandshakeCase& c : cases) {
    if (absl::Status supported = c.Supported(); !supported.ok()) {
      std::fprintf(stderr, "mtls-bench: skipped %s: %s\n", c.Name("threads").c_str(),
                   std::string(supported.message()).c_str());
      continue;
    }
    auto* shared = new SharedContexts;  // lives for the whole run, like the benchmark itself
    auto* benchmark =
        benchmark::RegisterBenchmark(c.Name("threads").c_str(), BM_Threads, c, shared);
    benchmark->Unit(benchmark::kMicrosecond)->UseRealTime();
    for (int threads : ThreadCounts()) benchmark->Threads(threads);
  }
}

}  // namespace mtls::bench
