// mtls-count: runs one benchmark case's handshakes under side markers, for an outside
// instruction counter (scripts/lib/insn_count.py runs it under qemu with the project's TCG plugin,
// or under callgrind). Deterministic by default: the OS entropy every backend seeds from and the
// wall clock are fixed (mtls/os_determinism.h), so the same binary executes the same instructions
// run after run.
// Prints one JSON object: the case, bytes, flights and the peak stack depth of the handshakes.
#include <pthread.h>
#include <sys/mman.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "handshake_case.h"
#include "instruction_markers.h"
#include "mtls/backend.h"
#include "mtls/cli.h"
#include "mtls/determinism.h"
#include "mtls/handshake.h"
#include "mtls/os_determinism.h"
#include "mtls/side_observer.h"
#include "mtls/status.h"
#include "run_context.h"

ABSL_FLAG(std::string, case_name, "",
          "Benchmark case to run (a name from --list; identical to mtls-bench's). Default: the "
          "headline case, TLS 1.3 ECDSA P-256 mTLS with X25519 (HandshakeCase's defaults).");
ABSL_FLAG(bool, list, false, "Print the case names (the full matrix) and exit.");
ABSL_FLAG(int, handshakes, 4, "Counted handshakes, after one uncounted warm-up handshake.");
ABSL_FLAG(std::string, marker, "none",
          "How to tell the counter which side runs: none, qemu (TCG plugin) or callgrind.");
ABSL_FLAG(std::string, side, "both",
          "callgrind: the side whose instructions are collected (client, server or both).");
ABSL_FLAG(bool, deterministic, true,
          "Fixed entropy and wall clock for every library (counts repeat; never for real use).");

