#include "handshake_options.h"

#include <array>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "mtls/pki_catalog.h"

namespace mtls::fuzz {
namespace {

// The fourth value of the certificate layout's group bits escapes to DecodeOtherScheme.
constexpr uint8_t kEscapeGroupBits = 3;
constexpr std::array<Group, 3> kCertificateGroups = {Group::kX25519, Group::kP256, Group::kP384};
// G[v] and PQ[v] of the header.
constexpr std::array<Group, 4> kVariantGroups = {Group::kX25519, Group::kP256, Group::kP384,
                                                 Group::kX25519MlKem768};
constexpr std::array<Group, 4> kPostQuantumGroups = {Group::kX25519MlKem768, Group::kMlKem768,
                                                     Group::kKyber768, Group::kP384Kyber768};

// The DTLS entries' credentials (variants 1-3 of the SRP entry); group X25519, depth 1.
constexpr std::array<CredentialKind, 3> kDatagramCredentials = {
    CredentialKind::kCertificates, CredentialKind::kExternalPsk, CredentialKind::kRawPublicKeys};
constexpr std::array<const char*, 3> kDatagramSchemes = {"ecdsa-p256", "psk-dhe", "rpk"};

HandshakeOptions DecodeOtherScheme(uint8_t tag) {
  HandshakeOptions options;
  const int variant = tag >> 6;
  const int depth = (tag & 1) + 1;  // for the TLS 1.3-only certificate entries
  options.version = (tag & 1) ? TlsVersion::kTls12 : TlsVersion::kTls13;
  switch ((tag >> 3) & 7) {
    case 0:
      options.credentials = CredentialKind::kExternalPsk;
      options.psk_key_exchange = PskKeyExchange::kPskOnly;
      options.scheme = "psk";
      break;
    case 1:
      options.credentials = CredentialKind::kExternalPsk;
      options.scheme = "psk-dhe";
      options.group = kVariantGroups[variant];
      break;
    case 2:
      options.credentials = CredentialKind::kRawPublicKeys;
      options.scheme = "rpk";
      options.group = kVariantGroups[variant];
      break;
    case 3:
      if (variant == 0) {
        options.credentials = CredentialKind::kSrpPassword;
        options.scheme = "srp";
        options.version = TlsVersion::kTls12;
        break;
      }
      options.protocol = Protocol::kDtls;
      options.credentials = kDatagramCredentials[variant - 1];
      options.scheme = kDatagramSchemes[variant - 1];
      break;
    case 4:
      options.group = kPostQuantumGroups[variant];
      options.depth = depth;
      break;
    case 5:
    case 6:
      options.scheme = ((tag >> 3) & 7) == 5 ? "mldsa44" : "mldsa65";
      options.group = kVariantGroups[variant];
      options.depth = depth;
      options.version = TlsVersion::kTls13;
      break;
    default:
      options.scheme = (variant & 1) ? "dilithium3" : "dilithium2";
      options.group = (variant & 2) ? Group::kP384Kyber768 : Group::kX25519;
      options.depth = depth;
      options.version = TlsVersion::kTls13;
      break;
  }
  // No specification puts the post-quantum groups into TLS 1.2.
  if (IsPostQuantum(options.group)) options.version = TlsVersion::kTls13;
  return options;
}

// DecodeOptions of every byte, made once.
const std::array<HandshakeOptions, 256>& AllDecoded() {
  static const auto* const decoded = [] {
    auto* all = new std::array<HandshakeOptions, 256>;
    for (int tag = 0; tag < 256; ++tag) (*all)[tag] = DecodeOptions(static_cast<uint8_t>(tag));
    return all;
  }();
  return *decoded;
}

}  // namespace

bool SameOptions(const HandshakeOptions& a, const HandshakeOptions& b) {
  return a.protocol == b.protocol && a.credentials == b.credentials && a.scheme == b.scheme &&
         a.depth == b.depth && a.version == b.version && a.group == b.group &&
         a.mutual == b.mutual && a.resumption == b.resumption &&
         a.psk_key_exchange == b.psk_key_exchange;
}

HandshakeOptions DecodeOptions(uint8_t tag) {
  if (((tag >> 1) & 3) == kEscapeGroupBits) return DecodeOtherScheme(tag);
  HandshakeOptions options;
  options.version = (tag & 1) ? TlsVersion::kTls12 : TlsVersion::kTls13;
  options.group = kCertificateGroups[(tag >> 1) & 3];
  const auto& schemes = PkiSchemes();
  options.scheme = schemes[((tag >> 3) & 7) % schemes.size()];
  options.depth = (tag >> 6) == 3 ? 1 : (tag >> 6) + 1;
  return options;
}

// A search over the 256 decodings rather than an inverse formula: the two cannot disagree.
std::optional<uint8_t> EncodeOptions(const HandshakeOptions& options) {
  const auto& decoded = AllDecoded();
  for (int tag = 0; tag < 256; ++tag) {
    if (SameOptions(decoded[tag], options)) return static_cast<uint8_t>(tag);
  }
  return std::nullopt;
}

std::vector<HandshakeOptions> SelectableOptions() {
  std::vector<HandshakeOptions> selectable;
  const auto& decoded = AllDecoded();
  for (int tag = 0; tag < 256; ++tag) {
    if (EncodeOptions(decoded[tag]) == tag) selectable.push_back(decoded[tag]);
  }
  return selectable;
}

std::vector<HandshakeOptions> SeedOptions() {
  std::vector<HandshakeOptions> seeds;
  for (const std::string& scheme : AllPkiSchemes()) {
    for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
      if (version == TlsVersion::kTls12 && IsPostQuantumScheme(scheme)) continue;
      seeds.push_back({.scheme = scheme, .depth = 2, .version = version});
    }
  }
  for (Group group : {Group::kP256, Group::kP384}) seeds.push_back({.group = group});
  seeds.push_back({.depth = 3, .version = TlsVersion::kTls12});
  for (Group group : kPostQuantumGroups) seeds.push_back({.group = group});
  // Fully post-quantum: ML-DSA with the standard hybrid, wolfSSL's Dilithium with its own.
  for (const std::string& scheme : PostQuantumPkiSchemes()) {
    const bool draft = absl::StartsWith(scheme, "dilithium");
    seeds.push_back(
        {.scheme = scheme, .group = draft ? Group::kP384Kyber768 : Group::kX25519MlKem768});
  }
  for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
    for (PskKeyExchange key_exchange : {PskKeyExchange::kPskOnly, PskKeyExchange::kDhe}) {
      seeds.push_back({.credentials = CredentialKind::kExternalPsk,
                       .scheme = key_exchange == PskKeyExchange::kDhe ? "psk-dhe" : "psk",
                       .version = version,
                       .psk_key_exchange = key_exchange});
    }
    seeds.push_back(
        {.credentials = CredentialKind::kRawPublicKeys, .scheme = "rpk", .version = version});
  }
  seeds.push_back({.credentials = CredentialKind::kSrpPassword,
                   .scheme = "srp",
                   .version = TlsVersion::kTls12});
  for (size_t entry = 0; entry < kDatagramCredentials.size(); ++entry) {
    for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
      seeds.push_back({.credentials = kDatagramCredentials[entry],
                       .scheme = kDatagramSchemes[entry],
                       .protocol = Protocol::kDtls,
                       .version = version});
    }
  }
  return seeds;
}

std::string OptionsName(const HandshakeOptions& options) {
  const std::string version(VersionName(options.protocol, options.version));
  switch (options.credentials) {
    case CredentialKind::kCertificates:
      return absl::StrCat(version, "-", GroupName(options.group), "-", options.scheme, "-d",
                          options.depth);
    case CredentialKind::kExternalPsk:
      if (options.psk_key_exchange == PskKeyExchange::kPskOnly) {
        return absl::StrCat(version, "-", options.scheme);
      }
      break;
    case CredentialKind::kRawPublicKeys:
      break;
    case CredentialKind::kSrpPassword:
      return absl::StrCat(version, "-", options.scheme);
  }
  return absl::StrCat(version, "-", GroupName(options.group), "-", options.scheme);
}

}  // namespace mtls::fuzz
