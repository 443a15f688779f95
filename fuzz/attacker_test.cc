// The attacking client against this backend's server, and the attacking server (TLS 1.3)
// against its client, judged by the oracle: the honest attacker is accepted and its proof holds;
// every misbehaviour's proof breaks exactly the rule it is named after (so the oracle and the
// attacker agree on what each attack is), whatever the backend did with it.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "attacker/hostile_client.h"
#include "attacker/hostile_server.h"
#include "driver/side_under_test.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"
#include "oracle/acceptance_oracle.h"

namespace mtls::attacker {
namespace {

struct Attack {
  Role attacker;
  TlsVersion version;
  Misbehaviour misbehaviour;
};

class AttackerTest : public testing::TestWithParam<Attack> {};

TEST_P(AttackerTest, OracleNamesTheBrokenRule) {
  const Attack attack = GetParam();
  const Role victim = attack.attacker == Role::kClient ? Role::kServer : Role::kClient;
  fuzz::HandshakeOptions options;
  options.version = attack.version;
  Context* backend = fuzz::CachedSideContext(victim, options);
  if (backend == nullptr) {
    // Only the library's lack of the version excuses it; a failed set-up is a failure.
    const absl::Status version =
        RequireCapability(attack.version == TlsVersion::kTls12 ? "tls1.2" : "tls1.3");
    if (!version.ok()) GTEST_SKIP() << version.message();
    FAIL() << "the " << RoleName(victim) << " context could not be set up";
  }
  auto own = LoadLeafCredentials(ShippedPkiDir(), "ecdsa-p256", attack.attacker, 1);
  auto foreign = LoadLeafCredentials(ShippedPkiDir(), "ecdsa-p256", victim, 1);
  ASSERT_TRUE(own.ok() && foreign.ok());
  AttackerConfig config;
  config.version = attack.version;
  config.misbehaviour = attack.misbehaviour;
  config.chain_der = own->chain_der;
  config.key_der = own->key_der;
  config.foreign_key_der = foreign->key_der;

  std::unique_ptr<Context> attacker;
  const std::optional<oracle::PeerProof>* evidence = nullptr;
  HandshakeOutcome outcome;
  if (attack.attacker == Role::kClient) {
    auto client = HostileClientContext::Create(std::move(config));
    ASSERT_TRUE(client.ok()) << client.status();
    evidence = &(*client)->evidence();
    outcome = RunInMemoryHandshake(**client, *backend);
    attacker = *std::move(client);
  } else {
    auto server = HostileServerContext::Create(std::move(config));
    ASSERT_TRUE(server.ok()) << server.status();
    evidence = &(*server)->evidence();
    outcome = RunInMemoryHandshake(*backend, **server);
    attacker = *std::move(server);
  }
  const HandshakeResult& own_side =
      attack.attacker == Role::kClient ? outcome.client : outcome.server;
  const HandshakeResult& judge = attack.attacker == Role::kClient ? outcome.server : outcome.client;
  ASSERT_NE(ErrorClassOf(own_side.status), ErrorClass::kUnsupported)
      << "the attacking peer cannot run this attack: " << own_side.status.message();
  ASSERT_TRUE(evidence->has_value()) << outcome.Describe();
  std::string violated;
  const absl::Status verdict =
      oracle::CheckPeerProof(**evidence, ShippedRoot("ecdsa-p256"), fuzz::CheckTime(), &violated);
  if (attack.misbehaviour == Misbehaviour::kNone) {
    EXPECT_TRUE(verdict.ok()) << verdict;
    EXPECT_TRUE(judge.completed() && judge.peer_verified) << outcome.Describe();
  } else {
    EXPECT_TRUE(absl::IsFailedPrecondition(verdict)) << verdict;
    EXPECT_EQ(violated, MisbehaviourName(attack.misbehaviour)) << verdict;
  }
}

std::vector<Attack> AllAttacks() {
  std::vector<Attack> attacks;
  for (Role attacker : {Role::kClient, Role::kServer}) {
    for (TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
      if (attacker == Role::kServer && version == TlsVersion::kTls12) continue;  // 1.3 only
      for (int i = 0; i < kMisbehaviourCount; ++i) {
        attacks.push_back({attacker, version, static_cast<Misbehaviour>(i)});
      }
    }
  }
  return attacks;
}

std::string AttackName(const testing::TestParamInfo<Attack>& info) {
  std::string name =
      absl::StrCat(RoleName(info.param.attacker), "_", TlsVersionName(info.param.version), "_",
                   MisbehaviourName(info.param.misbehaviour));
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Attacks, AttackerTest, testing::ValuesIn(AllAttacks()), AttackName);

}  // namespace
}  // namespace mtls::attacker
