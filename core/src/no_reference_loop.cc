// For backends without a bare reference loop (mtls/reference_loop.h): the manifest says why.
#include "mtls/backend.h"
#include "mtls/reference_loop.h"
#include "mtls/status.h"

namespace mtls {

absl::StatusOr<std::unique_ptr<ReferenceLoop>> MakeReferenceLoop(const ReferenceLoopSetup&) {
  MTLS_RETURN_IF_ERROR(RequireCapability("reference-loop"));
  return Unsupported("reference-loop: not implemented for this backend");
}

}  // namespace mtls