namespace mtls::bench {
namespace {

// The handshakes run on a thread with a painted stack; the deepest byte changed is the peak.
constexpr size_t kStackBytes = 4 << 20;
constexpr unsigned char kPaint = 0xa5;

struct Run {
  const HandshakeCase* c = nullptr;
  // Built on the main thread, so that nothing in the measurement thread's heap depends on where
  // the test PKI lies (the path's length moved malloc's layout and with it the counts).
  EndpointConfig client_config;
  EndpointConfig server_config;
  int handshakes = 0;
  SideObserver* marker = nullptr;
  HandshakeOutcome last;
  std::string error;
  unsigned char* stack = nullptr;  // lowest address of the thread's stack
  uintptr_t entry_sp = 0;          // stack address where the handshakes began
};

// Paints what lies below the caller's frame again (a margin keeps clear of live data), so the
// peak measured afterwards is the handshakes', not context creation's.
[[gnu::noinline]] void RepaintBelowCaller(Run& run) {
  volatile unsigned char here = 0;
  constexpr uintptr_t kMargin = 1024;
  run.entry_sp = reinterpret_cast<uintptr_t>(&here);
  std::memset(run.stack, kPaint, run.entry_sp - kMargin - reinterpret_cast<uintptr_t>(run.stack));
}

struct Contexts {
  std::unique_ptr<Context> client;
  std::unique_ptr<Context> server;
};

// Context creation counts for its side (it is part of each handshake when the case says so).
absl::StatusOr<Contexts> CreateContexts(const Run& run) {
  Contexts contexts;
  {
    ScopedSide side(CountedSide::kClient);
    MTLS_ASSIGN_OR_RETURN(contexts.client, CreateContext(run.client_config));
  }
  ScopedSide side(CountedSide::kServer);
  MTLS_ASSIGN_OR_RETURN(contexts.server, CreateContext(run.server_config));
  return contexts;
}

// Counted handshakes must pass the case's test (verified, resumed when asked); the warm-up,
// which makes the session later ones resume, only has to authenticate.
bool RunHandshakes(Run& run, Contexts& shared, int count, bool warm_up) {
  for (int i = 0; i < count; ++i) {
    Contexts fresh;
    Contexts* contexts = &shared;
    if (run.c->context_per_connection) {
      auto created = CreateContexts(run);
      if (!created.ok()) {
        run.error = std::string(created.status().message());
        return false;
      }
      fresh = *std::move(created);
      contexts = &fresh;
    }
    run.last = RunInMemoryHandshake(*contexts->client, *contexts->server);
    const bool authenticated =
        run.c->spec.mutual ? run.last.MutuallyAuthenticated() : run.last.ServerAuthenticated();
    if (warm_up && !authenticated) {
      run.error = run.last.Describe();
      return false;
    }
    if (auto reason = run.c->Disqualify(run.last); reason && !warm_up) {
      run.error = *reason;
      return false;
    }
  }
  return true;
}

void* RunOnPaintedStack(void* arg) {
  Run& run = *static_cast<Run*>(arg);
  auto shared = CreateContexts(run);
  if (!shared.ok()) {
    run.error = std::string(shared.status().message());
    return nullptr;
  }
  RepaintBelowCaller(run);
  // The warm-up leaves what later handshakes reuse (a session to resume, lazily built tables).
  if (!RunHandshakes(run, *shared, 1, /*warm_up=*/true)) return nullptr;
  SetSideObserver(run.marker);
  RunHandshakes(run, *shared, run.handshakes, /*warm_up=*/false);
  SetSideObserver(nullptr);
  return nullptr;
}

const HandshakeCase* FindCase(const std::vector<HandshakeCase>& cases, const std::string& name) {
  for (const HandshakeCase& c : cases) {
    if (c.Name() == name) return &c;
  }
  return nullptr;
}

int Main() {
  const std::vector<HandshakeCase> cases = FullMatrix();
  if (absl::GetFlag(FLAGS_list)) {
    for (const HandshakeCase& c : cases) std::printf("%s\n", c.Name().c_str());
    return 0;
  }
  std::string name = absl::GetFlag(FLAGS_case_name);
  if (name.empty()) name = HandshakeCase{}.Name();
  const HandshakeCase* c = FindCase(cases, name);
  if (c == nullptr) cli::Die(absl::StrCat("unknown case '", name, "' (see --list)"));
  const int handshakes = absl::GetFlag(FLAGS_handshakes);
  if (handshakes < 1) cli::Die("--handshakes must be at least 1");
  auto kind = ParseMarkerKind(absl::GetFlag(FLAGS_marker));
  if (!kind.ok()) cli::Die(kind.status());
  const std::string side_name = absl::GetFlag(FLAGS_side);
  CountedSide counted = CountedSide::kNone;
  if (side_name == "client") {
    counted = CountedSide::kClient;
  } else if (side_name == "server") {
    counted = CountedSide::kServer;
  } else if (side_name != "both") {
    cli::Die(absl::StrCat("unknown side '", side_name, "' (client, server or both)"));
  }
  auto marker = MakeSideMarker(*kind, counted);
  if (!marker.ok()) cli::Die(marker.status());

  nlohmann::json out = {{"case", name},
                        {"backend", CurrentBackend().id},
                        {"backend_version", CurrentBackend().version},
                        {"arch", TargetArch()},
                        {"handshakes", handshakes},
                        {"deterministic", absl::GetFlag(FLAGS_deterministic)}};
  if (absl::Status supported = c->Supported(); !supported.ok()) {
    out["skipped"] = std::string(supported.message());
    std::cout << out.dump() << "\n";
    return 0;
  }
  if (absl::GetFlag(FLAGS_deterministic)) {
    ResetDeterministicRandom(1);
    UseDeterministicOsInputs();
  }

  void* stack =
      mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (stack == MAP_FAILED) cli::Die("cannot map the measurement thread's stack");
  std::memset(stack, kPaint, kStackBytes);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstack(&attr, stack, kStackBytes);
  Run run;
  run.c = c;
  for (auto [role, config] : {std::pair{Role::kClient, &run.client_config},
                              std::pair{Role::kServer, &run.server_config}}) {
    auto built = c->Endpoint(role);
    if (!built.ok()) cli::Die(absl::StrCat(name, ": ", built.status().message()), 1);
    *config = *std::move(built);
  }
  run.handshakes = handshakes;
  run.marker = marker->get();
  run.stack = static_cast<unsigned char*>(stack);
  pthread_t thread;
  if (pthread_create(&thread, &attr, RunOnPaintedStack, &run) != 0) {
    cli::Die("cannot start the measurement thread");
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  if (!run.error.empty()) cli::Die(absl::StrCat(name, ": ", run.error), 1);

  const auto* low = static_cast<const unsigned char*>(stack);
  size_t untouched = 0;
  while (untouched < kStackBytes && low[untouched] == kPaint) ++untouched;
  const uintptr_t deepest = reinterpret_cast<uintptr_t>(low + untouched);
  out["peak_stack_bytes"] = run.entry_sp > deepest ? run.entry_sp - deepest : 0;
  out["bytes_c2s"] = run.last.metrics.bytes_c2s;
  out["bytes_s2c"] = run.last.metrics.bytes_s2c;
  out["flights"] = run.last.metrics.flights;
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace
}  // namespace mtls::bench

int main(int argc, char** argv) {
  mtls::cli::ParseFlagsOrDie(
      argc, argv,
      "Runs one benchmark case's verified handshakes under side markers for an instruction "
      "counter.\nUsage: mtls-count [--case_name NAME] [--handshakes N] "
      "[--marker none|qemu|callgrind] [--side client|server|both] | --list\n"
      "Prints one JSON object. Exit status: 0 done (or skipped: unsupported), 1 a handshake did "
      "not authenticate, 2 bad input.");
  return mtls::bench::Main();
}
