// The PSA core's generator in Mbed TLS builds that take it from the program
// (MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG, set by scripts/deps --fuzz): the deterministic stream while
// UseDeterministicRandom() is in force, else the kernel's. Every program links it (see
// CMakeLists.txt): libmbedcrypto needs it whichever parts of libmtls a program uses.
#include <mbedtls/version.h>

#if defined(MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG)
#include <psa/crypto.h>
#include <sys/random.h>

#include "mbedtls_determinism.h"
#include "mtls/determinism.h"

extern "C" psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t*,
                                                        uint8_t* output, size_t output_size,
                                                        size_t* output_length) {
  if (mtls::mbedtls_determinism::InUse()) {
    mtls::DeterministicBytes(absl::MakeSpan(output, output_size));
  } else {
    for (size_t done = 0; done < output_size;) {
      const ssize_t got = getrandom(output + done, output_size - done, 0);
      if (got <= 0) return PSA_ERROR_INSUFFICIENT_ENTROPY;
      done += static_cast<size_t>(got);
    }
  }
  *output_length = output_size;
  return PSA_SUCCESS;
}
#endif
