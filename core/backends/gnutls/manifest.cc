// What the GnuTLS backend can do, and why not where it cannot.
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gnutls_cert_compression.h"
#include "gnutls_dtls.h"
#include "mtls/backend.h"

namespace mtls {

BackendInfo CurrentBackend() {
  const std::string version = gnutls_check_version(nullptr);
  return {"gnutls", version,
          BuildId(absl::StrCat("gnutls-", GNUTLS_VERSION_MAJOR, ".", GNUTLS_VERSION_MINOR))};
}

constexpr char kNoDraftKyber[] = "GnuTLS 3.7 has no Kyber key exchange";
constexpr char kNoDraftDilithium[] = "GnuTLS 3.7 has no Dilithium";

// GnuTLS's own fuzzing build (--enable-fuzzer-target, the instrumented build of scripts/deps)
// answers every gnutls_rnd call with the same bytes: told apart by asking twice.
bool IsFuzzerTargetBuild() {
  std::array<unsigned char, 16> first{}, second{};
  return gnutls_rnd(GNUTLS_RND_NONCE, first.data(), first.size()) == 0 &&
         gnutls_rnd(GNUTLS_RND_NONCE, second.data(), second.size()) == 0 && first == second;
}

std::vector<Capability> RandomRows() {
  if (IsFuzzerTargetBuild()) {
    return {NotSupported("resumption:distinct-session-ids",
                         "this is GnuTLS's fuzzing build (--enable-fuzzer-target): every "
                         "gnutls_rnd call returns the same bytes, so every session gets the same "
                         "ID and each new client's session replaces the one before in the cache"),
            NotSupported("seam:random",
                         "GnuTLS offers no hook for its random generator (this "
                         "fuzzing build's is fixed, process-wide)")};
  }
  return {NotSupported("seam:random", "GnuTLS offers no hook for its random generator"),
          NotSupported("seam:process-random",
                       "GnuTLS 3.7 offers no hook for its random generator, not even process-wide "
                       "(crypto.h declares none); its fuzzing build's is fixed")};
}

const std::vector<Capability>& CapabilityManifest() {
  static const std::vector<Capability> manifest = [] {
    std::vector<Capability> rows = {
        NotSupported("group:X25519MLKEM768", "GnuTLS 3.7 has no ML-KEM key exchange"),
        NotSupported("group:MLKEM768", "GnuTLS 3.7 has no ML-KEM key exchange"),
        NotSupported("scheme:mldsa44", "GnuTLS 3.7 has no ML-DSA"),
        NotSupported("scheme:mldsa65", "GnuTLS 3.7 has no ML-DSA"),
        NotSupported("group:Kyber768", kNoDraftKyber),
        NotSupported("group:P384Kyber768", kNoDraftKyber),
        NotSupported("scheme:dilithium2", kNoDraftDilithium),
        NotSupported("scheme:dilithium3", kNoDraftDilithium),
        NotSupported("reference-loop",
                     "the bare-loop reference is written for the OpenSSL API (OpenSSL, BoringSSL)"),
        NotSupported("dtls1.3", gnutls_dtls::kNoDtls13),
        NotSupported("dtls:cid", gnutls_dtls::kNoConnectionId),
        NotSupported("dtls1.3:cid", gnutls_dtls::kNoDtls13),
    };
    for (Capability& row : RandomRows()) rows.push_back(std::move(row));
    for (Capability& row : gnutls_cert_compression::UnsupportedRows()) {
      rows.push_back(std::move(row));
    }
    return ManifestExcept(std::move(rows));
  }();
  return manifest;
}

}  // namespace mtls
