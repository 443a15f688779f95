// The option byte a handshake fuzz input starts with, so one target covers the matrix: TLS
// version, key-exchange group, how the sides authenticate (certificate scheme and chain depth,
// external PSK, raw public keys, TLS-SRP), the post-quantum groups and signatures, and DTLS. Every
// byte value is valid; inputs whose options the backend lacks are skipped (its manifest says so).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mtls/case_spec.h"

namespace mtls::fuzz {

// What the option byte selects: a mutual, non-resuming CaseSpec.
using HandshakeOptions = CaseSpec;

// Certificates (bits 1-2 != 3; the layout of the seeds recorded before the other schemes):
//   bit 0 version (0 = TLS 1.3); bits 1-2 group (X25519, P-256, P-384); bits 3-5 scheme (index
//   into PkiSchemes(), modulo its size); bits 6-7 depth - 1 (3 reads as 1).
// Other schemes (bits 1-2 == 3): bits 3-5 pick an entry, bits 6-7 its variant v, where
// G[v] = X25519, P-256, P-384, X25519MLKEM768 and PQ[v] = X25519MLKEM768, MLKEM768, Kyber768,
// P384Kyber768:
//   0 psk (psk_ke / plain PSK suites)  bit 0 version; no group
//   1 psk-dhe (psk_dhe_ke / ECDHE-PSK) bit 0 version; group G[v]
//   2 rpk (ECDSA P-256 raw keys)       bit 0 version; group G[v]
//   3 v = 0: srp                       TLS 1.2 (its only version)
//     v = 1, 2, 3: DTLS, X25519, ecdsa-p256 certificates at depth 1, psk-dhe or rpk; bit 0
//     version (0 = DTLS 1.3); the peer's bytes are then datagrams, each after its length (two
//     bytes, big-endian)
//   4 ecdsa-p256 certificates          TLS 1.3; group PQ[v]; bit 0 depth - 1
//   5 mldsa44, 6 mldsa65               TLS 1.3; group G[v]; bit 0 depth - 1
//   7 dilithium2 (v bit 0 clear) or dilithium3; TLS 1.3; group X25519 (v bit 1 clear) or
//     P384Kyber768 (wolfSSL's pre-standard pair); bit 0 depth - 1
// A post-quantum group implies TLS 1.3. Bits an entry does not use are ignored, so several
// bytes may decode to one CaseSpec.
HandshakeOptions DecodeOptions(uint8_t tag);

// Field by field (CaseSpec has no operator==): every field CaseSpec has.
bool SameOptions(const HandshakeOptions& a, const HandshakeOptions& b);

// The smallest byte that decodes to `options`, or nullopt when no byte selects them.
std::optional<uint8_t> EncodeOptions(const HandshakeOptions& options);

// Every distinct CaseSpec an option byte selects, in the order of their smallest bytes.
std::vector<HandshakeOptions> SelectableOptions();

// What mtls-fuzz-seeds records (each selectable): every certificate scheme in each of its
// versions at depth 2, the other groups, depth 3, the post-quantum groups and pairs, external
// PSK in both modes and raw public keys in both versions, TLS-SRP, and the DTLS entries.
std::vector<HandshakeOptions> SeedOptions();

// Names seed files: "TLSv1.3-X25519-ecdsa-p256-d1" (certificates), "TLSv1.3-X25519-psk-dhe",
// "TLSv1.2-psk" (no group), "TLSv1.3-P-256-rpk", "TLSv1.2-srp", "DTLSv1.2-X25519-rpk".
std::string OptionsName(const HandshakeOptions& options);

}  // namespace mtls::fuzz
