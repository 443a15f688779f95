// mtls-bench: Google Benchmark's flags first, then the project's (bench_options.h), then the
// suites. --describe prints what the binary measures as JSON (run_context.h) and exits.
#include <benchmark/benchmark.h>

#include <cstring>
#include <iostream>

#include "bench_options.h"
#include "handshake_benchmarks.h"
#include "run_context.h"

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0) mtls::bench::PrintBenchFlagsHelp();
  }
  // Read before Initialize removes Google Benchmark's flags from argv.
  const auto file_reporter = mtls::bench::MakeFileReporter(argc, argv);
  benchmark::Initialize(&argc, argv);
  mtls::bench::ParseBenchFlags(argc, argv);
  if (mtls::bench::DescribeRequested()) {
    std::cout << mtls::bench::Describe().dump(2) << "\n";
    return 0;
  }
  mtls::bench::AddRunContext();
  mtls::bench::RegisterHandshakeBenchmarks();
  mtls::bench::RegisterHarnessOverheadBenchmarks();
  mtls::bench::RegisterPrimitiveBenchmarks();
  mtls::bench::RegisterThreadBenchmarks();
  mtls::bench::RegisterDatagramLinkBenchmarks();
  mtls::bench::WarmUp();
  benchmark::RunSpecifiedBenchmarks(nullptr, file_reporter.get());
  benchmark::Shutdown();
  return 0;
}
