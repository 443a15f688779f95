// mtls-conformance: runs the conformance matrix against the backend this binary is built with,
// prints one line per case and optionally writes the results as JSON (scripts/conformance merges
// the files of all backend builds into the matrix).
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "cases.h"
#include "mtls/backend.h"
#include "mtls/case_spec.h"
#include "mtls/cli.h"
#include "mtls/pki.h"
#include "mtls/pki_catalog.h"

ABSL_FLAG(std::string, json, "",
          "Write the results to this file as JSON (with --manifest: the backend and its manifest, "
          "no cases).");
ABSL_FLAG(std::string, filter, "", "Run only the cases whose name contains this text.");
ABSL_FLAG(std::string, pki_dir, "",
          "Test PKI directory (default: $MTLS_PKI_DIR, else corpora/pki of the source tree).");
ABSL_FLAG(bool, manifest, false,
          "Print the backend's capability manifest (and write it with --json), run no case.");

namespace mtls {
namespace {

nlohmann::json BackendJson() {
  const BackendInfo info = CurrentBackend();
  nlohmann::json manifest = nlohmann::json::array();
  for (const Capability& capability : CapabilityManifest()) {
    manifest.push_back({{"feature", capability.feature},
                        {"supported", capability.supported},
                        {"reason", capability.reason}});
  }
  return {{"id", info.id}, {"name", info.name}, {"version", info.version}, {"manifest", manifest}};
}

// The --json file: the build, its manifest and the cases run (none for --manifest).
void WriteJson(const nlohmann::json& cases) {
  const std::string path = absl::GetFlag(FLAGS_json);
  if (path.empty()) return;
  std::ofstream out(path);
  out << nlohmann::json{{"backend", BackendJson()}, {"cases", cases}}.dump(2) << "\n";
  if (!out) cli::Die(absl::StrCat(path, ": cannot write"));
}

int Run() {
  if (absl::GetFlag(FLAGS_manifest)) {
    for (const Capability& capability : CapabilityManifest()) {
      std::printf("%-45s %s%s\n", capability.feature.c_str(),
                  capability.supported ? "supported" : "unsupported: ", capability.reason.c_str());
    }
    WriteJson(nlohmann::json::array());
    return 0;
  }
  std::string pki_dir = absl::GetFlag(FLAGS_pki_dir);
  if (pki_dir.empty()) pki_dir = DefaultPkiDir();
  if (auto root = LoadRoot(pki_dir, "ecdsa-p256"); !root.ok()) {
    cli::Die(absl::StrCat("test PKI not usable: ", root.status().message()));
  }
  const std::string filter = absl::GetFlag(FLAGS_filter);
  const BackendInfo info = CurrentBackend();
  nlohmann::json cases = nlohmann::json::array();
  int failures = 0;
  int run = 0;
  for (const conformance::Case& c : conformance::AllCases()) {
    if (!absl::StrContains(c.name, filter)) continue;
    const conformance::CaseResult result = conformance::RunCase(c, pki_dir);
    ++run;
    if (result.verdict == conformance::Verdict::kFail) ++failures;
    const std::string verdict(conformance::VerdictName(result.verdict));
    std::printf("%-14s %-22s %-48s %s\n", info.id.c_str(), verdict.c_str(), c.name.c_str(),
                result.detail.c_str());
    cases.push_back({{"name", c.name},
                     {"kind", std::string(conformance::KindOf(c))},
                     {"features", RequiredFeatures(c.spec)},
                     {"verdict", verdict},
                     {"detail", result.detail}});
  }
  if (run == 0) cli::Die(absl::StrCat("no case matches --filter='", filter, "'"));
  std::printf("%s: %d cases, %d FAIL\n", info.id.c_str(), run, failures);
  WriteJson(cases);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace mtls

int main(int argc, char** argv) {
  mtls::cli::ParseFlagsOrDie(
      argc, argv,
      "Runs the mutual-auth conformance matrix against this binary's TLS backend.\n"
      "Usage: mtls-conformance [--filter TEXT] [--json FILE]\n"
      "       mtls-conformance --manifest [--json FILE]\n"
      "Exit status: 0 when no case FAILs, 1 when one does, 2 on bad input.");
  return mtls::Run();
}
