#include "mtls/primitive_floor.h"

#include <gtest/gtest.h>

namespace mtls {
namespace {

TEST(PrimitiveFloorTest, FullMutualHandshakeSignsOnceAndVerifiesTheChainOnEachSide) {
  const HandshakeShape shape{.mutual = true, .chain_depth = 1, .version = TlsVersion::kTls13};
  for (Role side : {Role::kClient, Role::kServer}) {
    const OperationCounts counts = CountOperations(shape, side);
    EXPECT_EQ(counts.signs, 1);
    EXPECT_EQ(counts.verifies, 2);  // CertificateVerify + the leaf's signature by the root
    EXPECT_EQ(counts.key_exchanges, 1);
  }
}

TEST(PrimitiveFloorTest, DeeperChainsAddOneVerifyPerCa) {
  const HandshakeShape shape{.mutual = true, .chain_depth = 3, .version = TlsVersion::kTls12};
  EXPECT_EQ(CountOperations(shape, Role::kServer).verifies, 4);
}

TEST(PrimitiveFloorTest, ServerAuthBaselineLeavesTheServerNothingToVerify) {
  const HandshakeShape shape{.mutual = false, .chain_depth = 1, .version = TlsVersion::kTls13};
  EXPECT_EQ(CountOperations(shape, Role::kServer).verifies, 0);
  EXPECT_EQ(CountOperations(shape, Role::kServer).signs, 1);
  EXPECT_EQ(CountOperations(shape, Role::kClient).signs, 0);
  EXPECT_EQ(CountOperations(shape, Role::kClient).verifies, 2);
}

TEST(PrimitiveFloorTest, ResumptionKeepsOnlyTls13KeyExchange) {
  HandshakeShape shape{
      .mutual = true, .chain_depth = 2, .version = TlsVersion::kTls13, .resumed = true};
  OperationCounts counts = CountOperations(shape, Role::kClient);
  EXPECT_EQ(counts.signs + counts.verifies, 0);
  EXPECT_EQ(counts.key_exchanges, 1);
  shape.version = TlsVersion::kTls12;
  EXPECT_EQ(CountOperations(shape, Role::kServer).key_exchanges, 0);
}

TEST(PrimitiveFloorTest, FloorIsTheWeightedSum) {
  const PrimitiveCosts costs{.sign_us = 20, .verify_us = 60, .key_exchange_us = 35};
  EXPECT_DOUBLE_EQ(FloorMicros(costs, {1, 2, 1}), 20 + 120 + 35);
}

}  // namespace
}  // namespace mtls
