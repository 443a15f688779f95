// What the Mbed TLS backend (2.28 or 3.6) can do, and why not where it cannot.
#include <mbedtls/version.h>

#include "absl/strings/str_cat.h"
#include "mbedtls_dtls.h"
#include "mtls/backend.h"

namespace mtls {

BackendInfo CurrentBackend() {
  char version[32];
  mbedtls_version_get_string(version);
  return {"mbedtls", version,
          BuildId(absl::StrCat("mbedtls-", MBEDTLS_VERSION_MAJOR, ".", MBEDTLS_VERSION_MINOR))};
}

constexpr char kNoCertificateCompression[] =
    "Mbed TLS (2.28, 3.6) does not implement TLS certificate compression (RFC 8879): no "
    "compress_certificate extension, no CompressedCertificate message";
constexpr char kNoDraftKyber[] = "Mbed TLS (2.28, 3.6) has no post-quantum key exchange";
constexpr char kNoDraftDilithium[] = "Mbed TLS (2.28, 3.6) has no post-quantum signatures";

const std::vector<Capability>& CapabilityManifest() {
  static const std::vector<Capability> manifest = ManifestExcept({
    NotSupported("group:X25519MLKEM768", "Mbed TLS (2.28, 3.6) has no post-quantum key exchange"),
        NotSupported("group:MLKEM768", "Mbed TLS (2.28, 3.6) has no post-quantum key exchange"),
        NotSupported("scheme:mldsa44", "Mbed TLS (2.28, 3.6) has no post-quantum signatures"),
        NotSupported("scheme:mldsa65", "Mbed TLS (2.28, 3.6) has no post-quantum signatures"),
        NotSupported("group:Kyber768", kNoDraftKyber),
        NotSupported("group:P384Kyber768", kNoDraftKyber),
        NotSupported("scheme:dilithium2", kNoDraftDilithium),
        NotSupported("scheme:dilithium3", kNoDraftDilithium),
        NotSupported("rpk", "Mbed TLS (2.28, 3.6) has no raw public keys (RFC 7250)"),
        NotSupported("srp:tls1.2", "Mbed TLS has no TLS-SRP"),
#if MBEDTLS_VERSION_MAJOR < 3
        NotSupported("psk:tls1.3:psk_dhe_ke", "Mbed TLS 2.28 implements TLS up to 1.2"),
        NotSupported("psk:tls1.3:psk_ke", "Mbed TLS 2.28 implements TLS up to 1.2"),
#endif
#if MBEDTLS_VERSION_MAJOR < 3
        NotSupported("tls1.3", "Mbed TLS 2.28 implements TLS up to 1.2"),
        NotSupported(
            "finding:hostile/disallowed-signature-algorithm/TLSv1.2",
            "Mbed TLS 2.28's TLS 1.2 server accepts a CertificateVerify signed with ecdsa_sha1, "
            "which its CertificateRequest did not offer (RFC 5246 7.4.8: it must be one of those "
            "offered); the signature itself is checked. 3.6 rejects it"),
#endif
#if MBEDTLS_VERSION_MAJOR >= 3
        NotSupported(
            "finding:resumption/tickets/TLSv1.3",
            "Mbed TLS 3.6's TLS 1.3 tickets carry no peer certificate (ssl_tls13_session_save "
            "writes none; the server restores only the resumption key and flags), so after a "
            "TLS 1.3 resumption its server no longer names the client it authenticated in the "
            "full handshake; its TLS 1.2 sessions and tickets keep the certificate"),
        NotSupported(
            "finding:alert-probe/TLSv1.3/server/",
            "Mbed TLS 3.6's TLS 1.3 server switches its outgoing protection to the application "
            "keys only at wrap-up, after the client's Finished (ssl_tls13_generic.c), so the "
            "alert it sends when it rejects a client's certificate or CertificateVerify is "
            "protected with the handshake keys the client has already left (RFC 8446 7.1): "
            "the client cannot read it (OpenSSL answers bad_record_mac)"),
#endif
        NotSupported("scheme:ed25519", "Mbed TLS has no Ed25519 (2.28 and 3.6)"),
#if !defined(MBEDTLS_PLATFORM_TIME_ALT) || \
    (MBEDTLS_VERSION_MAJOR >= 3 && !defined(MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG))
        NotSupported("seam:process-random",
                     "Mbed TLS takes its generator per context (seam:random), but a handshake "
                     "still differs run to run: hello randoms start with mbedtls_time(), and 3.x "
                     "makes TLS 1.3 key shares with the PSA generator; both are replaceable only "
                     "at build time (MBEDTLS_PLATFORM_TIME_ALT, MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG: "
                     "scripts/deps --fuzz builds)"),
#endif
        NotSupported("report:peer-signature-algorithm",
                     "Mbed TLS (2.28, 3.6) has no public call for the peer's signature algorithm"),
        NotSupported(
            "report:group",
            "Mbed TLS (2.28, 3.6) frees its handshake state, and the negotiated group with "
            "it, when the handshake ends, and has no call for it"),
        NotSupported("reference-loop",
                     "the bare-loop reference is written for the OpenSSL API (OpenSSL, BoringSSL)"),
        NotSupported("dtls1.3", mbedtls_dtls::kNoDtls13),
        NotSupported("dtls1.3:cid", mbedtls_dtls::kNoDtls13),
#if !defined(MBEDTLS_SSL_PROTO_DTLS)
        NotSupported("dtls1.2", mbedtls_dtls::kNoDtls),
#endif
#if !defined(MTLS_MBEDTLS_DTLS_COOKIES)
        NotSupported("dtls:cookie", mbedtls_dtls::kNoCookies),
#endif
#if !defined(MTLS_MBEDTLS_RFC9146_CID)
        NotSupported("dtls:cid", mbedtls_dtls::kNoConnectionId),
#endif
        NotSupported("cert-compression:zlib", kNoCertificateCompression),
        NotSupported("cert-compression:brotli", kNoCertificateCompression),
        NotSupported("cert-compression:zstd", kNoCertificateCompression),
        NotSupported("cert-compression:client-certificate", kNoCertificateCompression),
  });
  return manifest;
}

}  // namespace mtls
