#include "bench_options.h"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

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
ABSL_FLAG(std::string, threads, "",
          "Comma-separated thread counts for the threads/ and harness-overhead/ suites (default: "
          "1, 2, 4, ... up to the number of cores, and the core count itself).");

namespace mtls::bench {
namespace {
[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "mtls-bench: %s\n", message.c_str());
  std::exit(2);
}

// More threads than this is a typo, not a machine (each thread holds its own connections).
constexpr int kMaxThreads = 4096;

std::vector<int> DefaultThreadCounts() {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<int> counts;
  for (int threads = 1; threads <= cores; threads *= 2) counts.push_back(threads);
  if (counts.back() != cores) counts.push_back(cores);
  return counts;
}

std::vector<int> ParseThreadCounts(const std::string& list) {
  if (list.empty()) return DefaultThreadCounts();
  std::vector<int> counts;
  for (absl::string_view item : absl::StrSplit(list, ',')) {
    int threads = 0;
    if (!absl::SimpleAtoi(item, &threads) || threads < 1 || threads > kMaxThreads) {
      Die(absl::StrCat("--threads: '", item, "' is not a thread count from 1 to ", kMaxThreads));
    }
    counts.push_back(threads);
  }
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  return counts;
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
  ThreadCounts();  // a bad --threads fails now, before anything runs
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
      "  --threads=N,N,...          thread counts of the threads/ and harness-overhead/ suites\n"
      "                             (default: 1, 2, 4, ... up to the cores, and the core count)\n"
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
const std::vector<int>& ThreadCounts() {
  static const auto* const counts =
      new std::vector<int>(ParseThreadCounts(absl::GetFlag(FLAGS_threads)));
  return *counts;
}

}  // namespace mtls::bench
