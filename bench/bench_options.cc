#include "bench_options.h"

#include <cstdio>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"

#ifndef MTLS_LINK_PROFILES
#error "the build defines MTLS_LINK_PROFILES (the shipped bench/link_profiles.json)"
#endif

ABSL_FLAG(std::string, matrix, "default",
          "Handshake matrix: default (the cases the report needs) or full (every combination).");
ABSL_FLAG(std::string, link_profiles, MTLS_LINK_PROFILES,
          "JSON file of link profiles for the time-to-authenticate counters.");
ABSL_FLAG(double, client_slowdown, 1.0,
          "CPU slow-down of the target device (client) against this machine, for the link model.");
ABSL_FLAG(double, server_slowdown, 1.0, "CPU slow-down of the server, for the link model.");
ABSL_FLAG(bool, describe, false,
          "Print what this binary measures (schemes, groups, versions, counters, case fields) as "
          "JSON and exit.");

namespace mtls::bench {
namespace {
[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "mtls-bench: %s\n", message.c_str());
  std::exit(2);
}
}  // namespace

void ParseBenchFlags(int argc, char** argv) {
  const std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() > 1) Die(absl::StrCat("unexpected argument '", rest[1], "' (see --help)"));
  const std::string matrix = absl::GetFlag(FLAGS_matrix);
  if (matrix != "default" && matrix != "full") {
    Die(absl::StrCat("unknown --matrix '", matrix, "' (default or full)"));
  }
  if (absl::GetFlag(FLAGS_client_slowdown) <= 0 || absl::GetFlag(FLAGS_server_slowdown) <= 0) {
    Die("slow-down factors must be positive");
  }
}

void PrintBenchFlagsHelp() {
  std::printf(
      "mtls-bench: verified mutual-auth handshakes on this binary's TLS backend.\n"
      "Project flags:\n"
      "  --matrix=default|full      handshake cases to register (default: %s)\n"
      "  --link_profiles=FILE       link profiles for the tta_ms_* counters\n"
      "  --client_slowdown=F        device CPU slow-down for the link model (default 1)\n"
      "  --server_slowdown=F        server CPU slow-down for the link model (default 1)\n"
      "  --describe                 print the schemes, groups, versions, counters and case fields\n"
      "                             as JSON and exit\n"
      "Google Benchmark flags follow.\n\n",
      "default");
}

Matrix SelectedMatrix() {
  return absl::GetFlag(FLAGS_matrix) == "full" ? Matrix::kFull : Matrix::kDefault;
}
std::string LinkProfilesPath() { return absl::GetFlag(FLAGS_link_profiles); }
double ClientSlowdown() { return absl::GetFlag(FLAGS_client_slowdown); }
double ServerSlowdown() { return absl::GetFlag(FLAGS_server_slowdown); }
bool DescribeRequested() { return absl::GetFlag(FLAGS_describe); }

}  // namespace mtls::bench
