// Per-thread answers to wolfSSL's process-wide time and seed hooks (see wolfssl_seams.h).
#include "wolfssl_seams.h"

#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/random.h>

#include <atomic>
#include <ctime>
#include <mutex>

#include "mtls/determinism.h"

namespace mtls::wolfssl_seams {
namespace {

thread_local const std::function<void(absl::Span<uint8_t>)>* current_random = nullptr;
thread_local std::optional<int64_t> current_time;
std::atomic<bool> deterministic_seeds{false};

// wc_SetTimeCb's callback: the scope's time, else the system clock (the library's default XTIME).
time_t ScopedTime(time_t* out) {
  const time_t now = current_time ? static_cast<time_t>(*current_time) : time(nullptr);
  if (out != nullptr) *out = now;
  return now;
}

#if defined(WC_RNG_SEED_CB)
// wc_SetSeed_Cb's callback: the scope's random seam, else the process-wide deterministic stream
// when that is on, else the operating system's entropy as wolfSSL draws it by default.
int ScopedSeed(OS_Seed* os, byte* seed, word32 size) {
  if (current_random != nullptr) {
    (*current_random)(absl::MakeSpan(seed, size));
    return 0;
  }
  if (deterministic_seeds.load()) {
    DeterministicBytes(absl::MakeSpan(seed, size));
    return 0;
  }
  return wc_GenerateSeed(os, seed, size);
}
#endif

void InstallHooks() {
  static std::once_flag once;
  std::call_once(once, [] {
    wc_SetTimeCb(ScopedTime);
#if defined(WC_RNG_SEED_CB)
    wc_SetSeed_Cb(ScopedSeed);
#endif
  });
}

}  // namespace

SeamScope::SeamScope(const std::function<void(absl::Span<uint8_t>)>* random,
                     std::optional<int64_t> unix_time)
    : previous_random_(current_random), previous_time_(current_time) {
  InstallHooks();
  if (random != nullptr) current_random = random;
  if (unix_time) current_time = unix_time;
}

SeamScope::~SeamScope() {
  current_random = previous_random_;
  current_time = previous_time_;
}

bool HasSeedHook() {
#if defined(WC_RNG_SEED_CB)
  return true;
#else
  return false;
#endif
}

void UseDeterministicSeeds() {
  InstallHooks();
  deterministic_seeds.store(true);
}

}  // namespace mtls::wolfssl_seams
