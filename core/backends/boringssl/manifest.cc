// What the BoringSSL backend can do, and why not where it cannot. The adapter itself is the
// OpenSSL-API source in core/backends/openssl, compiled with OPENSSL_IS_BORINGSSL.
#include <openssl/base.h>

#include <vector>

#include "mtls/backend.h"

#ifndef MTLS_BACKEND_VERSION
#error "the build defines MTLS_BACKEND_VERSION (BoringSSL has no run-time version string)"
#endif
#ifndef MTLS_BACKEND_ID
#error "the build defines MTLS_BACKEND_ID"
#endif

namespace mtls {

BackendInfo CurrentBackend() { return {"boringssl", MTLS_BACKEND_VERSION, MTLS_BACKEND_ID}; }

constexpr char kNoMlKem[] =
    "the Android BoringSSL builds (13, 14) carry only the pre-standard X25519Kyber768Draft00 "
    "hybrid (code point 0x6399), not ML-KEM";
constexpr char kNoMlDsa[] = "the Android BoringSSL builds (13, 14) have no ML-DSA";
constexpr char kNoDraftKyber[] =
    "BoringSSL's only Kyber is the X25519Kyber768Draft00 hybrid (0x6399), not round-3 Kyber on "
    "wolfSSL's pre-standard code points (0x023c, 0x2f3c)";
constexpr char kNoDraftDilithium[] = "the Android BoringSSL builds (13, 14) have no Dilithium";
constexpr char kNoTls13ExternalPsk[] =
    "BoringSSL has no TLS 1.3 external PSK (only resumption PSKs); its PSK callbacks serve the "
    "TLS 1.2 PSK suites";

[[maybe_unused]] constexpr char kNoCodecInSysroot[] =
    "BoringSSL takes the codec from the application, and this cross sysroot has no such library "
    "(bookworm has no riscv64 packages)";

const std::vector<Capability>& CapabilityManifest() {
  static const std::vector<Capability> manifest = ManifestExcept({
#if !defined(BORINGSSL_UNSAFE_DETERMINISTIC_MODE)
    NotSupported("seam:process-random",
                 "BoringSSL has no RNG hook; only a build with "
                 "BORINGSSL_UNSAFE_DETERMINISTIC_MODE (scripts/deps --fuzz) is deterministic"),
#endif
        NotSupported(
            "deviation:negative/client-chain-too-long",
            "BoringSSL's verifier stops building the chain at the depth limit and reports "
            "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, not X509_V_ERR_CERT_CHAIN_TOO_LONG "
            "(the chain is still rejected)"),
        NotSupported("group:X25519MLKEM768", kNoMlKem), NotSupported("group:MLKEM768", kNoMlKem),
        NotSupported("scheme:mldsa44", kNoMlDsa), NotSupported("scheme:mldsa65", kNoMlDsa),
        NotSupported("group:Kyber768", kNoDraftKyber),
        NotSupported("group:P384Kyber768", kNoDraftKyber),
        NotSupported("scheme:dilithium2", kNoDraftDilithium),
        NotSupported("scheme:dilithium3", kNoDraftDilithium),
        NotSupported("rpk",
                     "the Android BoringSSL builds (13, 14) have no raw public keys "
                     "(RFC 7250 certificate types)"),
        NotSupported("srp:tls1.2", "BoringSSL removed TLS-SRP"),
        NotSupported("psk:tls1.3:psk_dhe_ke", kNoTls13ExternalPsk),
        NotSupported("psk:tls1.3:psk_ke", kNoTls13ExternalPsk),
        NotSupported(
            "seam:random",
            "BoringSSL has no RNG hook, per context or otherwise (see seam:process-random)"),
        NotSupported("dtls1.3", "the Android BoringSSL builds (13, 14) implement DTLS up to 1.2"),
        NotSupported("dtls:cookie",
                     "BoringSSL's DTLS server cannot send a HelloVerifyRequest (no cookie "
                     "exchange)"),
        NotSupported("dtls:cid", "BoringSSL has no DTLS Connection ID (RFC 9146)"),
        NotSupported("dtls1.3:cid",
                     "the Android BoringSSL builds (13, 14) implement DTLS up to 1.2"),
        NotSupported("cert-compression:client-certificate",
                     "BoringSSL compresses only the server's certificate: its server offers no "
                     "compress_certificate in CertificateRequest, and its client never "
                     "compresses its own"),
    // BoringSSL compresses with the application's codecs (core/src/certificate_codec.cc).
#if !defined(MTLS_HAVE_ZLIB)
        NotSupported("cert-compression:zlib", kNoCodecInSysroot),
#endif
#if !defined(MTLS_HAVE_BROTLI)
        NotSupported("cert-compression:brotli", kNoCodecInSysroot),
#endif
#if !defined(MTLS_HAVE_ZSTD)
        NotSupported("cert-compression:zstd", kNoCodecInSysroot),
#endif
  });
  return manifest;
}

}  // namespace mtls
