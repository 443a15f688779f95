// The GnuTLS certificate-validity clock is per thread: threads that verify at different fixed
// times get each their own verdict, however their verifications interleave.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "mtls/backend.h"
#include "mtls/handshake.h"
#include "mtls/pki.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"
#include "mtls/x509_check.h"

namespace mtls {
namespace {

constexpr int kRounds = 300;
constexpr int64_t kBeforeLeaf = 946684800 + 86400;  // 2000-01-02: the CAs valid, the leaf not yet
constexpr int64_t kInside = 1764000000;             // 2025-11-24: all of the chain valid
constexpr int64_t kExpiredCertValid = 1593561600;   // 2020-07-01: client-expired.crt still valid

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

EndpointConfig Endpoint(Role role) {
  EndpointConfig config;
  config.role = role;
  config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  config.credentials = *LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", role, 2);
  if (role == Role::kClient) config.expected_peer_name = "server.mtls.test";
  return config;
}

TEST(GnutlsClockTest, AServersFixedClockIsItsHandshakesAlone) {
  EndpointConfig client = Endpoint(Role::kClient);
  client.credentials = *LoadCredentials(DefaultPkiDir() + "/invalid/client-expired.crt",
                                        DefaultPkiDir() + "/invalid/client-expired.key");
  EndpointConfig server = Endpoint(Role::kServer);
  server.seams.fixed_unix_time = kExpiredCertValid;
  auto client_context = CreateContext(client);
  auto server_context = CreateContext(server);
  ASSERT_TRUE(client_context.ok()) << client_context.status();
  ASSERT_TRUE(server_context.ok()) << server_context.status();
  ChainCheck expired;  // on the system clock
  expired.chain_der = client.credentials->chain_der;
  expired.trust_anchors_der = client.trust_anchors_der;
  ASSERT_EQ(ErrorClassOf(VerifyPeerChain(expired)), ErrorClass::kExpired);
  EXPECT_EQ(
      WrongVerdicts(
          [&] {
            return RunInMemoryHandshake(**client_context, **server_context).MutuallyAuthenticated();
          },
          [&] { return ErrorClassOf(VerifyPeerChain(expired)) == ErrorClass::kExpired; }),
      0);
}

}  // namespace
}  // namespace mtls
