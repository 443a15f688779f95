#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/status.h"

namespace mtls {

std::optional<Capability> FindCapability(const std::string& feature) {
  for (const Capability& capability : CapabilityManifest()) {
    if (capability.feature == feature) return capability;
  }
  return std::nullopt;
}

absl::Status RequireCapability(const std::string& feature) {
  std::optional<Capability> capability = FindCapability(feature);
  if (!capability) {
    return Unsupported(absl::StrCat(feature, ": not in ", CurrentBackend().id, "'s manifest"));
  }
  if (!capability->supported) return Unsupported(absl::StrCat(feature, ": ", capability->reason));
  return absl::OkStatus();
}

}  // namespace mtls
