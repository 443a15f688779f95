#include "run_context.h"

#include <benchmark/benchmark.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "mtls/backend.h"

#ifndef MTLS_BUILD_TYPE
#define MTLS_BUILD_TYPE "unknown"
#endif

namespace mtls::bench {

std::string TargetArch() {
#if defined(__x86_64__)
  return "x86_64";
#elif defined(__aarch64__)
  return "aarch64";
#elif defined(__arm__)
  return "armhf";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#else
  return "unknown";
#endif
}

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    for (absl::string_view key : {"model name", "uarch", "Model", "cpu model"}) {
      if (absl::StartsWith(line, key) && line.find(':') != std::string::npos) {
        return std::string(absl::StripAsciiWhitespace(line.substr(line.find(':') + 1)));
      }
    }
  }
  return "unknown";
}

void AddRunContext() {
  const BackendInfo info = CurrentBackend();
  benchmark::AddCustomContext("backend", info.name);
  benchmark::AddCustomContext("backend_id", info.id);
  benchmark::AddCustomContext("backend_version", info.version);
  benchmark::AddCustomContext("arch", TargetArch());
  benchmark::AddCustomContext("cpu", CpuModel());
#if defined(__clang__)
  benchmark::AddCustomContext("compiler", "clang " __clang_version__);
#else
  benchmark::AddCustomContext("compiler", "gcc " __VERSION__);
#endif
  benchmark::AddCustomContext("build_type", MTLS_BUILD_TYPE);
}

}  // namespace mtls::bench
