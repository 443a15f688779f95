// For backends whose public-key primitives (mtls/primitives.h) are not written yet: the
// manifest says why, and the benchmarks report no floor for them.
#include "mtls/backend.h"
#include "mtls/primitives.h"
#include "mtls/status.h"

namespace mtls {

absl::StatusOr<std::unique_ptr<SignatureOperation>> MakeSignatureOperation(const Credentials&) {
  MTLS_RETURN_IF_ERROR(RequireCapability("primitives"));
  return Unsupported("primitives: not implemented for this backend");
}

absl::StatusOr<std::unique_ptr<KeyExchangeOperation>> MakeKeyExchangeOperation(Group) {
  MTLS_RETURN_IF_ERROR(RequireCapability("primitives"));
  return Unsupported("primitives: not implemented for this backend");
}

}  // namespace mtls
