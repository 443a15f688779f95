// The priority string of an endpoint on GnuTLS: what it offers and accepts (versions, groups,
// signature algorithms, certificate types, key exchanges, suites), in the library's own syntax.
#pragma once

#include <gnutls/gnutls.h>

#include <string>

#include "absl/status/status.h"
#include "mtls/config.h"

namespace mtls::gnutls_priority {

// "NORMAL" minus what the config excludes, plus its order of groups and signature algorithms and
// what its scheme (external PSK, SRP, raw public keys) needs.
std::string For(const EndpointConfig& config);

// A context's priority cache, set on each of its sessions.
class Priority {
 public:
  Priority() = default;
  Priority(const Priority&) = delete;
  Priority& operator=(const Priority&) = delete;
  ~Priority();

  // Unsupported, naming where the library stopped reading, when it refuses For(config).
  absl::Status Configure(const EndpointConfig& config);
  void SetOn(gnutls_session_t session) const;

 private:
  gnutls_priority_t priority_ = nullptr;
};

}  // namespace mtls::gnutls_priority
