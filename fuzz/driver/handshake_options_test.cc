// The option byte: every value selects a valid case, encoding is the inverse of decoding, the
// committed seeds still decode to the options they were recorded with, and every scheme, group
// and credential kind of the catalog is reachable.
#include "handshake_options.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "mtls/pki_catalog.h"

#ifndef MTLS_CORPORA_DIR
#error "the build defines MTLS_CORPORA_DIR"
#endif

namespace mtls::fuzz {
namespace {

constexpr Group kAllGroups[] = {Group::kX25519,         Group::kP256,     Group::kP384,
                                Group::kX25519MlKem768, Group::kMlKem768, Group::kKyber768,
                                Group::kP384Kyber768};

TEST(HandshakeOptionsTest, EveryByteSelectsAValidCase) {
  for (int tag = 0; tag < 256; ++tag) {
    const HandshakeOptions options = DecodeOptions(static_cast<uint8_t>(tag));
    SCOPED_TRACE(absl::StrCat("byte ", tag, ": ", OptionsName(options)));
    EXPECT_TRUE(options.mutual);
    EXPECT_EQ(options.resumption, Resumption::kOff);
    if (IsPostQuantum(options.group)) {
      EXPECT_EQ(options.version, TlsVersion::kTls13);
    }
    switch (options.credentials) {
      case CredentialKind::kCertificates:
        EXPECT_TRUE(CheckPkiScheme(options.scheme).ok());
        EXPECT_GE(options.depth, 1);
        EXPECT_LE(options.depth, 3);
        if (IsPostQuantumScheme(options.scheme)) {
          EXPECT_EQ(options.version, TlsVersion::kTls13);
        }
        break;
      case CredentialKind::kExternalPsk:
        EXPECT_EQ(options.scheme,
                  options.psk_key_exchange == PskKeyExchange::kDhe ? "psk-dhe" : "psk");
        break;
      case CredentialKind::kRawPublicKeys:
        EXPECT_EQ(options.scheme, "rpk");
        break;
      case CredentialKind::kSrpPassword:
        EXPECT_EQ(options.scheme, "srp");
        EXPECT_EQ(options.version, TlsVersion::kTls12);
        break;
    }
  }
}

TEST(HandshakeOptionsTest, EncodingInvertsDecoding) {
  for (int tag = 0; tag < 256; ++tag) {
    const HandshakeOptions options = DecodeOptions(static_cast<uint8_t>(tag));
    const std::optional<uint8_t> encoded = EncodeOptions(options);
    ASSERT_TRUE(encoded.has_value()) << "byte " << tag;
    EXPECT_LE(*encoded, tag);
    EXPECT_TRUE(SameOptions(DecodeOptions(*encoded), options)) << "byte " << tag;
    EXPECT_EQ(EncodeOptions(DecodeOptions(*encoded)), encoded) << "byte " << tag;
  }
  HandshakeOptions resuming;
  resuming.resumption = Resumption::kTickets;
  EXPECT_FALSE(EncodeOptions(resuming).has_value());  // not selectable: no byte claims it
}

TEST(HandshakeOptionsTest, NamesAreUniqueAndEveryHonestEndpointLoads) {
  std::set<std::string> names;
  for (const HandshakeOptions& options : SelectableOptions()) {
    const std::string name = OptionsName(options);
    EXPECT_TRUE(names.insert(name).second) << "two option sets named " << name;
    for (Role role : {Role::kClient, Role::kServer}) {
      EXPECT_TRUE(HonestEndpoint(options, role).ok()) << name << " " << RoleName(role);
    }
  }
  EXPECT_EQ(names.size(), SelectableOptions().size());
}

TEST(HandshakeOptionsTest, EverySchemeGroupAndCredentialKindIsReachable) {
  std::set<std::string> schemes, psk_modes;
  std::set<Group> groups;
  std::set<TlsVersion> rpk_versions, srp_versions;
  std::set<std::string> datagram_options;
  for (const HandshakeOptions& options : SelectableOptions()) {
    groups.insert(options.group);
    if (options.protocol == Protocol::kDtls) {
      datagram_options.insert(OptionsName(options));
      continue;
    }
    switch (options.credentials) {
      case CredentialKind::kCertificates:
        schemes.insert(options.scheme);
        break;
      case CredentialKind::kExternalPsk:
        psk_modes.insert(
            std::string(PskKeyExchangeName(options.psk_key_exchange, options.version)));
        break;
      case CredentialKind::kRawPublicKeys:
        rpk_versions.insert(options.version);
        break;
      case CredentialKind::kSrpPassword:
        srp_versions.insert(options.version);
        break;
    }
  }
  for (const std::string& scheme : AllPkiSchemes()) EXPECT_TRUE(schemes.count(scheme)) << scheme;
  for (Group group : kAllGroups) EXPECT_TRUE(groups.count(group)) << GroupName(group);
  EXPECT_EQ(psk_modes, (std::set<std::string>{"psk_dhe_ke", "psk_ke", "ecdhe_psk", "psk"}));
  EXPECT_EQ(rpk_versions.size(), 2u);
  EXPECT_EQ(srp_versions, std::set<TlsVersion>{TlsVersion::kTls12});
  EXPECT_EQ(datagram_options,
            (std::set<std::string>{"DTLSv1.2-X25519-ecdsa-p256-d1", "DTLSv1.3-X25519-ecdsa-p256-d1",
                                   "DTLSv1.2-X25519-psk-dhe", "DTLSv1.3-X25519-psk-dhe",
                                   "DTLSv1.2-X25519-rpk", "DTLSv1.3-X25519-rpk"}));
}

TEST(HandshakeOptionsTest, SeedOptionsAreSelectable) {
  std::set<std::string> names;
  for (const HandshakeOptions& options : SeedOptions()) {
    EXPECT_TRUE(EncodeOptions(options).has_value()) << OptionsName(options);
    EXPECT_TRUE(names.insert(OptionsName(options)).second) << OptionsName(options);
  }
}

// The recorded seeds are named <build>-<OptionsName>: each must still decode to its name.
TEST(HandshakeOptionsTest, CommittedSeedsDecodeToTheirNames) {
  int checked = 0;
  for (const char* target : {"server_mtls", "client_mtls"}) {
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(MTLS_CORPORA_DIR) / target)) {
      const std::string file = entry.path().filename().string();
      if (!absl::StrContains(file, "-TLSv1.")) continue;  // inputs merged back by scripts/fuzz
      std::ifstream in(entry.path(), std::ios::binary);
      const int tag = in.get();
      ASSERT_NE(tag, EOF) << file;
      const std::string name = OptionsName(DecodeOptions(static_cast<uint8_t>(tag)));
      EXPECT_TRUE(absl::EndsWith(file, absl::StrCat("-", name))) << file << " decodes to " << name;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace mtls::fuzz
