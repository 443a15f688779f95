// What the OpenSSL backend can do, and why not where it cannot.
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <openssl/ssl.h>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"

namespace mtls {

BackendInfo CurrentBackend() {
  return {"openssl", OpenSSL_version(OPENSSL_VERSION_STRING),
          BuildId(absl::StrCat("openssl-", OPENSSL_VERSION_MAJOR, ".", OPENSSL_VERSION_MINOR))};
}

// wolfSSL 5.7's pre-standard post-quantum algorithms exist in no other library.
constexpr char kNoDraftKyber[] =
    "OpenSSL implements only the standard ML-KEM (3.5+), not round-3 Kyber on wolfSSL's "
    "pre-standard "
    "code points (0x023c, 0x2f3c)";
constexpr char kNoDraftDilithium[] =
    "OpenSSL implements only the standard ML-DSA (3.5+), not round-3-OID Dilithium on wolfSSL's "
    "private code points (0xfed0, 0xfed1)";

[[maybe_unused]] constexpr char kCertCompressionFrom32[] =
    "OpenSSL has certificate compression (RFC 8879) from 3.2 on";

const std::vector<Capability>& CapabilityManifest() {
  static const std::vector<Capability> manifest = ManifestExcept({
#if OPENSSL_VERSION_NUMBER < 0x30500000L
    NotSupported("group:X25519MLKEM768", "OpenSSL has ML-KEM groups from 3.5 on"),
        NotSupported("group:MLKEM768", "OpenSSL has ML-KEM groups from 3.5 on"),
        NotSupported("scheme:mldsa44", "OpenSSL has ML-DSA from 3.5 on"),
        NotSupported("scheme:mldsa65", "OpenSSL has ML-DSA from 3.5 on"),
#endif
#if defined(OPENSSL_NO_SRP)
        NotSupported("srp:tls1.2", "this OpenSSL build was configured without SRP (no-srp)"),
#endif
#if !defined(TLSEXT_cert_type_rpk)
        NotSupported("rpk", "OpenSSL has raw public keys (RFC 7250) from 3.2 on"),
#endif
#if !defined(SSL_OP_PREFER_NO_DHE_KEX)
        NotSupported("psk:tls1.3:psk_ke",
                     "OpenSSL before 3.3 always offers psk_dhe_ke beside psk_ke and its server "
                     "always picks psk_dhe_ke when offered (SSL_OP_PREFER_NO_DHE_KEX is 3.3+)"),
#endif
        NotSupported("group:Kyber768", kNoDraftKyber),
        NotSupported("group:P384Kyber768", kNoDraftKyber),
        NotSupported("scheme:dilithium2", kNoDraftDilithium),
        NotSupported("scheme:dilithium3", kNoDraftDilithium),
        NotSupported("dtls1.3", "OpenSSL 3 implements DTLS up to 1.2"),
        NotSupported("dtls:cid", "OpenSSL 3 has no DTLS Connection ID (RFC 9146)"),
        NotSupported("dtls1.3:cid", "OpenSSL 3 implements DTLS up to 1.2"),
#if !defined(TLSEXT_comp_cert_zlib)
        NotSupported("cert-compression:zlib", kCertCompressionFrom32),
        NotSupported("cert-compression:brotli", kCertCompressionFrom32),
        NotSupported("cert-compression:zstd", kCertCompressionFrom32),
        NotSupported("cert-compression:client-certificate", kCertCompressionFrom32),
#else
#if defined(OPENSSL_NO_ZLIB)
        NotSupported("cert-compression:zlib", "this OpenSSL build was configured without zlib"),
#endif
#if defined(OPENSSL_NO_BROTLI)
        NotSupported("cert-compression:brotli", "this OpenSSL build was configured without brotli"),
#endif
#if defined(OPENSSL_NO_ZSTD)
        NotSupported("cert-compression:zstd", "this OpenSSL build was configured without zstd"),
#endif
#if defined(OPENSSL_NO_COMP_ALG)
        NotSupported("cert-compression:client-certificate",
                     "this OpenSSL build was configured without zlib, brotli and zstd"),
#endif
#endif
  });
  return manifest;
}

}  // namespace mtls
