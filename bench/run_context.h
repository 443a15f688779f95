// The JSON context every benchmark run carries (DESIGN: backend, backend_version, arch, cpu,
// compiler, build_type), so results from different builds and machines line up.
#pragma once

#include <string>

namespace mtls::bench {

std::string TargetArch();  // "x86_64", "aarch64", "armhf", "riscv64"
std::string CpuModel();    // from /proc/cpuinfo; "unknown" where it says nothing

// Adds the context fields to Google Benchmark's output.
void AddRunContext();

}  // namespace mtls::bench
