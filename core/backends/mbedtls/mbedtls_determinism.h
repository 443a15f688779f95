// Whether UseDeterministicRandom() is in force: the adapter then gives contexts without a
// seams.random generator the deterministic stream too.
#pragma once

namespace mtls::mbedtls_determinism {

bool InUse();

}  // namespace mtls::mbedtls_determinism
