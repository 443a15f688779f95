// What the GnuTLS backend can do, and why not where it cannot.
#include <gnutls/gnutls.h>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"

namespace mtls {

BackendInfo CurrentBackend() {
  const std::string version = gnutls_check_version(nullptr);
  return {"gnutls", version, absl::StrCat("gnutls-", GNUTLS_VERSION_MAJOR, ".", GNUTLS_VERSION_MINOR)};
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
      NotSupported("deviation:negative/client-chain-too-long",
                   "GnuTLS refuses a chain longer than its verify depth before verifying it and "
                   "reports only a generic certificate error (GNUTLS_E_CERTIFICATE_ERROR, no "
                   "status bit); the chain is still rejected"),
      NotSupported("seam:fixed-clock",
                   "GnuTLS takes certificate-validity time from one process-wide function "
                   "(gnutls_global_set_time_function); it cannot differ per endpoint"),
      NotSupported("seam:random", "GnuTLS offers no hook for its random generator"),
      NotSupported("reference-loop",
                   "the bare-loop reference is written for the OpenSSL API (OpenSSL, BoringSSL)"),
  };
  return manifest;
}

}  // namespace mtls
