// What the BoringSSL backend can do, and why not where it cannot. The adapter itself is the
// OpenSSL-API source in core/backends/openssl, compiled with OPENSSL_IS_BORINGSSL.
#include <openssl/base.h>

#include "mtls/backend.h"

#ifndef MTLS_BACKEND_VERSION
#error "the build defines MTLS_BACKEND_VERSION (BoringSSL has no run-time version string)"
#endif
#ifndef MTLS_BACKEND_ID
#error "the build defines MTLS_BACKEND_ID"
#endif

namespace mtls {

BackendInfo CurrentBackend() { return {"boringssl", MTLS_BACKEND_VERSION, MTLS_BACKEND_ID}; }

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
      NotSupported("deviation:negative/client-chain-too-long",
                   "BoringSSL's verifier stops building the chain at the depth limit and reports "
                   "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, not X509_V_ERR_CERT_CHAIN_TOO_LONG "
                   "(the chain is still rejected)"),
      NotSupported("seam:random",
       "BoringSSL has no RNG hook; only a build with BORINGSSL_UNSAFE_DETERMINISTIC_MODE is "
       "deterministic and Debian's is not one"),
  };
  return manifest;
}

}  // namespace mtls
