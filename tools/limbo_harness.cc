#include "limbo_harness.h"

#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "mtls/backend.h"
#include "mtls/pki.h"
#include "mtls/status.h"
#include "mtls/x509_check.h"

namespace mtls::limbo {
namespace {

using nlohmann::json;

// What a testcase asks that a mutual-auth peer check cannot express: a reason to skip it.
// Its "features" are descriptive tags, never a reason: the fields below are what it asks.
std::optional<std::string> Unexpressible(const json& testcase) {
  if (!testcase.value("signature_algorithms", json::array()).empty()) {
    return "signature-algorithm constraints are not a peer-check parameter";
  }
  if (!testcase.value("key_usage", json::array()).empty()) {
    return "key-usage constraints are not a peer-check parameter";
  }
  if (!testcase.value("expected_peer_names", json::array()).empty()) {
    return "checks of a client's names (expected_peer_names) are not a peer-check parameter";
  }
  const json& name = testcase.value("expected_peer_name", json());
  if (!name.is_null() && name.value("kind", "") != "DNS") {
    return absl::StrCat("peer names of kind ", name.value("kind", "?"), " are not checked");
  }
  const json& usages = testcase.value("extended_key_usage", json::array());
  if (usages.size() > 1 ||
      (usages.size() == 1 && usages[0] != "clientAuth" && usages[0] != "serverAuth")) {
    return absl::StrCat("extended key usage ", usages.dump(), " is not a TLS peer role");
  }
  return std::nullopt;
}

// The peer check a testcase describes (as the verifying endpoint's config), or why it cannot
// run on this backend.
absl::StatusOr<ChainCheck> CheckOf(const json& testcase) {
  EndpointConfig verifier;
  const json& usages = testcase.value("extended_key_usage", json::array());
  // CLIENT validation checks a server's certificate, SERVER validation a client's; an explicit
  // extended key usage names the peer's role directly.
  verifier.role = testcase.value("validation_kind", "") == "SERVER" ? Role::kServer : Role::kClient;
  if (usages.size() == 1) verifier.role = usages[0] == "clientAuth" ? Role::kServer : Role::kClient;
  for (const auto& pem : testcase.at("trusted_certs")) {
    MTLS_ASSIGN_OR_RETURN(auto certificates,
                          ParseCertificates(pem.get<std::string>(), "trusted_certs"));
    for (auto& der : certificates) verifier.trust_anchors_der.push_back(std::move(der));
  }
  MTLS_ASSIGN_OR_RETURN(
      std::vector<std::string> chain,
      ParseCertificates(testcase.at("peer_certificate").get<std::string>(), "peer_certificate"));
  for (const auto& pem : testcase.at("untrusted_intermediates")) {
    MTLS_ASSIGN_OR_RETURN(auto certificates,
                          ParseCertificates(pem.get<std::string>(), "untrusted_intermediates"));
    for (auto& der : certificates) chain.push_back(std::move(der));
  }
  if (const json& time = testcase.value("validation_time", json()); !time.is_null()) {
    absl::Time at;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, time.get<std::string>(), &at, &error)) {
      return BadInput(absl::StrCat("validation_time: ", error));
    }
    verifier.seams.fixed_unix_time = absl::ToUnixSeconds(at);
  }
  if (const json& depth = testcase.value("max_chain_depth", json()); !depth.is_null()) {
    verifier.max_chain_depth = depth.get<int>();
  }
  if (const json& name = testcase.value("expected_peer_name", json()); !name.is_null()) {
    verifier.expected_peer_name = name.at("value").get<std::string>();
  }
  return PeerChainCheck(verifier, std::move(chain));
}

json Result(const json& testcase, const std::string& actual, const std::string& context) {
  return {{"id", testcase.value("id", "")},
          {"actual_result", actual},
          {"context", context.empty() ? json() : json(context)}};
}

}  // namespace

absl::StatusOr<json> Evaluate(const json& suite) {
  if (!suite.is_object() || suite.value("version", 0) != 1 || !suite.contains("testcases") ||
      !suite["testcases"].is_array()) {
    return BadInput("not a limbo testsuite (expected {\"version\": 1, \"testcases\": [...]})");
  }
  json results = json::array();
  for (const json& testcase : suite["testcases"]) {
    try {
      if (auto reason = Unexpressible(testcase)) {
        results.push_back(Result(testcase, "SKIPPED", *reason));
        continue;
      }
      auto check = CheckOf(testcase);
      if (!check.ok()) {
        results.push_back(Result(testcase, "SKIPPED", std::string(check.status().message())));
        continue;
      }
      const absl::Status verdict = VerifyPeerChain(*check);
      if (verdict.code() == absl::StatusCode::kUnimplemented) {
        results.push_back(Result(testcase, "SKIPPED", std::string(verdict.message())));
      } else {
        results.push_back(
            Result(testcase, verdict.ok() ? "SUCCESS" : "FAILURE", std::string(verdict.message())));
      }
    } catch (const json::exception& error) {
      results.push_back(
          Result(testcase, "SKIPPED", absl::StrCat("malformed testcase: ", error.what())));
    }
  }
  return json{{"version", 1},
              {"harness", absl::StrCat("mtls-bench/", CurrentBackend().id)},
              {"results", results}};
}

std::vector<std::string> Mismatches(const json& suite, const json& results) {
  std::map<std::string, std::string> expected;
  for (const json& testcase : suite["testcases"]) {
    expected[testcase.value("id", "")] = testcase.value("expected_result", "");
  }
  std::vector<std::string> lines;
  for (const json& result : results["results"]) {
    const std::string actual = result.value("actual_result", "");
    const std::string id = result.value("id", "");
    if (actual == "SKIPPED" || actual == expected[id]) continue;
    lines.push_back(absl::StrCat(id, ": expected ", expected[id], ", got ", actual,
                                 result["context"].is_string()
                                     ? absl::StrCat(" (", result["context"].get<std::string>(), ")")
                                     : ""));
  }
  return lines;
}

}  // namespace mtls::limbo
