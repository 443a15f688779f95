// The backend's public-key primitives, which the benchmarks time to compute the floor.
#include "mtls/primitives.h"

#include <gtest/gtest.h>

#include "mtls/backend.h"
#include "mtls/pki_catalog.h"

namespace mtls {
namespace {

class PrimitivesTest : public testing::Test {
 protected:
  void SetUp() override {
    if (absl::Status supported = RequireCapability("primitives"); !supported.ok()) {
      GTEST_SKIP() << supported.message();
    }
  }
};

TEST_F(PrimitivesTest, SignAndVerifyWorkForEveryScheme) {
  for (const std::string& scheme : AllPkiSchemes()) {
    if (!RequireCapability("scheme:" + scheme).ok()) continue;  // e.g. no Ed25519 in Mbed TLS
    auto credentials = LoadLeafCredentials(DefaultPkiDir(), scheme, Role::kClient, 1);
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    auto operation = MakeSignatureOperation(*credentials);
    ASSERT_TRUE(operation.ok()) << scheme << ": " << operation.status();
    EXPECT_TRUE((*operation)->Sign().ok()) << scheme;
    EXPECT_TRUE((*operation)->Verify().ok()) << scheme;
  }
}

TEST_F(PrimitivesTest, AKeyThatIsNotTheCertificatesFailsVerification) {
  Credentials mismatched = *LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", Role::kClient, 1);
  mismatched.key_der =
      LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", Role::kServer, 1)->key_der;
  EXPECT_FALSE(MakeSignatureOperation(mismatched).ok());
}

TEST_F(PrimitivesTest, KeyExchangeWorksForEveryGroup) {
  for (Group group : {Group::kX25519, Group::kP256, Group::kP384}) {
    auto operation = MakeKeyExchangeOperation(group);
    ASSERT_TRUE(operation.ok()) << GroupName(group) << ": " << operation.status();
    EXPECT_TRUE((*operation)->GenerateAndDerive().ok());
  }
}

}  // namespace
}  // namespace mtls
