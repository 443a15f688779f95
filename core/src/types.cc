#include "mtls/types.h"

#include <array>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mtls {
namespace {

struct GroupEntry {
  Group group;
  absl::string_view name;
  uint16_t code_point;
};
constexpr std::array<GroupEntry, 7> kGroups = {{
    {Group::kX25519, "X25519", 29},
    {Group::kP256, "P-256", 23},
    {Group::kP384, "P-384", 24},
    {Group::kX25519MlKem768, "X25519MLKEM768", 0x11ec},
    {Group::kMlKem768, "MLKEM768", 0x0201},
    {Group::kKyber768, "Kyber768", 0x023c},
    {Group::kP384Kyber768, "P384Kyber768", 0x2f3c},
}};

struct SigalgEntry {
  uint16_t code_point;
  absl::string_view name;
};
constexpr std::array<SigalgEntry, 11> kSigalgs = {{
    {sigalg::kRsaPkcs1Sha256, "rsa_pkcs1_sha256"},
    {sigalg::kRsaPkcs1Sha384, "rsa_pkcs1_sha384"},
    {sigalg::kEcdsaSecp256r1Sha256, "ecdsa_secp256r1_sha256"},
    {sigalg::kEcdsaSecp384r1Sha384, "ecdsa_secp384r1_sha384"},
    {sigalg::kRsaPssRsaeSha256, "rsa_pss_rsae_sha256"},
    {sigalg::kRsaPssRsaeSha384, "rsa_pss_rsae_sha384"},
    {sigalg::kEd25519, "ed25519"},
    {sigalg::kMlDsa44, "mldsa44"},
    {sigalg::kMlDsa65, "mldsa65"},
    {sigalg::kDilithium2, "dilithium2"},
    {sigalg::kDilithium3, "dilithium3"},
}};

}  // namespace

absl::string_view RoleName(Role role) { return role == Role::kClient ? "client" : "server"; }

absl::string_view TlsVersionName(TlsVersion version) {
  return version == TlsVersion::kTls12 ? "TLSv1.2" : "TLSv1.3";
}

absl::string_view ProtocolName(Protocol protocol) {
  return protocol == Protocol::kTls ? "tls" : "dtls";
}

absl::string_view VersionName(Protocol protocol, TlsVersion version) {
  if (protocol == Protocol::kTls) return TlsVersionName(version);
  return version == TlsVersion::kTls12 ? "DTLSv1.2" : "DTLSv1.3";
}

absl::string_view ResumptionName(Resumption resumption) {
  switch (resumption) {
    case Resumption::kOff:
      return "off";
    case Resumption::kTickets:
      return "tickets";
    case Resumption::kSessionIds:
      return "session-ids";
  }
  return "?";
}

absl::string_view PskKeyExchangeName(PskKeyExchange mode, TlsVersion version) {
  const bool dhe = mode == PskKeyExchange::kDhe;
  if (version == TlsVersion::kTls13) return dhe ? "psk_dhe_ke" : "psk_ke";
  return dhe ? "ecdhe_psk" : "psk";
}

bool IsPostQuantum(Group group) {
  return group == Group::kX25519MlKem768 || group == Group::kMlKem768 ||
         group == Group::kKyber768 || group == Group::kP384Kyber768;
}

absl::string_view GroupName(Group group) {
  for (const auto& entry : kGroups) {
    if (entry.group == group) return entry.name;
  }
  return "?";
}

uint16_t GroupCodePoint(Group group) {
  for (const auto& entry : kGroups) {
    if (entry.group == group) return entry.code_point;
  }
  return 0;
}

std::optional<Group> GroupFromCodePoint(uint16_t code_point) {
  for (const auto& entry : kGroups) {
    if (entry.code_point == code_point) return entry.group;
  }
  return std::nullopt;
}

absl::StatusOr<TlsVersion> ParseTlsVersion(absl::string_view name) {
  if (name == "1.2" || name == "TLSv1.2" || name == "tls1.2") return TlsVersion::kTls12;
  if (name == "1.3" || name == "TLSv1.3" || name == "tls1.3") return TlsVersion::kTls13;
  return absl::InvalidArgumentError(
      absl::StrFormat("unknown TLS version '%s' (expected 1.2 or 1.3)", name));
}

absl::StatusOr<Protocol> ParseProtocol(absl::string_view name) {
  if (absl::EqualsIgnoreCase(name, "tls")) return Protocol::kTls;
  if (absl::EqualsIgnoreCase(name, "dtls")) return Protocol::kDtls;
  return absl::InvalidArgumentError(
      absl::StrFormat("unknown protocol '%s' (expected tls or dtls)", name));
}

absl::string_view CertificateCompressionName(CertificateCompression algorithm) {
  switch (algorithm) {
    case CertificateCompression::kZlib:
      return "zlib";
    case CertificateCompression::kBrotli:
      return "brotli";
    case CertificateCompression::kZstd:
      return "zstd";
  }
  return "?";
}

absl::StatusOr<CertificateCompression> ParseCertificateCompression(absl::string_view name) {
  for (CertificateCompression algorithm : kAllCertificateCompressions) {
    if (absl::EqualsIgnoreCase(name, CertificateCompressionName(algorithm))) return algorithm;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "unknown certificate compression '%s' (expected zlib, brotli or zstd)", name));
}

absl::StatusOr<TlsVersion> ParseVersion(Protocol protocol, absl::string_view name) {
  if (protocol == Protocol::kTls) return ParseTlsVersion(name);
  for (TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
    const absl::string_view full = VersionName(protocol, version);
    if (name == full || name == full.substr(full.size() - 3)) return version;
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("unknown DTLS version '%s' (expected 1.2 or 1.3)", name));
}

absl::StatusOr<Group> ParseGroup(absl::string_view name) {
  for (const auto& entry : kGroups) {
    if (absl::EqualsIgnoreCase(entry.name, name)) return entry.group;
  }
  std::string known;
  for (const auto& entry : kGroups) absl::StrAppend(&known, known.empty() ? "" : ", ", entry.name);
  return absl::InvalidArgumentError(
      absl::StrFormat("unknown group '%s' (expected one of %s)", name, known));
}

std::string SignatureAlgorithmName(uint16_t code_point) {
  for (const auto& entry : kSigalgs) {
    if (entry.code_point == code_point) return std::string(entry.name);
  }
  return absl::StrFormat("0x%04x", code_point);
}

absl::StatusOr<uint16_t> ParseSignatureAlgorithm(absl::string_view name) {
  for (const auto& entry : kSigalgs) {
    if (absl::EqualsIgnoreCase(entry.name, name)) return entry.code_point;
  }
  return absl::InvalidArgumentError(absl::StrFormat("unknown signature algorithm '%s'", name));
}

}  // namespace mtls
