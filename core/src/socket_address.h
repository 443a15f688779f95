// What the TCP and UDP transports share: resolving a host and port. Internal to core/src.
#pragma once

#include <netdb.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "mtls/status.h"

namespace mtls::internal {

// The addresses `host` resolves to for `socktype` (numeric hosts only resolve to themselves);
// the caller frees them with freeaddrinfo.
inline absl::StatusOr<addrinfo*> Resolve(const std::string& host, uint16_t port, int socktype,
                                         bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = socktype;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  addrinfo* result = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &result); rc != 0) {
    return BadInput(absl::StrCat("cannot resolve '", host, "': ", gai_strerror(rc)));
  }
  return result;
}

}  // namespace mtls::internal
