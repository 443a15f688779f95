// Handshake throughput on the --threads counts, each thread driving its own client/server pairs,
// with one server context shared by all threads (a real server, whose session cache and ticket
// keys every thread then shares when it resumes) and one client context shared too (in a
// resumption case one per thread instead: see PrimedDevice), or fresh contexts per connection.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bench_options.h"
#include "handshake_benchmarks.h"
#include "handshake_case.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mtls/backend.h"
#include "mtls/status.h"

namespace mtls::bench {
namespace {

struct SharedContexts {
  std::once_flag once;
  absl::Status status;
  std::unique_ptr<Context> client;  // null in a resumption case: each thread is its own client
  std::unique_ptr<Context> server;
};

absl::StatusOr<std::unique_ptr<Context>> CreateEndpoint(const HandshakeCase& c, Role role) {
  auto config = c.Endpoint(role);
  if (!config.ok()) return config.status();
  return CreateContext(*config);
}

absl::Status Create(const HandshakeCase& c, std::unique_ptr<Context>* client,
                    std::unique_ptr<Context>* server) {
  MTLS_ASSIGN_OR_RETURN(*client, CreateEndpoint(c, Role::kClient));
  MTLS_ASSIGN_OR_RETURN(*server, CreateEndpoint(c, Role::kServer));
  return absl::OkStatus();
}

absl::Status CreateShared(const HandshakeCase& c, SharedContexts* shared) {
  if (c.spec.resumption != Resumption::kOff) {
    MTLS_ASSIGN_OR_RETURN(shared->server, CreateEndpoint(c, Role::kServer));
    return absl::OkStatus();
  }
  return Create(c, &shared->client, &shared->server);
}

// A resumption case models many client devices, each resuming its own session against the one
// shared server: each thread is one device, with its own client context and its own first (full)
// handshake before the timed loop. One client context shared by all threads would have every
// thread offer the same client's newest session, which is not what a server sees and which TLS
// 1.3 rules out (RFC 8446 C.4: a client should not reuse a ticket): OpenSSL 3.0's client marks a
// TLS 1.3 session not resumable as the handshake that used it ends (tls_finish_handshake removes
// it from the client cache), so a thread that took it before that handshake's new ticket arrived
// did a full handshake.
absl::StatusOr<std::unique_ptr<Context>> PrimedDevice(const HandshakeCase& c, Context& server) {
  MTLS_ASSIGN_OR_RETURN(auto device, CreateEndpoint(c, Role::kClient));
  const HandshakeOutcome first = RunInMemoryHandshake(*device, server);
  if (!first.MutuallyAuthenticated()) {
    return absl::AbortedError(absl::StrCat("first (full) handshake: ", first.Describe()));
  }
  return device;
}

void BM_Threads(benchmark::State& state, const HandshakeCase& c, SharedContexts* shared) {
  std::call_once(shared->once, [&] { shared->status = CreateShared(c, shared); });
  if (!shared->status.ok()) {
    state.SkipWithError(std::string(shared->status.message()).c_str());
    return;
  }
  std::unique_ptr<Context> device;
  if (c.spec.resumption != Resumption::kOff) {
    auto primed = PrimedDevice(c, *shared->server);
    if (!primed.ok()) {
      state.SkipWithError(std::string(primed.status().message()).c_str());
      return;
    }
    device = *std::move(primed);
  }
  for (auto _ : state) {
    std::unique_ptr<Context> own_client;
    std::unique_ptr<Context> own_server;
    Context* client = device ? device.get() : shared->client.get();
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

// The manifest's finding that the library loses a client's session once other clients' sessions
// came in between (on the conformance case resumption/<kind>/<version>/after-200-other-clients:
// wolfSSL 5.5's tickets live in a process-wide cache of 11 rows of 3). Every other thread here is
// another client, so such a case runs on one thread: at more, whether a device's session survives
// depends on how the devices' IDs hash.
std::optional<Capability> LosesSessionsAmongClients(const HandshakeCase& c) {
  if (c.spec.resumption == Resumption::kOff) return std::nullopt;
  return DocumentedFinding(absl::StrCat(ResumptionCaseName(c.spec), kAfterOtherClients));
}

}  // namespace

std::vector<HandshakeCase> ThreadCases() {
  std::vector<HandshakeCase> cases;
  for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
    for (bool per_connection : {false, true}) {
      cases.push_back({.spec = {.version = version}, .context_per_connection = per_connection});
    }
    cases.push_back({.spec = {.version = version, .resumption = Resumption::kTickets}});
  }
  cases.push_back({.spec = {.version = TlsVersion::kTls12, .resumption = Resumption::kSessionIds}});
  return cases;
}

void RegisterThreadBenchmarks() {
  for (const HandshakeCase& c : ThreadCases()) {
    if (absl::Status supported = c.Supported(); !supported.ok()) {
      std::fprintf(stderr, "mtls-bench: skipped %s: %s\n", c.Name(kThreadSuite).c_str(),
                   std::string(supported.message()).c_str());
      continue;
    }
    std::vector<int> counts = ThreadCounts();
    if (std::optional<Capability> finding = LosesSessionsAmongClients(c)) {
      std::vector<int> skipped;
      std::erase_if(counts, [&](int threads) {
        if (threads > 1) skipped.push_back(threads);
        return threads > 1;
      });
      if (!skipped.empty()) {
        std::fprintf(stderr, "mtls-bench: skipped %s at %s threads: %s\n",
                     c.Name(kThreadSuite).c_str(), absl::StrJoin(skipped, ",").c_str(),
                     finding->reason.c_str());
      }
      if (counts.empty()) continue;
    }
    auto* shared = new SharedContexts;  // lives for the whole run, like the benchmark itself
    auto* benchmark =
        benchmark::RegisterBenchmark(c.Name(kThreadSuite).c_str(), BM_Threads, c, shared);
    benchmark->Unit(benchmark::kMicrosecond)->UseRealTime();
    for (int threads : counts) benchmark->Threads(threads);
  }
}

}  // namespace mtls::bench
