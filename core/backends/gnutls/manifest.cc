// What the GnuTLS backend can do, and why not where it cannot.
#include <gnutls/gnutls.h>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"

namespace mtls {

BackendInfo CurrentBackend() {
  const std::string version = gnutls_check_version(nullptr);
  return {"gnutls", version,
          BuildId(absl::StrCat("gnutls-", GNUTLS_VERSION_MAJOR, ".", GNUTLS_VERSION_MINOR))};
}

constexpr char kNoDraftKyber[] = "GnuTLS 3.7 has no Kyber key exchange";
constexpr char kNoDraftDilithium[] = "GnuTLS 3.7 has no Dilithium";

const std::vector<Capability>& CapabilityManifest() {
  static const std::vector<Capability> manifest = ManifestExcept({
      NotSupported("group:X25519MLKEM768", "GnuTLS 3.7 has no ML-KEM key exchange"),
      NotSupported("group:MLKEM768", "GnuTLS 3.7 has no ML-KEM key exchange"),
      NotSupported("scheme:mldsa44", "GnuTLS 3.7 has no ML-DSA"),
      NotSupported("scheme:mldsa65", "GnuTLS 3.7 has no ML-DSA"),
      NotSupported("group:Kyber768", kNoDraftKyber),
      NotSupported("group:P384Kyber768", kNoDraftKyber),
      NotSupported("scheme:dilithium2", kNoDraftDilithium),
      NotSupported("scheme:dilithium3", kNoDraftDilithium),
      NotSupported("seam:random", "GnuTLS offers no hook for its random generator"),
      NotSupported("seam:process-random",
                   "GnuTLS 3.7 offers no hook for its random generator, not even process-wide "
                   "(crypto.h declares none)"),
      NotSupported("reference-loop",
                   "the bare-loop reference is written for the OpenSSL API (OpenSSL, BoringSSL)"),
  });
  return manifest;
}

}  // namespace mtls
