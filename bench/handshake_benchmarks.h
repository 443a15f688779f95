// Registration of the benchmark suites with Google Benchmark (called from main), and what the
// suites write: the counters and the primitive cases (for mtls-bench --describe).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "handshake_case.h"

namespace mtls::bench {

void RegisterHandshakeBenchmarks();  // handshake/...: the matrix (handshake_bench.cc)
void RegisterPrimitiveBenchmarks();  // primitive/...: the public-key floor (primitive_bench.cc)
void RegisterThreadBenchmarks();     // threads/...: scaling (thread_bench.cc)
void RegisterHarnessOverheadBenchmarks();  // harness-overhead/...: against the bare loop
// The cases of the threads/ and harness-overhead/ suites (before the backend's support is known).
std::vector<HandshakeCase> ThreadCases();
std::vector<HandshakeCase> HarnessOverheadCases();
// Runs handshakes for a moment so the first benchmark does not pay for warming the machine up.
void WarmUp();

// Every counter a results row can carry (the suites', Google Benchmark's and those the scripts
// add): name, unit, "better" (lower or higher), clock (depends on the machine's speed), source
// and a description.
nlohmann::ordered_json CounterDescriptions();

// The primitive suite's benchmark names with their fields (suite, operation, scheme or group).
std::vector<std::pair<std::string, nlohmann::ordered_json>> PrimitiveCases();

}  // namespace mtls::bench
