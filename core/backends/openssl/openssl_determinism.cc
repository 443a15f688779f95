// Deterministic randomness (mtls/determinism.h) for the OpenSSL API. OpenSSL 3 still honours a
// process-wide RAND_METHOD (deprecated, but the only hook that also reaches the providers' key
// generation); BoringSSL has none and is deterministic only when built for fuzzing.
#include <openssl/rand.h>

#include "absl/types/span.h"
#include "mtls/backend.h"
#include "mtls/determinism.h"
#include "mtls/status.h"

namespace mtls {

#if defined(OPENSSL_IS_BORINGSSL)

// BoringSSL keeps a generator per thread that the stream only seeds; scripts/deps' fuzz build
// can drop it (scripts/lib/boringssl/reset-thread-random.patch), so runs then share a thread.
#if defined(MTLS_BORINGSSL_RESET_THREAD_RANDOM)
bool ReplayNeedsFreshThread() { return false; }
namespace {
void RestartRandom() {
  RAND_reset_for_fuzzing();
  RAND_reset_thread_for_fuzzing();
}
}  // namespace
#else
bool ReplayNeedsFreshThread() { return true; }
#endif

absl::Status UseDeterministicRandom() {
  MTLS_RETURN_IF_ERROR(RequireCapability("seam:process-random"));
#if defined(MTLS_BORINGSSL_RESET_THREAD_RANDOM)
  SetLibraryRandomRestart(RestartRandom);
#elif defined(BORINGSSL_UNSAFE_DETERMINISTIC_MODE)
  SetLibraryRandomRestart(RAND_reset_for_fuzzing);
#endif
  return absl::OkStatus();
}

#else

// OpenSSL 3 keeps generators per thread (those of library contexts the RAND_METHOD does not reach)
// and its error queue.
bool ReplayNeedsFreshThread() { return true; }

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace {
int DeterministicRandBytes(unsigned char* out, int size) {
  DeterministicBytes(absl::MakeSpan(out, static_cast<size_t>(size)));
  return 1;
}
int DeterministicRandStatus() { return 1; }
const RAND_METHOD kDeterministicMethod = {nullptr, DeterministicRandBytes, nullptr,
                                          nullptr, DeterministicRandBytes, DeterministicRandStatus};
}  // namespace

absl::Status UseDeterministicRandom() {
  if (RAND_set_rand_method(&kDeterministicMethod) != 1) {
    return absl::InternalError("RAND_set_rand_method refused the deterministic method");
  }
  return absl::OkStatus();
}

#pragma GCC diagnostic pop

#endif

}  // namespace mtls
