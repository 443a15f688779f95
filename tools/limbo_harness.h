// The x509-limbo harness contract (https://github.com/C2SP/x509-limbo): a limbo testsuite (JSON)
// in, one result per testcase out (SUCCESS / FAILURE / SKIPPED with the reason), evaluated by
// this build's backend through mtls::VerifyPeerChain.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace mtls::limbo {

// The results document for `suite`; an error when the suite is not limbo JSON (version 1).
absl::StatusOr<nlohmann::json> Evaluate(const nlohmann::json& suite);

// Testcases whose result is not SKIPPED and differs from expected_result, one line each.
std::vector<std::string> Mismatches(const nlohmann::json& suite, const nlohmann::json& results);

}  // namespace mtls::limbo
