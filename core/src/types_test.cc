#include "mtls/types.h"

#include <gtest/gtest.h>

#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls {
namespace {

TEST(TypesTest, GroupsRoundTripThroughNamesAndCodePoints) {
  for (Group group :
       {Group::kX25519, Group::kP256, Group::kP384, Group::kX25519MlKem768, Group::kMlKem768}) {
    EXPECT_EQ(*ParseGroup(GroupName(group)), group);
    EXPECT_EQ(GroupFromCodePoint(GroupCodePoint(group)), group);
  }
  EXPECT_EQ(GroupCodePoint(Group::kX25519), 29);
  EXPECT_EQ(*ParseGroup("x25519"), Group::kX25519);
  EXPECT_EQ(GroupCodePoint(Group::kX25519MlKem768), 0x11ec);  // IANA, as OpenSSL 3.5 sends it
  EXPECT_TRUE(IsPostQuantum(Group::kMlKem768));
  EXPECT_FALSE(IsPostQuantum(Group::kX25519));
  EXPECT_FALSE(GroupFromCodePoint(0x6399).has_value());  // X25519Kyber768Draft00: not ML-KEM
}

TEST(TypesTest, UnknownNamesAreErrorsNamingTheInput) {
  auto group = ParseGroup("P-521x");
  ASSERT_FALSE(group.ok());
  EXPECT_NE(group.status().message().find("P-521x"), absl::string_view::npos);
  EXPECT_FALSE(ParseTlsVersion("1.1").ok());
  EXPECT_FALSE(ParseSignatureAlgorithm("dsa_sha1").ok());
}

TEST(TypesTest, SignatureAlgorithmsUseStandardNames) {
  EXPECT_EQ(SignatureAlgorithmName(sigalg::kEd25519), "ed25519");
  EXPECT_EQ(*ParseSignatureAlgorithm("ecdsa_secp256r1_sha256"), sigalg::kEcdsaSecp256r1Sha256);
  EXPECT_EQ(SignatureAlgorithmName(sigalg::kMlDsa65), "mldsa65");
  EXPECT_EQ(SignatureAlgorithmName(0x0906), "0x0906");
}

TEST(TypesTest, TlsVersionsParseInCommonSpellings) {
  EXPECT_EQ(*ParseTlsVersion("1.3"), TlsVersion::kTls13);
  EXPECT_EQ(*ParseTlsVersion("TLSv1.2"), TlsVersion::kTls12);
}

TEST(TypesTest, ProtocolsParseBackFromTheirNames) {
  for (Protocol protocol : {Protocol::kTls, Protocol::kDtls}) {
    EXPECT_EQ(*ParseProtocol(ProtocolName(protocol)), protocol);
  }
  EXPECT_EQ(*ParseProtocol("DTLS"), Protocol::kDtls);
  EXPECT_EQ(VersionName(Protocol::kDtls, TlsVersion::kTls12), "DTLSv1.2");
  EXPECT_EQ(VersionName(Protocol::kTls, TlsVersion::kTls13), "TLSv1.3");
  EXPECT_EQ(*ParseVersion(Protocol::kDtls, "1.3"), TlsVersion::kTls13);
  EXPECT_EQ(*ParseVersion(Protocol::kDtls, "DTLSv1.2"), TlsVersion::kTls12);
  EXPECT_NE(ParseVersion(Protocol::kDtls, "1.0").status().message().find("unknown DTLS version"),
            std::string::npos);
  EXPECT_FALSE(ParseProtocol("quic").ok());
}

TEST(TypesTest, CertificateCompressionsParseBackFromTheirNames) {
  for (CertificateCompression algorithm : kAllCertificateCompressions) {
    EXPECT_EQ(*ParseCertificateCompression(CertificateCompressionName(algorithm)), algorithm);
  }
  EXPECT_EQ(static_cast<int>(*ParseCertificateCompression("Brotli")), 2);  // RFC 8879 code point
  EXPECT_NE(ParseCertificateCompression("lzma").status().message().find("'lzma'"),
            std::string::npos);
}

TEST(PkiCatalogTest, Tls12OffersTheEcdsaCertificateCurveAfterTheKeyExchangeGroup) {
  EXPECT_EQ(GroupsFor(Group::kX25519, "ecdsa-p384", TlsVersion::kTls12),
            (std::vector<Group>{Group::kX25519, Group::kP384}));
  EXPECT_EQ(GroupsFor(Group::kP256, "ecdsa-p256", TlsVersion::kTls12),
            (std::vector<Group>{Group::kP256}));
  EXPECT_EQ(GroupsFor(Group::kX25519, "ecdsa-p256", TlsVersion::kTls13),
            (std::vector<Group>{Group::kX25519}));
  EXPECT_EQ(GroupsFor(Group::kX25519, "ed25519", TlsVersion::kTls12),
            (std::vector<Group>{Group::kX25519}));
}

TEST(StatusTest, ErrorClassTravelsWithTheStatus) {
  const absl::Status status =
      MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kExpired, "too old");
  EXPECT_EQ(ErrorClassOf(status), ErrorClass::kExpired);
  EXPECT_EQ(ErrorClassOf(absl::OkStatus()), ErrorClass::kNone);
  EXPECT_EQ(ErrorClassOf(absl::UnimplementedError("x")), ErrorClass::kUnsupported);
  EXPECT_EQ(ErrorClassOf(absl::AbortedError("x")), ErrorClass::kHandshakeFailure);
  EXPECT_EQ(ErrorClassName(ErrorClass::kChainTooLong), "chain_too_long");
}

}  // namespace
}  // namespace mtls
