// mtls-bench: Google Benchmark first (its flags pass through), then the project's suites.
#include <benchmark/benchmark.h>

#include "handshake_benchmarks.h"
#include "run_context.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  mtls::bench::AddRunContext();
  mtls::bench::RegisterHandshakeBenchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
