// The certificate-validity clock on GnuTLS. The library reads the time through one process-wide
// function (gnutls_global_set_time_function); the adapter installs its own once and answers it
// per thread: while a Scope with a time is alive on a thread, GnuTLS calls on that thread see
// that time, and every other thread the system clock. GnuTLS verifies inside the call that runs
// on the caller's thread (gnutls_handshake runs the verify function; VerifyPeerChain's in-memory
// handshake likewise), so a scope around those calls gives each check its own clock.
#pragma once

#include <cstdint>
#include <optional>

namespace mtls::gnutls_clock {

class Scope {
 public:
  // No time: this thread keeps the clock it has (the system's, or an enclosing scope's).
  explicit Scope(std::optional<int64_t> unix_time);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::optional<int64_t> previous_;
};

}  // namespace mtls::gnutls_clock
