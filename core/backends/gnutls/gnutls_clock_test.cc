// The GnuTLS certificate-validity clock is per thread: threads that verify at different fixed
// times get each their own verdict, however their verifications interleave.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "mtls/backend.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"
#include "mtls/x509_check.h"

namespace mtls {
namespace {

constexpr int kRounds = 300;
constexpr int64_t kBeforeLeaf = 946684800 + 86400;  // 2000-01-02: the CAs valid, the leaf not yet
constexpr int64_t kInside = 1764000000;             // 2025-11-24: all of the chain valid

ChainCheck ClientChainAt(int64_t unix_time) {
  ChainCheck check;
  check.chain_der = LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", Role::kClient, 2)->chain_der;
  check.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  check.unix_time = unix_time;
  return check;
}

// Runs each check kRounds times, the two on two threads at once; counts the wrong verdicts.
int WrongVerdicts(const std::function<bool()>& first, const std::function<bool()>& second) {
  std::atomic<int> wrong{0};
  auto repeat = [&wrong](const std::function<bool()>& right) {
    for (int round = 0; round < kRounds; ++round) {
      if (!right()) ++wrong;
    }
  };
  std::thread other(repeat, std::cref(second));
  repeat(first);
  other.join();
  return wrong.load();
}

TEST(GnutlsClockTest, ThreadsVerifyingAtDifferentTimesEachGetTheirOwnVerdict) {
  const ChainCheck too_early = ClientChainAt(kBeforeLeaf);
  const ChainCheck inside = ClientChainAt(kInside);
  ASSERT_EQ(ErrorClassOf(VerifyPeerChain(too_early)), ErrorClass::kNotYetValid);
  ASSERT_TRUE(VerifyPeerChain(inside).ok());
  EXPECT_EQ(
      WrongVerdicts(
          [&] { return ErrorClassOf(VerifyPeerChain(too_early)) == ErrorClass::kNotYetValid; },
          [&] { return VerifyPeerChain(inside).ok(); }),
      0);
}

}  // namespace
}  // namespace mtls
