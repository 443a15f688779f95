// What the wolfSSL backend can do, and why not where it cannot.
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/version.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "mtls/backend.h"
#include "wolfssl_dtls.h"

namespace mtls {

BackendInfo CurrentBackend() {
  const std::string version = wolfSSL_lib_version();
  const std::vector<std::string> parts = absl::StrSplit(version, '.');
  return {"wolfssl", version,
          BuildId(absl::StrCat("wolfssl-", parts.at(0), ".", parts.size() > 1 ? parts[1] : "0"))};
}

constexpr char kNoCertificateCompression[] =
    "wolfSSL (5.5, 5.7) does not implement TLS certificate compression (RFC 8879): no "
    "compress_certificate extension, no CompressedCertificate message";

// wolfSSL 5.7's post-quantum algorithms predate the standards: round-3 Kyber on the code points of
// the Open Quantum Safe experiments, and Dilithium with round-3 OIDs on private code points
// (0xfed0..). Debian's configuration leaves them out; scripts/deps builds 5.7 with them.
constexpr char kNoMlKem[] =
    "wolfSSL 5.7 has only round-3 Kyber on pre-standard code points (group:Kyber768, "
    "group:P384Kyber768), not ML-KEM's 0x0201 / 0x11ec";
constexpr char kNoMlDsa[] =
    "wolfSSL 5.7 has only Dilithium with round-3 OIDs on private code points "
    "(scheme:dilithium2/3), not ML-DSA's OIDs and 0x0904 / 0x0905";
#if !defined(WOLFSSL_HAVE_KYBER)
constexpr char kNoDraftKyber[] =
    "not in this build: wolfSSL's Kyber needs --enable-experimental --enable-kyber, which "
    "Debian's configuration leaves out (scripts/deps builds wolfSSL 5.7 with it)";
#endif
#if !defined(HAVE_DILITHIUM)
constexpr char kNoDraftDilithium[] =
    "not in this build: wolfSSL's Dilithium needs --enable-experimental --enable-dilithium, "
    "which Debian's configuration leaves out (scripts/deps builds wolfSSL 5.7 with it)";
#endif

#if !defined(WC_RNG_SEED_CB)
// The adapter's random seams answer wolfSSL's seed callback; its generators have no other hook.
constexpr char kNoSeedHook[] =
    "wolfSSL's only hook into its generators is the seed callback (wc_SetSeed_Cb), which exists "
    "only in builds with WC_RNG_SEED_CB; Debian's package is not one (scripts/deps builds are)";
#endif

const std::vector<Capability>& CapabilityManifest() {
  static const std::vector<Capability> manifest = ManifestExcept({
    NotSupported("group:X25519MLKEM768", kNoMlKem), NotSupported("group:MLKEM768", kNoMlKem),
        NotSupported("scheme:mldsa44", kNoMlDsa), NotSupported("scheme:mldsa65", kNoMlDsa),
#if !defined(WOLFSSL_HAVE_KYBER)
        NotSupported("group:Kyber768", kNoDraftKyber),
        NotSupported("group:P384Kyber768", kNoDraftKyber),
#endif
#if !defined(HAVE_DILITHIUM)
        NotSupported("scheme:dilithium2", kNoDraftDilithium),
        NotSupported("scheme:dilithium3", kNoDraftDilithium),
#endif
        NotSupported("srp:tls1.2",
                     "wolfSSL has SRP in wolfCrypt (wc_Srp*) but no TLS-SRP cipher "
                     "suites"),
#if !defined(HAVE_RPK) || !defined(WOLFSSL_ALWAYS_VERIFY_CB)
        NotSupported("rpk",
                     "this wolfSSL build has no raw public keys (HAVE_RPK, wolfSSL 5.6.3+) or "
                     "no verify callback on success (WOLFSSL_ALWAYS_VERIFY_CB) to check them"),
#endif
#if !defined(WOLFSSL_STATIC_PSK)
        NotSupported("psk:tls1.2:psk",
                     "wolfSSL offers TLS 1.2 PSK suites without (EC)DHE only when built with "
                     "WOLFSSL_STATIC_PSK; this build is not (TLS 1.3 psk_ke is unaffected)"),
#endif
#if LIBWOLFSSL_VERSION_HEX < 0x05007000
        NotSupported("psk:tls1.2:ecdhe_psk",
                     "wolfSSL 5.5's TLS 1.2 ECDHE-PSK client rejects the server's X25519 share "
                     "(ECC_PEERKEY_ERROR, 'Bad ECC Peer Key'); 5.7 completes the same handshake"),
#endif
#if LIBWOLFSSL_VERSION_HEX < 0x05007000
        NotSupported(
            "finding:resumption/tickets/TLSv1.2/after-200-other-clients",
            "wolfSSL 5.5.4's TLS 1.2 ticket carries a session ID, not the session: the server "
            "restores the session from its process-wide session cache (11 rows of 3 sessions, "
            "shared by every context's client and server sessions); once other sessions have "
            "evicted that entry the ticket is refused and a full handshake follows. 5.5.4's "
            "wolfSSL_SESSION_get_id does not return a ticket's ID, so a per-context external "
            "cache cannot replace it (5.7 can)"),
        NotSupported(
            "finding:resumption/tickets/TLSv1.3/after-200-other-clients",
            "wolfSSL 5.5.4's TLS 1.3 ticket carries no client certificate: the server restores "
            "it from its process-wide session cache (11 rows of 3 sessions, shared by every "
            "context's client and server sessions) by the ticket's ID; once other sessions have "
            "evicted that entry the ticket still resumes, but the server holds no client "
            "certificate (reported as not verified). 5.5.4's wolfSSL_SESSION_get_id does not "
            "return a ticket's ID, so a per-context external cache cannot replace it (5.7 can)"),
        NotSupported(
            "deviation:negative/client-chain-too-long",
            "wolfSSL 5.5 stops building the chain at the depth limit and reports that no "
            "signer was found (ASN_NO_SIGNER_E), not that the chain is too long (5.7 reports "
            "MAX_CHAIN_ERROR); still rejected"),
#endif
        NotSupported(
            "finding:hostile/signature-algorithm-key-mismatch/TLSv1.2",
            "wolfSSL's TLS 1.2 server (5.5 and 5.7) accepts a CertificateVerify labelled "
            "rsa_pss_rsae_sha256 that carries an ECDSA signature: it verifies by the type of the "
            "certificate's key and ignores the label (the signature is still checked with that "
            "key); 5.5 accepts it although its CertificateRequest did not offer that scheme. "
            "Its TLS 1.3 server rejects the same"),
#if !defined(WC_RNG_SEED_CB)
        NotSupported("seam:process-random", kNoSeedHook), NotSupported("seam:random", kNoSeedHook),
#endif
#if LIBWOLFSSL_VERSION_HEX < 0x05007000
        NotSupported("report:peer-signature-algorithm",
                     "wolfSSL 5.5 has no public call that returns the peer's signature "
                     "algorithm (wolfSSL_get_peer_signature_nid / _type_nid arrived in 5.7.0)"),
#endif
        NotSupported("reference-loop",
                     "the bare-loop reference is written for the OpenSSL API (OpenSSL, BoringSSL)"),
#if !defined(WOLFSSL_DTLS) || !defined(WOLFSSL_DTLS_MTU)
        NotSupported("dtls1.2", wolfssl_dtls::kNoDtls),
        NotSupported("dtls1.3", wolfssl_dtls::kNoDtls),
        NotSupported("dtls:cookie", wolfssl_dtls::kNoDtls),
        NotSupported("dtls1.3:cid", wolfssl_dtls::kNoDtls),
#elif !defined(WOLFSSL_DTLS13)
        NotSupported("dtls1.3", wolfssl_dtls::kNoDtls13),
        NotSupported("dtls1.3:cid", wolfssl_dtls::kNoDtls13),
#elif !defined(WOLFSSL_DTLS_CID)
        NotSupported("dtls1.3:cid", wolfssl_dtls::kNoConnectionId),
#endif
        // A DTLS 1.3 Connection ID, where built in, is not dtls:cid's RFC 9146 (wolfssl_dtls.cc).
        NotSupported("dtls:cid", wolfssl_dtls::kNoConnectionId),
        NotSupported("cert-compression:zlib", kNoCertificateCompression),
        NotSupported("cert-compression:brotli", kNoCertificateCompression),
        NotSupported("cert-compression:zstd", kNoCertificateCompression),
        NotSupported("cert-compression:client-certificate", kNoCertificateCompression),
  });
  return manifest;
}

}  // namespace mtls
