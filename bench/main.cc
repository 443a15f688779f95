// mtls-bench: Google Benchmark's flags first, then the project's (bench_options.h), then the
// suites.
#include <benchmark/benchmark.h>

#include <cstring>

#include "bench_options.h"
#include "handshake_benchmarks.h"
#include "run_context.h"

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0) mtls::bench::PrintBenchFlagsHelp();
  }
  benchmark::Initialize(&argc, argv);
  mtls::bench::ParseBenchFlags(argc, argv);
  mtls::bench::AddRunContext();
  mtls::bench::RegisterHandshakeBenchmarks();
  mtls::bench::RegisterHarnessOverheadBenchmarks();
  mtls::bench::RegisterPrimitiveBenchmarks();
  mtls::bench::RegisterThreadBenchmarks();
  mtls::bench::WarmUp();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
