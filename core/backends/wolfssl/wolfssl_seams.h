// The determinism seams (mtls/config.h DeterminismSeams) on wolfSSL. Its two run-time hooks are
// process-wide: the clock of its certificate-date checks (wc_SetTimeCb, every build) and the seed
// of its generators (wc_SetSeed_Cb, builds with WC_RNG_SEED_CB). The adapter installs each hook
// once and answers it per thread: while a SeamScope is alive on a thread, the library's date checks
// on that thread read that scope's time and the generators it seeds there draw from that scope's
// random function. wolfSSL verifies and seeds inside the call that runs on the caller's thread
// (wolfSSL_new seeds the connection's DRBG, wolfSSL_negotiate verifies), so a scope around those
// calls makes the seams per context although the hooks are not.
#pragma once

#include <cstdint>
#include <optional>

#include "mtls/config.h"

namespace mtls::wolfssl_seams {

class SeamScope {
 public:
  // Either seam may be absent (nullptr / nullopt): that one keeps the library's default.
  SeamScope(const std::function<void(absl::Span<uint8_t>)>* random,
            std::optional<int64_t> unix_time);
  explicit SeamScope(const DeterminismSeams& seams)
      : SeamScope(seams.random ? &seams.random : nullptr, seams.fixed_unix_time) {}
  ~SeamScope();
  SeamScope(const SeamScope&) = delete;
  SeamScope& operator=(const SeamScope&) = delete;

 private:
  const std::function<void(absl::Span<uint8_t>)>* previous_random_;
  std::optional<int64_t> previous_time_;
};

// Whether this build has the seed hook (WC_RNG_SEED_CB) that seams.random needs.
bool HasSeedHook();

// The process-wide deterministic stream (mtls/determinism.h) for every seed drawn outside a
// SeamScope with a random seam.
void UseDeterministicSeeds();

}  // namespace mtls::wolfssl_seams
