// What the OpenSSL backend can do, and why not where it cannot.
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"

namespace mtls {

BackendInfo CurrentBackend() {
  return {"openssl", OpenSSL_version(OPENSSL_VERSION_STRING),
          absl::StrCat("openssl-", OPENSSL_VERSION_MAJOR, ".", OPENSSL_VERSION_MINOR)};
}

const std::vector<Capability>& CapabilityManifest() {
  static const std::vector<Capability> manifest = ManifestExcept({
      NotSupported("seam:random",
                   "OpenSSL 3 key generation draws from the provider DRBG; no deterministic "
                   "provider is wired in yet"),
  });
  return manifest;
}

}  // namespace mtls
