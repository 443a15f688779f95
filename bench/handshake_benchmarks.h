// Registration of the benchmark suites with Google Benchmark (called from main).
#pragma once

namespace mtls::bench {

void RegisterHandshakeBenchmarks();  // handshake/...: the matrix (handshake_bench.cc)
void RegisterPrimitiveBenchmarks();  // primitive/...: the public-key floor (primitive_bench.cc)
void RegisterThreadBenchmarks();     // threads/...: scaling (thread_bench.cc)
void RegisterHarnessOverheadBenchmarks();  // harness-overhead/...: against the bare loop
// Runs handshakes for a moment so the first benchmark does not pay for warming the machine up.
void WarmUp();

}  // namespace mtls::bench
