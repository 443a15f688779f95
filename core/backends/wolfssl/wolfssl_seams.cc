// Per-thread answers to wolfSSL's process-wide time and seed hooks (see wolfssl_seams.h).
#include "wolfssl_seams.h"

#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/random.h>

#include <atomic>
#include <ctime>
#include <mutex>

#include "mtls/determinism.h"
#include "mtls/virtual_clock.h"

namespace mtls::wolfssl_seams {
namespace {

thread_local const std::function<void(absl::Span<uint8_t>)>* current_random = nullptr;
thread_local std::optional<int64_t> current_time;
thread_local const DatagramTransport* current_link = nullptr;
std::atomic<bool> deterministic_seeds{false};

// wc_SetTimeCb's callback: the scope's time, else the system clock (the library's default XTIME).
// Over a DTLS link both move with the link's virtual time: wolfSSL's LowResTimer reads this clock,
// and DTLS 1.3 resends nothing within a second of its last resend by it (DTLS13_MIN_RTX_INTERVAL),
// so a clock that stood still while virtual seconds pass would stop its retransmissions.
time_t ScopedTime(time_t* out) {
  time_t now;
  if (current_time) {
    const int64_t link_seconds = current_link != nullptr ? current_link->NowUs() / 1'000'000 : 0;
    now = static_cast<time_t>(*current_time + link_seconds);
  } else if (const std::optional<int64_t> virtual_us = VirtualWallTimeUs()) {
    now = static_cast<time_t>(*virtual_us / 1'000'000);  // mtls/virtual_clock.h
  } else {
    now = time(nullptr);
  }
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
    : previous_random_(current_random), previous_time_(current_time), previous_link_(current_link) {
  InstallHooks();
  if (random != nullptr) current_random = random;
  if (unix_time) current_time = unix_time;
}

SeamScope::~SeamScope() {
  current_random = previous_random_;
  current_time = previous_time_;
  current_link = previous_link_;
}

void SeamScope::SetLink(const DatagramTransport* link) {
  if (link != nullptr) current_link = link;
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
