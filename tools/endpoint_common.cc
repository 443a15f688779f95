#include "endpoint_common.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli.h"
#include "mtls/backend.h"
#include "mtls/pki.h"

ABSL_FLAG(std::string, trust, "", "Roots that the peer's chain must lead to (PEM bundle).");
ABSL_FLAG(std::string, chain, "", "Own certificate chain (PEM, leaf first).");
ABSL_FLAG(std::string, key, "", "Own private key (PEM).");
ABSL_FLAG(std::string, tls_version, "", "Only this TLS version (1.2 or 1.3); default: both.");
ABSL_FLAG(std::string, group, "", "Only this key-exchange group (X25519, P-256, P-384).");

namespace mtls::cli {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) Die(value.status());
  return *std::move(value);
}

}  // namespace

EndpointConfig EndpointFromFlags(Role role) {
  EndpointConfig config;
  config.role = role;
  if (!absl::GetFlag(FLAGS_trust).empty()) {
    config.trust_anchors_der = OrDie(LoadCertificates(absl::GetFlag(FLAGS_trust)));
  }
  const std::string chain = absl::GetFlag(FLAGS_chain);
  const std::string key = absl::GetFlag(FLAGS_key);
  if (chain.empty() != key.empty()) Die("give both --chain and --key");
  if (!chain.empty()) config.credentials = OrDie(LoadCredentials(chain, key));
  if (const std::string version = absl::GetFlag(FLAGS_tls_version); !version.empty()) {
    config.min_version = config.max_version = OrDie(ParseTlsVersion(version));
  }
  if (const std::string group = absl::GetFlag(FLAGS_group); !group.empty()) {
    config.groups = {OrDie(ParseGroup(group))};
  }
  return config;
}

LatencySummary Summarise(std::vector<double> samples_ms) {
  LatencySummary summary;
  if (samples_ms.empty()) return summary;
  std::sort(samples_ms.begin(), samples_ms.end());
  auto percentile = [&](double p) {
    const size_t index = static_cast<size_t>(std::ceil(p / 100 * samples_ms.size())) - 1;
    return samples_ms[std::min(index, samples_ms.size() - 1)];
  };
  summary.mean_ms = std::accumulate(samples_ms.begin(), samples_ms.end(), 0.0) / samples_ms.size();
  summary.p50_ms = percentile(50);
  summary.p90_ms = percentile(90);
  summary.p99_ms = percentile(99);
  summary.max_ms = samples_ms.back();
  return summary;
}

nlohmann::json ToJson(const LatencySummary& latency) {
  return {{"mean", latency.mean_ms}, {"p50", latency.p50_ms}, {"p90", latency.p90_ms},
          {"p99", latency.p99_ms},   {"max", latency.max_ms}};
}

void WriteJson(const std::string& path, Role role, const nlohmann::json& results) {
  const BackendInfo info = CurrentBackend();
  const nlohmann::json document = {
      {"context",
       {{"backend", info.name},
        {"backend_id", info.id},
        {"backend_version", info.version},
        {"role", std::string(RoleName(role))}}},
      {"results", results}};
  std::ofstream out(path);
  out << document.dump(2) << "\n";
  if (!out) Die(absl::StrCat(path, ": cannot write"));
}

std::pair<std::string, uint16_t> SplitHostPort(const std::string& address, absl::string_view flag) {
  const size_t colon = address.rfind(':');
  uint32_t port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port > 65535) {
    Die(absl::StrCat("--", flag, " must be host:port, not '", address, "'"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return {host, static_cast<uint16_t>(port)};
}

}  // namespace mtls::cli
