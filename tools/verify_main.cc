// mtls-verify: certificate-chain verification by this build's backend, outside a handshake.
//   --limbo: the x509-limbo harness contract (testsuite JSON on stdin, results JSON on stdout);
//   --chains: inputs in the client_chain fuzz format (files or directories), one JSON line each,
//             for the differential verifier (scripts/x509-diff) to compare across backends.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_split.h"
#include "limbo_harness.h"
#include "mtls/backend.h"
#include "mtls/chain_input.h"
#include "mtls/cli.h"
#include "mtls/pki.h"
#include "mtls/status.h"
#include "mtls/x509_check.h"
#include "nlohmann/json.hpp"

ABSL_FLAG(bool, limbo, false, "read a limbo testsuite on stdin, write limbo results on stdout");
ABSL_FLAG(bool, expect, false,
          "with --limbo: exit 1 when a result that is not SKIPPED differs from expected_result");
ABSL_FLAG(double, min_evaluated, 0,
          "with --limbo --expect: exit 1 also when fewer than this fraction of the testcases "
          "were evaluated (not SKIPPED)");
ABSL_FLAG(std::string, chains, "",
          "comma-separated files or directories of client_chain inputs to verify (clientAuth "
          "policy, the input's scheme root as anchor, the fuzz targets' fixed time)");

namespace {

using nlohmann::json;

int RunLimbo() {
  json suite;
  try {
    suite = json::parse(std::cin);
  } catch (const json::exception& error) {
    mtls::cli::Die(std::string("stdin is not JSON: ") + error.what());
  }
  auto results = mtls::limbo::Evaluate(suite);
  if (!results.ok()) mtls::cli::Die(results.status());
  std::cout << results->dump(2) << "\n";
  if (!absl::GetFlag(FLAGS_expect)) return 0;
  const auto mismatches = mtls::limbo::Mismatches(suite, *results);
  for (const std::string& line : mismatches) std::fprintf(stderr, "mismatch: %s\n", line.c_str());
  size_t evaluated = 0;
  for (const json& result : (*results)["results"]) {
    evaluated += result.value("actual_result", "") != "SKIPPED";
  }
  const size_t total = (*results)["results"].size();
  const bool enough = evaluated >= absl::GetFlag(FLAGS_min_evaluated) * static_cast<double>(total);
  if (!enough) {
    std::fprintf(stderr, "evaluated %zu of %zu testcases, fewer than --min_evaluated=%g\n",
                 evaluated, total, absl::GetFlag(FLAGS_min_evaluated));
  }
  return mismatches.empty() && enough ? 0 : 1;
}

json VerdictOf(const std::filesystem::path& path) {
  auto bytes = mtls::ReadFile(path.string());
  if (!bytes.ok()) mtls::cli::Die(bytes.status());
  const auto input =
      mtls::DecodeChainInput(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
  json line = {{"input", path.filename().string()}};
  if (input.chain_der.empty()) {
    line["verdict"] = "skipped";
    line["reason"] = "no certificate in the input";
    return line;
  }
  const absl::Status status = mtls::VerifyPeerChain(mtls::ClientChainCheck(input));
  if (status.code() == absl::StatusCode::kUnimplemented) {  // the backend cannot judge it
    line["verdict"] = "skipped";
    line["reason"] = std::string(status.message());
    return line;
  }
  line["verdict"] = status.ok() ? "accept" : "reject";
  if (!status.ok()) {
    line["error_class"] = std::string(mtls::ErrorClassName(mtls::ErrorClassOf(status)));
    line["reason"] = std::string(status.message());
  }
  return line;
}

int RunChains(const std::string& list) {
  for (const std::string& item :
       std::vector<std::string>(absl::StrSplit(list, ',', absl::SkipEmpty()))) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(item)) {
      for (const auto& entry : std::filesystem::directory_iterator(item)) files.push_back(entry);
    } else {
      files.emplace_back(item);
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) std::cout << VerdictOf(file).dump() << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  mtls::cli::ParseFlagsOrDie(
      argc, argv,
      "mtls-verify --limbo [--expect] < suite.json | mtls-verify --chains=PATH[,PATH...]");
  const bool limbo = absl::GetFlag(FLAGS_limbo);
  const std::string chains = absl::GetFlag(FLAGS_chains);
  if (limbo == !chains.empty()) mtls::cli::Die("pass exactly one of --limbo and --chains");
  return limbo ? RunLimbo() : RunChains(chains);
}
