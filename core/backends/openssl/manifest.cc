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
  static const std::vector<Capability> manifest = {
      Supported("tls1.2"),
      Supported("tls1.3"),
      Supported("group:X25519"),
      Supported("group:P-256"),
      Supported("group:P-384"),
      Supported("scheme:ecdsa-p256"),
      Supported("scheme:ecdsa-p384"),
      Supported("scheme:ed25519"),
      Supported("scheme:rsa2048"),
      Supported("scheme:rsa3072"),
      Supported("resumption:tickets"),
      Supported("resumption:session-ids"),
      Supported("report:group"),
      Supported("config:signature-algorithms"),
      Supported("report:peer-signature-algorithm"),
      Supported("primitives"),
      Supported("seam:fixed-clock"),
      Supported("reference-loop"),
      NotSupported("seam:random",
       "OpenSSL 3 key generation draws from the provider DRBG; no deterministic provider is "
       "wired in yet"),
  };
  return manifest;
}

}  // namespace mtls
