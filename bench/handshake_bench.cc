// Verified mutual-auth handshakes, client and server in one thread over the in-memory duplex,
// one benchmark per matrix case (names in handshake_case.h, identical across backends).
#include <benchmark/benchmark.h>

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "bench_options.h"
#include "handshake_benchmarks.h"
#include "handshake_case.h"
#include "mtls/backend.h"
#include "mtls/link_model.h"
#include "mtls/cpu_time.h"
#include "mtls/heap_accounting.h"
#include "primitive_costs.h"

namespace mtls::bench {
namespace {

// Handshakes measured with heap accounting on, after the timed loop (accounting costs time).
constexpr int kHeapPasses = 3;

struct Contexts {
  std::unique_ptr<Context> client;
  std::unique_ptr<Context> server;
};

// Creates both contexts, adding the CPU each side spent to *cpu_us[side].
absl::StatusOr<Contexts> CreateContexts(const HandshakeCase& c, double* client_cpu_us,
                                        double* server_cpu_us) {
  Contexts contexts;
  for (Role role : {Role::kClient, Role::kServer}) {
    auto config = c.Endpoint(role);
    if (!config.ok()) return config.status();
    const bool is_client = role == Role::kClient;
    ScopedCpuTimer timer(is_client ? client_cpu_us : server_cpu_us);
    auto context = CreateContext(*config);
    if (!context.ok()) return context.status();
    (is_client ? contexts.client : contexts.server) = *std::move(context);
  }
  return contexts;
}

// One counted handshake: with fresh contexts when the case asks for them.
HandshakeOutcome RunOnce(const HandshakeCase& c, Contexts& shared, absl::Status* setup_error) {
  if (!c.context_per_connection) return RunInMemoryHandshake(*shared.client, *shared.server);
  double client_setup_us = 0;
  double server_setup_us = 0;
  auto fresh = CreateContexts(c, &client_setup_us, &server_setup_us);
  if (!fresh.ok()) {
    *setup_error = fresh.status();
    return {};
  }
  HandshakeOutcome outcome = RunInMemoryHandshake(*fresh->client, *fresh->server);
  outcome.metrics.client_cpu_us += client_setup_us;
  outcome.metrics.server_cpu_us += server_setup_us;
  return outcome;
}

}  // namespace

const std::vector<LinkProfile>& LinkProfiles() {
  static const std::vector<LinkProfile> links = [] {
    auto loaded = LoadLinkProfiles(LinkProfilesPath());
    if (!loaded.ok()) {
      std::fprintf(stderr, "mtls-bench: %s\n", std::string(loaded.status().message()).c_str());
      std::exit(2);
    }
    return *loaded;
  }();
  return links;
}

namespace {

void BM_Handshake(benchmark::State& state, const HandshakeCase& c) {
  double unused_cpu = 0;
  auto contexts = CreateContexts(c, &unused_cpu, &unused_cpu);
  if (!contexts.ok()) {
    state.SkipWithError(std::string(contexts.status().message()).c_str());
    return;
  }
  absl::Status setup_error;
  if (c.spec.resumption != Resumption::kOff || c.context_per_connection) {
    // Warm-up: leaves the session the measured handshakes resume.
    const HandshakeOutcome warmup = RunOnce(c, *contexts, &setup_error);
    if (!warmup.client.completed() || !setup_error.ok()) {
      state.SkipWithError(setup_error.ok() ? warmup.Describe().c_str()
                                           : std::string(setup_error.message()).c_str());
      return;
    }
  }

  HandshakeMetrics total;
  uint64_t datagrams_c2s = 0;
  uint64_t datagrams_s2c = 0;
  HandshakeOutcome last;
  for (auto _ : state) {
    last = RunOnce(c, *contexts, &setup_error);
    if (!setup_error.ok()) {
      state.SkipWithError(std::string(setup_error.message()).c_str());
      return;
    }
    if (auto reason = c.Disqualify(last)) {
      state.SkipWithError(reason->c_str());
      return;
    }
    total.client_cpu_us += last.metrics.client_cpu_us;
    total.server_cpu_us += last.metrics.server_cpu_us;
    total.bytes_c2s += last.metrics.bytes_c2s;
    total.bytes_s2c += last.metrics.bytes_s2c;
    total.flights += last.metrics.flights;
    if (const std::optional<DatagramMetrics>& datagram = last.metrics.datagram) {
      datagrams_c2s += datagram->client.datagrams;
      datagrams_s2c += datagram->server.datagrams;
    }
  }
  const double n = static_cast<double>(state.iterations());
  const double client_cpu_us = total.client_cpu_us / n;
  const double server_cpu_us = total.server_cpu_us / n;

  // Memory: a few more handshakes with accounting on; the largest figures count.
  SideHeap client_heap;
  SideHeap server_heap;
  heap::SetEnabled(true);
  for (int pass = 0; pass < kHeapPasses && heap::Enabled(); ++pass) {
    const HandshakeOutcome measured = RunOnce(c, *contexts, &setup_error);
    if (!setup_error.ok() || c.Disqualify(measured)) continue;
    for (auto [into, from] : {std::pair{&client_heap, &measured.metrics.client_heap},
                              std::pair{&server_heap, &measured.metrics.server_heap}}) {
      into->peak = std::max(into->peak, from->peak);
      into->allocs = std::max(into->allocs, from->allocs);
      into->retained = std::max(into->retained, from->retained);
    }
  }
  heap::SetEnabled(false);

  auto& counters = state.counters;
  counters["client_cpu_us"] = client_cpu_us;
  counters["server_cpu_us"] = server_cpu_us;
  counters["bytes_c2s"] = static_cast<double>(total.bytes_c2s) / n;
  counters["bytes_s2c"] = static_cast<double>(total.bytes_s2c) / n;
  counters["flights"] = total.flights / n;
  if (c.spec.protocol == Protocol::kDtls) {
    counters["datagrams_c2s"] = static_cast<double>(datagrams_c2s) / n;
    counters["datagrams_s2c"] = static_cast<double>(datagrams_s2c) / n;
  }
  // Every counted iteration authenticated as required; the server-auth baseline is not mTLS.
  counters["mutual_auth_verified"] = c.spec.mutual ? 1 : 0;
  counters["client_heap_peak"] = static_cast<double>(client_heap.peak);
  counters["server_heap_peak"] = static_cast<double>(server_heap.peak);
  counters["client_allocs"] = static_cast<double>(client_heap.allocs);
  counters["server_allocs"] = static_cast<double>(server_heap.allocs);
  // What an established connection keeps: the server's figure (it holds many), and the client's.
  counters["conn_retained_bytes"] = static_cast<double>(server_heap.retained);
  counters["client_conn_retained_bytes"] = static_cast<double>(client_heap.retained);

  if (auto costs = MeasuredCosts(c.KeyScheme(), c.spec.group); costs.ok()) {
    const double client_floor = FloorMicros(*costs, CountOperations(c.Shape(), Role::kClient));
    const double server_floor = FloorMicros(*costs, CountOperations(c.Shape(), Role::kServer));
    counters["client_floor_us"] = client_floor;
    counters["server_floor_us"] = server_floor;
    counters["floor_us"] = client_floor + server_floor;
    if (client_floor + server_floor > 0) {
      counters["handshake_floor_ratio"] =
          (client_cpu_us + server_cpu_us) / (client_floor + server_floor);
    }
  }
  for (const LinkProfile& link : LinkProfiles()) {
    counters["tta_ms_" + link.name] =
        TimeToAuthenticateMs(link, last.metrics.flight_log, client_cpu_us, server_cpu_us,
                             ClientSlowdown(), ServerSlowdown());
  }
  state.SetItemsProcessed(state.iterations());  // items_per_second = handshake pairs per second
}

struct CounterInfo {
  const char* name;
  const char* unit;
  bool lower_is_better;
  bool clock;  // depends on the machine's speed (meaningless when emulated)
  const char* source;
  const char* description;
};

constexpr char kBench[] = "mtls-bench";
constexpr char kInsnCount[] = "scripts/lib/insn_count.py";
constexpr char kFootprint[] = "scripts/footprint";
constexpr char kMcu[] = "scripts/lib/mcu_bench.py";

// Per handshake pair unless said otherwise; the report's wording.
constexpr CounterInfo kCounters[] = {
    {"client_cpu_us", "us", true, true, kBench, "client CPU"},
    {"server_cpu_us", "us", true, true, kBench, "server CPU"},
    {"client_instructions", "instructions", true, false, kInsnCount, "client instructions"},
    {"server_instructions", "instructions", true, false, kInsnCount, "server instructions"},
    {"handshake_instructions", "instructions", true, false, kInsnCount,
     "instructions of both sides"},
    {"peak_stack_bytes", "bytes", true, false, kInsnCount, "peak stack of a handshake"},
    {"bytes_c2s", "bytes", true, false, kBench, "bytes client → server"},
    {"bytes_s2c", "bytes", true, false, kBench, "bytes server → client"},
    {"flights", "count", true, false, kBench, "flights (direction changes)"},
    {"datagrams_c2s", "count", true, false, kBench, "DTLS datagrams client → server"},
    {"datagrams_s2c", "count", true, false, kBench, "DTLS datagrams server → client"},
    {"link_ms", "ms", true, false, kBench,
     "DTLS: virtual time on the link (transmission, latency, retransmission timers)"},
    {"tta_ms", "ms", true, true, kBench, "DTLS: time to authenticate (link time + CPU)"},
    {"datagrams", "count", true, false, kBench, "DTLS: datagrams both ways"},
    {"retransmissions", "count", true, false, kBench,
     "DTLS: datagrams resent when a retransmission timer fired"},
    {"datagrams_lost", "count", true, false, kBench, "DTLS: datagrams the link lost"},
    {"client_heap_peak", "bytes", true, false, kBench, "client heap peak"},
    {"server_heap_peak", "bytes", true, false, kBench, "server heap peak"},
    {"client_allocs", "count", true, false, kBench, "client allocations"},
    {"server_allocs", "count", true, false, kBench, "server allocations"},
    {"conn_retained_bytes", "bytes", true, false, kBench,
     "memory per established connection (server)"},
    {"client_conn_retained_bytes", "bytes", true, false, kBench,
     "memory per established connection (client)"},
    {"mutual_auth_verified", "flag", false, false, kBench,
     "1 when every counted handshake verified both sides"},
    {"client_floor_us", "us", true, true, kBench, "client public-key floor"},
    {"server_floor_us", "us", true, true, kBench, "server public-key floor"},
    {"floor_us", "us", true, true, kBench, "public-key floor (both sides)"},
    {"handshake_floor_ratio", "ratio", true, true, kBench, "CPU / public-key floor (both sides)"},
    {"items_per_second", "1/s", false, true, kBench, "handshake pairs (or operations) per second"},
    {"cpu_time", "time_unit", true, true, kBench, "CPU time per iteration"},
    {"real_time", "time_unit", true, true, kBench, "wall time per iteration"},
    {"reference_cpu_us", "us", true, true, kBench, "the backend's bare handshake loop"},
    {"harness_cpu_us", "us", true, true, kBench, "the harness's counted CPU"},
    {"harness_total_cpu_us", "us", true, true, kBench, "the harness's CPU with result extraction"},
    {"overhead_pct", "%", true, true, kBench, "harness overhead against the bare loop"},
    {"total_overhead_pct", "%", true, true, kBench, "overhead including result extraction"},
    {"reference_wall_us", "us", true, true, kBench,
     "the bare loop's wall time per handshake, per thread, less run-queue wait"},
    {"harness_wall_us", "us", true, true, kBench,
     "the harness's wall time per handshake, per thread, less run-queue wait"},
    {"harness_per_bare", "ratio", false, true, kBench,
     "harness handshakes per second over the bare loop's on as many threads (1 = no overhead)"},
    {"flash_bytes", "bytes", true, false, kFootprint, "flash of the static minimal endpoint"},
    {"ram_bytes", "bytes", true, false, kFootprint, "static RAM of the minimal endpoint"},
    {"tls_flash_bytes", "bytes", true, false, kFootprint, "flash of the TLS libraries"},
    {"tls_ram_bytes", "bytes", true, false, kFootprint, "static RAM of the TLS libraries"},
    {"project_flash_bytes", "bytes", true, false, kFootprint, "flash of this project's code"},
    {"client_context_heap", "bytes", true, false, kMcu, "heap the client context holds"},
    {"server_context_heap", "bytes", true, false, kMcu, "heap the server context holds"},
    {"client_stack_peak", "bytes", true, false, kMcu, "client stack peak"},
    {"server_stack_peak", "bytes", true, false, kMcu, "server stack peak"},
    {"library_flash_bytes", "bytes", true, false, kMcu, "flash of the TLS library (firmware)"},
    {"library_ram_bytes", "bytes", true, false, kMcu, "RAM of the TLS library (firmware)"},
    {"firmware_flash_bytes", "bytes", true, false, kMcu, "flash of the whole firmware"},
    {"firmware_ram_bytes", "bytes", true, false, kMcu, "RAM of the whole firmware"},
};

nlohmann::ordered_json Describe(const CounterInfo& counter, const std::string& name,
                                const std::string& description) {
  return {{"name", name},
          {"unit", counter.unit},
          {"better", counter.lower_is_better ? "lower" : "higher"},
          {"clock", counter.clock},
          {"source", counter.source},
          {"description", description}};
}

}  // namespace

nlohmann::ordered_json CounterDescriptions() {
  nlohmann::ordered_json counters = nlohmann::ordered_json::array();
  for (const CounterInfo& counter : kCounters) {
    counters.push_back(Describe(counter, counter.name, counter.description));
  }
  constexpr CounterInfo kTimeToAuthenticate = {"tta_ms_", "ms", true, true, kBench, ""};
  for (const LinkProfile& link : LinkProfiles()) {
    nlohmann::ordered_json counter =
        Describe(kTimeToAuthenticate, kTimeToAuthenticate.name + link.name,
                 "modelled time to authenticate on " + link.name);
    counter["link"] = link.name;  // the profile's name, for labels
    counters.push_back(std::move(counter));
  }
  return counters;
}

void WarmUp() {
  HandshakeCase c;
  if (!c.Supported().ok()) c.spec.version = TlsVersion::kTls12;
  double unused = 0;
  auto contexts = CreateContexts(c, &unused, &unused);
  if (!contexts.ok()) return;  // the benchmarks report the problem themselves
  const double start = ThreadCpuMicros();
  while (ThreadCpuMicros() - start < 300000)
    RunInMemoryHandshake(*contexts->client, *contexts->server);
}

void RegisterHandshakeBenchmarks() {
  const std::vector<HandshakeCase> cases =
      SelectedMatrix() == Matrix::kFull ? FullMatrix() : DefaultMatrix();
  for (const HandshakeCase& c : cases) {
    // A case the backend cannot do is left out with the reason, never replaced by another.
    if (absl::Status supported = c.Supported(); !supported.ok()) {
      std::fprintf(stderr, "mtls-bench: skipped %s: %s\n", c.Name().c_str(),
                   std::string(supported.message()).c_str());
      continue;
    }
    // Both peers run in this thread, so the default CPU time is the handshake pair's.
    benchmark::RegisterBenchmark(c.Name().c_str(), BM_Handshake, c)->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace mtls::bench
