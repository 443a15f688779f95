/* mtls-bench glue (ours, not Mbed TLS's), compiled by fuzz/upstream/mbedtls.sh next to Mbed TLS's
 * own programs/fuzz targets when they are linked against our instrumented library build.
 *
 * That build has MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG (scripts/deps, build_mbedtls), so the program
 * supplies the PSA random generator, which the TLS 1.3 code uses (psa_crypto_init, key shares).
 * Mbed TLS's own test framework provides one (framework/tests/src/fake_external_rng_for_test.c:
 * libc rand(), the generator the fuzz programs' dummy_random uses and reseed with srand(1) per
 * input), off until the program switches it on, as upstream's ssl_client2 and ssl_server2 do
 * under this option. The fuzz programs have no such call: this does it before main. */
#include <test/fake_external_rng_for_test.h>

__attribute__((constructor)) static void mtls_enable_test_external_rng(void) {
  mbedtls_test_enable_insecure_external_rng();
}
