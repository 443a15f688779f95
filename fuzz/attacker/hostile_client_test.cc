// The attacking client against this backend's server, judged by the oracle: the honest client
// is accepted and its proof holds; every misbehaviour's proof breaks exactly the rule it is named
// after (so the oracle and the client agree on what each attack is), whatever the server did.
#include "hostile_client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "acceptance_oracle.h"
#include "driver/side_under_test.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls::attacker {
namespace {

struct Attack {
  TlsVersion version;
  Misbehaviour misbehaviour;
};

class HostileClientTest : public testing::TestWithParam<Attack> {};

TEST_P(HostileClientTest, OracleNamesTheBrokenRule) {
  const Attack attack = GetParam();
  fuzz::HandshakeOptions options;
  options.version = attack.version;
  Context* server = fuzz::CachedSideContext(Role::kServer, options);
  if (server == nullptr) GTEST_SKIP() << TlsVersionName(attack.version) << " unsupported";
  auto own = LoadLeafCredentials(fuzz::FuzzPkiDir(), "ecdsa-p256", Role::kClient, 1);
  auto foreign = LoadLeafCredentials(fuzz::FuzzPkiDir(), "ecdsa-p256", Role::kServer, 1);
  ASSERT_TRUE(own.ok() && foreign.ok());
  HostileClientConfig config;
  config.version = attack.version;
  config.misbehaviour = attack.misbehaviour;
  config.chain_der = own->chain_der;
  config.key_der = own->key_der;
  config.foreign_key_der = foreign->key_der;
  auto client = HostileClientContext::Create(std::move(config));
  ASSERT_TRUE(client.ok()) << client.status();

  const HandshakeOutcome outcome = RunInMemoryHandshake(**client, *server);
  if (ErrorClassOf(outcome.client.status) == ErrorClass::kUnsupported) {
    GTEST_SKIP() << outcome.client.status.message();
  }
  ASSERT_TRUE((*client)->evidence().has_value()) << outcome.Describe();
  std::string violated;
  const absl::Status verdict = oracle::CheckClientProof(
      *(*client)->evidence(), fuzz::FuzzTrustAnchors("ecdsa-p256"), fuzz::CheckTime(), &violated);
  if (attack.misbehaviour == Misbehaviour::kNone) {
    EXPECT_TRUE(verdict.ok()) << verdict;
    EXPECT_TRUE(outcome.server.completed() && outcome.server.peer_verified) << outcome.Describe();
  } else {
    EXPECT_TRUE(absl::IsFailedPrecondition(verdict)) << verdict;
    EXPECT_EQ(violated, MisbehaviourName(attack.misbehaviour)) << verdict;
  }
}

std::vector<Attack> AllAttacks() {
  std::vector<Attack> attacks;
  for (TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
    for (int i = 0; i < kMisbehaviourCount; ++i) {
      attacks.push_back({version, static_cast<Misbehaviour>(i)});
    }
  }
  return attacks;
}

std::string AttackName(const testing::TestParamInfo<Attack>& info) {
  std::string name = absl::StrCat(TlsVersionName(info.param.version), "_",
                                  MisbehaviourName(info.param.misbehaviour));
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Attacks, HostileClientTest, testing::ValuesIn(AllAttacks()), AttackName);

}  // namespace
}  // namespace mtls::attacker
