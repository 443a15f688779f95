#include "run_context.h"

#include <benchmark/benchmark.h>

#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "bench_options.h"
#include "handshake_benchmarks.h"
#include "mtls/backend.h"
#include "mtls/pki_catalog.h"

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
  // The link model's CPU factors (tta_ms_*): what a reader must know to take the CPU back out.
  benchmark::AddCustomContext("client_slowdown", absl::StrCat(ClientSlowdown()));
  benchmark::AddCustomContext("server_slowdown", absl::StrCat(ServerSlowdown()));
}

nlohmann::ordered_json CaseFields(const HandshakeCase& c, absl::string_view suite) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::object();
  for (const NamePart& part : c.NameParts(suite)) fields[part.field] = part.value;
  return fields;
}

std::optional<std::string> WithMember(absl::string_view object_json, absl::string_view key,
                                      const nlohmann::ordered_json& value) {
  absl::string_view members = absl::StripTrailingAsciiWhitespace(object_json);
  if (!absl::StartsWith(absl::StripLeadingAsciiWhitespace(members), "{") ||
      !absl::ConsumeSuffix(&members, "}")) {
    return std::nullopt;
  }
  members = absl::StripTrailingAsciiWhitespace(members);
  const absl::string_view separator = absl::EndsWith(members, "{") ? "" : ",";
  return absl::StrCat(members, separator, "\n  ", nlohmann::json(std::string(key)).dump(), ": ",
                      value.dump(), "\n}\n");
}

namespace {

// Fields per registered function name: every case Describe() lists.
const nlohmann::ordered_json& FieldsByName() {
  static const auto* const by_name = new nlohmann::ordered_json(Describe()["cases"]);
  return *by_name;
}

// Appends `value` to `list` unless it is there already (lists in first-seen order).
void AddOnce(nlohmann::ordered_json& list, const nlohmann::ordered_json& value) {
  for (const auto& item : list) {
    if (item == value) return;
  }
  list.push_back(value);
}

nlohmann::ordered_json CaseFieldNames() {
  const nlohmann::ordered_json fields = CaseFields(HandshakeCase{}, kHandshakeSuite);
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (auto it = fields.begin(); it != fields.end(); ++it) names.push_back(it.key());
  return names;
}

// Google Benchmark's JSON with a top-level "description": Describe() with the case fields of the
// rows written (by run_name) as its cases. The console reporter is left as it is.
class DescribedJsonReporter : public benchmark::JSONReporter {
 public:
  // JSONReporter writes into a buffer; Finalize appends the description to the object it wrote.
  // The file is therefore written whole at the end: a run killed half-way leaves none, as a
  // truncated Google Benchmark file would not have been valid JSON either.
  bool ReportContext(const Context& context) override {
    file_ = &GetOutputStream();
    SetOutputStream(&buffer_);
    return JSONReporter::ReportContext(context);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      auto found = FieldsByName().find(run.run_name.function_name);
      if (found != FieldsByName().end()) cases_[run.run_name.str()] = *found;
    }
    JSONReporter::ReportRuns(runs);
  }
  // Adds the description, its cases those of this run only.
  void Finalize() override {
    JSONReporter::Finalize();
    if (file_ == nullptr) return;  // no context reported: nothing was buffered
    SetOutputStream(file_);
    nlohmann::ordered_json description = Describe();
    description.erase("default_cases");
    description["cases"] = cases_;
    std::optional<std::string> described = WithMember(buffer_.str(), "description", description);
    if (!described) {
      GetErrorStream() << "mtls-bench: --benchmark_out is not a JSON object; written without "
                          "the description\n";
    }
    *file_ << described.value_or(buffer_.str());
  }

 private:
  std::ostream* file_ = nullptr;
  std::ostringstream buffer_;
  nlohmann::ordered_json cases_ = nlohmann::ordered_json::object();
};

// The value of Google Benchmark flag `name` in argv ("--name=value"; the last one counts).
std::string FlagValue(int argc, char** argv, absl::string_view name, std::string fallback) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (!absl::ConsumePrefix(&arg, "--")) absl::ConsumePrefix(&arg, "-");
    if (absl::ConsumePrefix(&arg, name) && absl::ConsumePrefix(&arg, "=")) {
      fallback = std::string(arg);
    }
  }
  return fallback;
}

}  // namespace

nlohmann::ordered_json Describe() {
  nlohmann::ordered_json cases = nlohmann::ordered_json::object();
  nlohmann::ordered_json schemes = nlohmann::ordered_json::array();
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  nlohmann::ordered_json versions = nlohmann::ordered_json::array();
  for (const HandshakeCase& c : FullMatrix()) {
    nlohmann::ordered_json fields = CaseFields(c, kHandshakeSuite);
    AddOnce(schemes, fields["scheme"]);
    AddOnce(groups, fields["group"]);
    AddOnce(versions, fields["version"]);
    cases[c.Name()] = std::move(fields);
  }
  for (auto& [name, fields] : PrimitiveCases()) {
    if (fields.contains("group")) AddOnce(groups, fields["group"]);
    cases[name] = fields;
  }
  for (const HandshakeCase& c : ThreadCases())
    cases[c.Name(kThreadSuite)] = CaseFields(c, kThreadSuite);
  for (const HandshakeCase& c : HarnessOverheadCases()) {
    cases[c.Name(kOverheadSuite)] = CaseFields(c, kOverheadSuite);
  }
  for (const DatagramLinkCase& c : DatagramLinkCases()) {
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();
    for (const NamePart& part : c.NameParts()) fields[part.field] = part.value;
    cases[c.Name()] = std::move(fields);
  }
  nlohmann::ordered_json default_cases = nlohmann::ordered_json::array();
  for (const HandshakeCase& c : DefaultMatrix()) default_cases.push_back(c.Name());
  nlohmann::ordered_json suites = nlohmann::ordered_json::array();
  for (absl::string_view suite :
       {kHandshakeSuite, kThreadSuite, kOverheadSuite, kDatagramLinkSuite}) {
    suites.push_back(suite);
  }
  suites.push_back("primitive");
  const SrpPassword srp = TestSrpPassword();
  return {{"schemes", schemes},
          {"certificate_schemes", AllPkiSchemes()},
          {"groups", groups},
          {"versions", versions},
          {"suites", suites},
          {"case_fields", CaseFieldNames()},
          {"counters", CounterDescriptions()},
          {"test_accounts",
           {{"srp", {{"user", srp.username}, {"password", srp.password}}},
            {"psk_identity", TestPsk(PskKeyExchange::kDhe).identity}}},
          {"headline_case", HandshakeCase{}.Name()},  // what a report leads with
          {"default_cases", default_cases},
          {"cases", cases}};
}

std::unique_ptr<benchmark::BenchmarkReporter> MakeFileReporter(int argc, char** argv) {
  if (FlagValue(argc, argv, "benchmark_out", "").empty() ||
      FlagValue(argc, argv, "benchmark_out_format", "json") != "json") {
    return nullptr;
  }
  return std::make_unique<DescribedJsonReporter>();
}

}  // namespace mtls::bench
