// The RFC 8879 codecs: a certificate survives each round trip, and a stream that decompresses to
// garbage, to more or to fewer bytes than announced is an error that says so.
#include "mtls/certificate_codec.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mtls {
namespace {

class CertificateCodecTest : public testing::TestWithParam<CertificateCompression> {
 protected:
  void SetUp() override {
    // Only a cross build may lack one: core/CMakeLists.txt requires all three on the host.
    if (!CertificateCodecAvailable(GetParam())) {
      GTEST_SKIP() << "this cross sysroot has no " << CertificateCompressionName(GetParam())
                   << " library";
    }
  }
};

// Stands for a Certificate message: repetitive like one (names, OIDs) but not constant.
std::string SampleMessage() {
  std::string message;
  for (int i = 0; i < 40; ++i) absl::StrAppend(&message, "CN=client", i % 7, ".mtls.test,O=mtls;");
  return message;
}

TEST_P(CertificateCodecTest, RoundTripsAndShrinks) {
  const std::string message = SampleMessage();
  auto compressed = CompressCertificate(GetParam(), message);
  ASSERT_TRUE(compressed.ok()) << compressed.status();
  EXPECT_LT(compressed->size(), message.size() / 2);
  auto restored = DecompressCertificate(GetParam(), *compressed, message.size());
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(*restored, message);
}

TEST_P(CertificateCodecTest, LengthOtherThanAnnouncedIsAnError) {
  const std::string message = SampleMessage();
  auto compressed = CompressCertificate(GetParam(), message);
  ASSERT_TRUE(compressed.ok()) << compressed.status();
  auto longer = DecompressCertificate(GetParam(), *compressed, message.size() - 1);
  EXPECT_TRUE(absl::StrContains(longer.status().message(), "longer than the announced length"))
      << longer.status();
  auto shorter = DecompressCertificate(GetParam(), *compressed, message.size() + 1);
  EXPECT_FALSE(shorter.ok());
}

TEST_P(CertificateCodecTest, ExpansionStopsAtTheAnnouncedLength) {
  // A megabyte of zeros compresses to a few hundred bytes: announced as 1000, it is cut off.
  auto bomb = CompressCertificate(GetParam(), std::string(1 << 20, '\0'));
  ASSERT_TRUE(bomb.ok()) << bomb.status();
  auto out = DecompressCertificate(GetParam(), *bomb, 1000);
  EXPECT_TRUE(absl::StrContains(out.status().message(), "longer than the announced length"))
      << out.status();
}

TEST_P(CertificateCodecTest, GarbageIsAnErrorNamingTheAlgorithm) {
  auto out = DecompressCertificate(GetParam(), "\xff\xfe not compressed at all", 100);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(absl::StartsWith(out.status().message(), CertificateCompressionName(GetParam())))
      << out.status();
}

std::string AlgorithmName(const testing::TestParamInfo<CertificateCompression>& param) {
  return std::string(CertificateCompressionName(param.param));
}

INSTANTIATE_TEST_SUITE_P(Rfc8879, CertificateCodecTest,
                         testing::ValuesIn(kAllCertificateCompressions), AlgorithmName);

}  // namespace
}  // namespace mtls
