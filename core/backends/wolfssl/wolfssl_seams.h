// The determinism seams (mtls/config.h DeterminismSeams) on wolfSSL. Its two run-time hooks are
// process-wide: the clock of its certificate-date checks (wc_SetTimeCb, every build) and the seed
// of its generators (wc_SetSeed_Cb, builds with WC_RNG_SEED_CB). The adapter installs each hook
// once and answers it per thread: while a SeamScope is alive on a thread, the library's date checks
// on that thread read that scope's time and the generators it seeds there draw from that scope's
// random function. wolfSSL verifies and seeds inside the call that runs on the caller's thread
// (wolfSSL_new seeds the connection's DRBG, wolfSSL_negotiate verifies), so a scope around those
// calls makes the seams per context although the hooks are not. The same clock hook is wolfSSL's
// LowResTimer, by which DTLS 1.3 paces retransmissions: over a datagram link it follows the
// link's virtual time.
#pragma once

#include <cstdint>
#include <optional>

#include "mtls/config.h"
#include "mtls/datagram_link.h"

namespace mtls::wolfssl_seams {

class SeamScope {
 public:
  // Either seam may be absent (nullptr / nullopt): that one keeps the library's default.
  SeamScope(const std::function<void(absl::Span<uint8_t>)>* random,
            std::optional<int64_t> unix_time);
  // `link`: a DTLS session's datagram transport, whose virtual time the library's clock then
  // follows (DTLS 1.3 paces its retransmissions by it); nullptr for TLS.
  explicit SeamScope(const DeterminismSeams& seams, const DatagramTransport* link = nullptr)
      : SeamScope(seams.random ? &seams.random : nullptr, seams.fixed_unix_time) {
    SetLink(link);
  }
  ~SeamScope();
  SeamScope(const SeamScope&) = delete;
  SeamScope& operator=(const SeamScope&) = delete;

 private:
  void SetLink(const DatagramTransport* link);

  const std::function<void(absl::Span<uint8_t>)>* previous_random_;
  std::optional<int64_t> previous_time_;
  const DatagramTransport* previous_link_;
};

// Whether this build has the seed hook (WC_RNG_SEED_CB) that seams.random needs.
bool HasSeedHook();

// The process-wide deterministic stream (mtls/determinism.h) for every seed drawn outside a
// SeamScope with a random seam.
void UseDeterministicSeeds();

}  // namespace mtls::wolfssl_seams
