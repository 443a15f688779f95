#include "mtls/link_model.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "mtls/pki.h"
#include "mtls/status.h"

namespace mtls {

absl::StatusOr<std::vector<LinkProfile>> LoadLinkProfiles(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  const nlohmann::json document = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.contains("profiles") ||
      !document["profiles"].is_array()) {
    return BadInput(
        absl::StrCat(path, ": not a link-profile file (JSON with a \"profiles\" array)"));
  }
  std::vector<LinkProfile> profiles;
  for (const nlohmann::json& entry : document["profiles"]) {
    LinkProfile profile;
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
        !entry.contains("bandwidth_bps") || !entry["bandwidth_bps"].is_number() ||
        !entry.contains("rtt_ms") || !entry["rtt_ms"].is_number()) {
      return BadInput(absl::StrCat(path, ": profile ", profiles.size() + 1,
                                   " needs name, bandwidth_bps and rtt_ms"));
    }
    profile.name = entry["name"].get<std::string>();
    profile.bandwidth_bps = entry["bandwidth_bps"].get<double>();
    profile.rtt_ms = entry["rtt_ms"].get<double>();
    // Frame sizes are whole bytes of a real link: integers up to 64 KiB (a JSON number outside
    // int's range must not reach the conversion; found by the link_profile fuzz target).
    for (const char* field : {"frame_payload_bytes", "frame_overhead_bytes"}) {
      if (!entry.contains(field)) continue;
      const nlohmann::json& value = entry[field];
      if (!value.is_number_integer() || value.get<double>() < 0 || value.get<double>() > 65536) {
        return BadInput(absl::StrCat(path, ": profile '", profile.name, "': ", field,
                                     " must be a whole number of bytes in 0..65536"));
      }
    }
    profile.frame_payload_bytes = entry.value("frame_payload_bytes", 0);
    profile.frame_overhead_bytes = entry.value("frame_overhead_bytes", 0);
    if (!(profile.bandwidth_bps > 0) || !(profile.rtt_ms >= 0) ||
        !std::isfinite(profile.bandwidth_bps) || !std::isfinite(profile.rtt_ms)) {
      return BadInput(
          absl::StrCat(path, ": profile '", profile.name, "' has a non-positive figure"));
    }
    profiles.push_back(profile);
  }
  return profiles;
}

double WireBytes(const LinkProfile& link, uint64_t payload_bytes) {
  if (link.frame_payload_bytes == 0 || payload_bytes == 0)
    return static_cast<double>(payload_bytes);
  const double frames = std::ceil(static_cast<double>(payload_bytes) / link.frame_payload_bytes);
  return static_cast<double>(payload_bytes) + frames * link.frame_overhead_bytes;
}

double TimeToAuthenticateMs(const LinkProfile& link, const std::vector<Flight>& flights,
                            double client_cpu_us, double server_cpu_us, double client_slowdown,
                            double server_slowdown) {
  double ms = (client_cpu_us * client_slowdown + server_cpu_us * server_slowdown) / 1000.0;
  for (const Flight& flight : flights) {
    ms += link.rtt_ms / 2 + WireBytes(link, flight.bytes) * 8.0 / link.bandwidth_bps * 1000.0;
  }
  return ms;
}

}  // namespace mtls
