// What mtls-client and mtls-server share: endpoint configs from flags, latency statistics, and
// the JSON they write (same counter names as the benchmarks where they apply).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mtls/config.h"

namespace mtls::cli {

// --protocol, --trust, --chain, --key, --tls_version, --group, the raw-key, SRP, PSK and DTLS
// flags (defined in endpoint_common.cc).
EndpointConfig EndpointFromFlags(Role role);
// --mtu, checked as the datagram link checks it.
size_t DatagramMtuFromFlags();

// One handshake as a real endpoint saw it.
struct HandshakeSample {
  double latency_ms = 0;  // connect/accept to handshake complete, wall time
  double cpu_us = 0;      // this side's thread CPU
  uint64_t bytes_c2s = 0, bytes_s2c = 0;
};

// The handshakes of a run that authenticated as required, and their statistics.
class HandshakeTally {
 public:
  explicit HandshakeTally(Role role) : role_(role) {}
  void Add(const HandshakeSample& sample) { samples_.push_back(sample); }
  int verified() const { return static_cast<int>(samples_.size()); }
  // Latency percentiles and per-handshake means, two lines.
  void Print() const;
  // The counters under the benchmark names (client_cpu_us or server_cpu_us, bytes_c2s, ...).
  nlohmann::json Json(int attempted) const;

 private:
  Role role_;
  std::vector<HandshakeSample> samples_;
};

// {"context": {backend, backend_id, backend_version, role}, "results": results}
void WriteJson(const std::string& path, Role role, const nlohmann::json& results);

// "host:port" → parts; dies with a one-line error otherwise.
std::pair<std::string, uint16_t> SplitHostPort(const std::string& address, absl::string_view flag);

}  // namespace mtls::cli
