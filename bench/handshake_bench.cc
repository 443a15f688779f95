// Verified mutual-auth handshakes, client and server in one thread over the in-memory duplex.
// Names are identical across backends so compare.py and the report line rows up:
//   handshake/<mtls|server-auth>/<scheme>/d<depth>/<TLS version>/<group>/<full|resumed-...>
#include <benchmark/benchmark.h>

#include "absl/strings/str_cat.h"
#include "handshake_benchmarks.h"
#include "mtls/backend.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"

namespace mtls::bench {
namespace {

struct HandshakeCase {
  bool mutual = true;  // false: the labelled server-auth-only baseline
  std::string scheme = "ecdsa-p256";
  int depth = 1;
  TlsVersion version = TlsVersion::kTls13;
  Group group = Group::kX25519;
  Resumption resumption = Resumption::kOff;

  std::string Name() const {
    return absl::StrCat("handshake/", mutual ? "mtls" : "server-auth", "/", scheme, "/d", depth, "/",
                        TlsVersionName(version), "/", GroupName(group), "/",
                        resumption == Resumption::kOff ? "full"
                                                       : absl::StrCat("resumed-", ResumptionName(resumption)));
  }
};

absl::StatusOr<EndpointConfig> Endpoint(const HandshakeCase& c, Role role) {
  EndpointConfig config;
  config.role = role;
  config.min_version = config.max_version = c.version;
  config.groups = GroupsFor(c.group, c.scheme, c.version);
  config.resumption = c.resumption;
  auto anchors = LoadRoot(DefaultPkiDir(), c.scheme);
  if (!anchors.ok()) return anchors.status();
  config.trust_anchors_der = *std::move(anchors);
  if (role == Role::kServer || c.mutual) {
    auto credentials = LoadLeafCredentials(DefaultPkiDir(), c.scheme, role, c.depth);
    if (!credentials.ok()) return credentials.status();
    config.credentials = *std::move(credentials);
  }
  if (role == Role::kClient) config.expected_peer_name = "server.mtls.test";
  if (role == Role::kServer && !c.mutual) config.client_auth = ClientAuth::kNone;
  return config;
}

// What must hold for an iteration to count; otherwise the reason it does not.
std::optional<std::string> Disqualify(const HandshakeCase& c, const HandshakeOutcome& outcome) {
  if (c.mutual ? !outcome.MutuallyAuthenticated() : !outcome.ServerAuthenticated()) {
    return absl::StrCat("not authenticated: ", outcome.Describe());
  }
  const bool want_resumed = c.resumption != Resumption::kOff;
  if (outcome.client.resumed != want_resumed || outcome.server.resumed != want_resumed) {
    return want_resumed ? "handshake did not resume" : "full handshake resumed unexpectedly";
  }
  return std::nullopt;
}

void BM_Handshake(benchmark::State& state, const HandshakeCase& c) {
  std::unique_ptr<Context> contexts[2];
  for (Role role : {Role::kClient, Role::kServer}) {
    auto config = Endpoint(c, role);
    auto context = config.ok() ? CreateContext(*config) : config.status();
    if (!context.ok()) {
      state.SkipWithError(std::string(context.status().message()).c_str());
      return;
    }
    contexts[role == Role::kClient ? 0 : 1] = *std::move(context);
  }
  Context& client = *contexts[0];
  Context& server = *contexts[1];
  if (c.resumption != Resumption::kOff) {
    // The first handshake is full; it leaves the session the measured ones resume.
    const HandshakeOutcome warmup = RunInMemoryHandshake(client, server);
    if (!warmup.MutuallyAuthenticated() && c.mutual) {
      state.SkipWithError(warmup.Describe().c_str());
      return;
    }
  }
  HandshakeMetrics total;
  for (auto _ : state) {
    const HandshakeOutcome outcome = RunInMemoryHandshake(client, server);
    if (auto reason = Disqualify(c, outcome)) {
      state.SkipWithError(reason->c_str());
      return;
    }
    total.client_cpu_us += outcome.metrics.client_cpu_us;
    total.server_cpu_us += outcome.metrics.server_cpu_us;
    total.bytes_c2s += outcome.metrics.bytes_c2s;
    total.bytes_s2c += outcome.metrics.bytes_s2c;
    total.flights += outcome.metrics.flights;
  }
  using benchmark::Counter;
  const auto per_handshake = Counter::kAvgIterations;
  state.counters["client_cpu_us"] = Counter(total.client_cpu_us, per_handshake);
  state.counters["server_cpu_us"] = Counter(total.server_cpu_us, per_handshake);
  state.counters["bytes_c2s"] = Counter(static_cast<double>(total.bytes_c2s), per_handshake);
  state.counters["bytes_s2c"] = Counter(static_cast<double>(total.bytes_s2c), per_handshake);
  state.counters["flights"] = Counter(total.flights, per_handshake);
  // Every counted iteration was verified (others stop the benchmark); the baseline is not mTLS.
  state.counters["mutual_auth_verified"] = c.mutual ? 1 : 0;
  state.SetItemsProcessed(state.iterations());  // items_per_second = handshake pairs per second
}

}  // namespace

void RegisterHandshakeBenchmarks() {
  std::vector<HandshakeCase> cases;
  for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
    for (bool mutual : {true, false}) {
      HandshakeCase c;
      c.version = version;
      c.mutual = mutual;
      cases.push_back(c);
    }
  }
  for (const HandshakeCase& c : cases) {
    // Both peers run in this thread, so the default CPU time is the handshake pair's.
    benchmark::RegisterBenchmark(c.Name().c_str(), BM_Handshake, c)->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace mtls::bench
