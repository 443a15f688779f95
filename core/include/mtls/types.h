// Names of the protocol parameters a mutual-auth handshake is configured with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace mtls {

enum class Role { kClient, kServer };
enum class TlsVersion { kTls12, kTls13 };  // over DTLS: DTLS 1.2 and DTLS 1.3
// The record layer: TLS over a byte stream, or DTLS (RFC 6347, RFC 9147) over datagrams.
enum class Protocol { kTls, kDtls };
// Key-exchange groups: elliptic-curve Diffie-Hellman; the post-quantum ML-KEM-768 KEM alone or in
// the X25519 hybrid (TLS 1.3 only); and wolfSSL 5.7's pre-standard round-3 Kyber-768, alone or in
// its P-384 hybrid, on the code points of the Open Quantum Safe experiments (nobody else speaks
// them).
enum class Group { kX25519, kP256, kP384, kX25519MlKem768, kMlKem768, kKyber768, kP384Kyber768 };
bool IsPostQuantum(Group group);

// Whether the server asks for and requires a client certificate. kNone is the labelled
// server-auth-only baseline; it never counts as mutual authentication.
enum class ClientAuth { kRequired, kNone };

// How a client may resume: not at all, with session tickets, or with TLS 1.2 session IDs.
enum class Resumption { kOff, kTickets, kSessionIds };

// Key exchange alongside an external PSK: kDhe = TLS 1.3 psk_dhe_ke / TLS 1.2 ECDHE_PSK suites
// (forward secrecy, one (EC)DHE per side), kPskOnly = psk_ke / plain PSK suites (no public-key
// operation at all).
enum class PskKeyExchange { kDhe, kPskOnly };

// TLS 1.3 certificate compression (RFC 8879): the algorithm a Certificate message is sent
// compressed with, by its IANA code point (1, 2, 3).
enum class CertificateCompression { kZlib = 1, kBrotli = 2, kZstd = 3 };
inline constexpr CertificateCompression kAllCertificateCompressions[] = {
    CertificateCompression::kZlib, CertificateCompression::kBrotli, CertificateCompression::kZstd};

absl::string_view RoleName(Role role);
absl::string_view TlsVersionName(TlsVersion version);  // "TLSv1.2", "TLSv1.3"
absl::string_view ProtocolName(Protocol protocol);     // "tls", "dtls"
// "TLSv1.3", "DTLSv1.2": names a version of either protocol.
absl::string_view VersionName(Protocol protocol, TlsVersion version);
absl::string_view GroupName(Group group);  // "X25519", "P-256", "P-384", "X25519MLKEM768", ...
absl::string_view ResumptionName(Resumption resumption);
// "psk_dhe_ke" / "psk_ke" in TLS 1.3, "ecdhe_psk" / "psk" in TLS 1.2 (the suites' key exchange).
absl::string_view PskKeyExchangeName(PskKeyExchange mode, TlsVersion version);
absl::string_view CertificateCompressionName(CertificateCompression algorithm);  // "zlib", ...
uint16_t GroupCodePoint(Group group);  // IANA TLS Supported Groups value
std::optional<Group> GroupFromCodePoint(uint16_t code_point);

absl::StatusOr<TlsVersion> ParseTlsVersion(absl::string_view name);  // "1.2", "1.3", "TLSv1.3"
absl::StatusOr<Group> ParseGroup(absl::string_view name);            // case-insensitive
absl::StatusOr<Protocol> ParseProtocol(absl::string_view name);      // "tls", "dtls"
absl::StatusOr<CertificateCompression> ParseCertificateCompression(absl::string_view name);
// A version of `protocol`: "1.2", "1.3", or VersionName's spelling ("DTLSv1.2").
absl::StatusOr<TlsVersion> ParseVersion(Protocol protocol, absl::string_view name);

// TLS SignatureScheme code points (RFC 8446 section 4.2.3) with their standard names.
namespace sigalg {
inline constexpr uint16_t kRsaPkcs1Sha256 = 0x0401;
inline constexpr uint16_t kRsaPkcs1Sha384 = 0x0501;
inline constexpr uint16_t kEcdsaSecp256r1Sha256 = 0x0403;
inline constexpr uint16_t kEcdsaSecp384r1Sha384 = 0x0503;
inline constexpr uint16_t kRsaPssRsaeSha256 = 0x0804;
inline constexpr uint16_t kRsaPssRsaeSha384 = 0x0805;
inline constexpr uint16_t kEd25519 = 0x0807;
// ML-DSA (FIPS 204) in TLS 1.3, draft-ietf-tls-mldsa.
inline constexpr uint16_t kMlDsa44 = 0x0904;
inline constexpr uint16_t kMlDsa65 = 0x0905;
// wolfSSL 5.7's pre-standard Dilithium (private-use code points).
inline constexpr uint16_t kDilithium2 = 0xfed0;
inline constexpr uint16_t kDilithium3 = 0xfed1;
}  // namespace sigalg

// "ecdsa_secp256r1_sha256" etc.; "0x%04x" for code points this project does not name.
std::string SignatureAlgorithmName(uint16_t code_point);
absl::StatusOr<uint16_t> ParseSignatureAlgorithm(absl::string_view name);

}  // namespace mtls
