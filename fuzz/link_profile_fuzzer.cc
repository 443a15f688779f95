// Fuzz target: the link-profile loader (bench/link_profiles.json and users' own profile files).
// Invariant beyond "no crash": every profile it accepts has usable, finite parameters.
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "mtls/link_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The loader reads files, like its users do.
  static const std::string path = "/tmp/mtls-link-profile-fuzz-" + std::to_string(getpid());
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);
  auto profiles = mtls::LoadLinkProfiles(path);
  if (!profiles.ok()) return 0;
  for (const auto& link : *profiles) {
    const double ms = mtls::TimeToAuthenticateMs(link, {{mtls::Role::kClient, 100}}, 0, 0);
    if (!std::isfinite(ms) || ms < 0) std::abort();
  }
  return 0;
}
