// What mtls-client and mtls-server share: endpoint configs from flags, latency statistics, and
// the JSON they write (same counter names as the benchmarks where they apply).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mtls/config.h"

namespace mtls::cli {

// --trust, --chain, --key, --tls_version, --group (flags defined in endpoint_common.cc).
EndpointConfig EndpointFromFlags(Role role);

struct LatencySummary {
  double mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};
LatencySummary Summarise(std::vector<double> samples_ms);

// {"context": {backend, backend_id, backend_version, arch, role}, "results": results}
void WriteJson(const std::string& path, Role role, const nlohmann::json& results);
nlohmann::json ToJson(const LatencySummary& latency);

// "host:port" → parts; dies with a one-line error otherwise.
std::pair<std::string, uint16_t> SplitHostPort(const std::string& address, absl::string_view flag);

}  // namespace mtls::cli
