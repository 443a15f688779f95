// Deterministic randomness (mtls/determinism.h) for Mbed TLS. Its TLS 1.2 generator is per
// context (seam:random), but a handshake also draws on the clock (hello randoms start with
// mbedtls_time()) and, in 3.x, on the PSA generator (TLS 1.3 key shares). Both are replaceable
// only at build time (MBEDTLS_PLATFORM_TIME_ALT, MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG), which
// `scripts/deps --fuzz` sets; the manifest says which build this is.
#include <mbedtls/version.h>
#if defined(MBEDTLS_PLATFORM_TIME_ALT)
#include <mbedtls/platform_time.h>
#endif

#include <atomic>

#include "mtls/backend.h"
#include "mtls/determinism.h"
#include "mtls/status.h"
#include "mbedtls_determinism.h"

namespace mtls {
namespace {

std::atomic<bool> g_deterministic{false};

#if defined(MBEDTLS_PLATFORM_TIME_ALT)
mbedtls_time_t StoppedClock(mbedtls_time_t* out) {
  if (out != nullptr) *out = kDeterministicUnixTime;
  return kDeterministicUnixTime;
}
#endif

}  // namespace

bool mbedtls_determinism::InUse() { return g_deterministic.load(); }

bool ReplayNeedsFreshThread() { return false; }  // Mbed TLS keeps no per-thread state

absl::Status UseDeterministicRandom() {
  MTLS_RETURN_IF_ERROR(RequireCapability("seam:process-random"));
#if defined(MBEDTLS_PLATFORM_TIME_ALT)
  mbedtls_platform_set_time(StoppedClock);
#endif
  g_deterministic.store(true);
  return absl::OkStatus();
}

}  // namespace mtls
