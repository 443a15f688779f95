// Time to authenticate on a named link, from a handshake's flights and CPU per side.
//
//   T = sum over flights f of ( RTT/2 + 8 * wire_bytes(f) / bandwidth )
//       + client_cpu * client_slowdown + server_cpu * server_slowdown
//   wire_bytes(f) = bytes(f) + ceil(bytes(f) / frame_payload) * frame_overhead   (framed links)
//
// Flights are sequential (each waits for the previous one), so one-way latency counts once per
// flight; CPU is added serially, as each side computes before it sends. Not modelled: TCP's own
// handshake and acknowledgements, loss and retransmission, congestion windows.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mtls/transport.h"

namespace mtls {

struct LinkProfile {
  std::string name;
  double bandwidth_bps = 0;
  double rtt_ms = 0;
  int frame_payload_bytes = 0;  // 0: no framing
  int frame_overhead_bytes = 0;
};

absl::StatusOr<std::vector<LinkProfile>> LoadLinkProfiles(const std::string& path);

double WireBytes(const LinkProfile& link, uint64_t payload_bytes);

double TimeToAuthenticateMs(const LinkProfile& link, const std::vector<Flight>& flights,
                            double client_cpu_us, double server_cpu_us,
                            double client_slowdown = 1.0, double server_slowdown = 1.0);

}  // namespace mtls
