// The conformance matrix as GoogleTest cases (CTest label `conformance`), one per matrix row.
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cases.h"
#include "datagram_case.h"
#include "mtls/backend.h"
#include "mtls/pki_catalog.h"
#include "mtls/x509_identity.h"

namespace mtls::conformance {
namespace {

class ConformanceTest : public testing::TestWithParam<Case> {};

TEST_P(ConformanceTest, BehavesAsSpecified) {
  const Case& c = GetParam();
  const CaseResult result = RunCase(c, DefaultPkiDir());
  if (result.verdict == Verdict::kUnsupported) GTEST_SKIP() << result.detail;
  if (c.expected_error) {
    EXPECT_TRUE(result.verdict == Verdict::kRejectedAsExpected ||
                result.verdict == Verdict::kDeviation || result.verdict == Verdict::kFinding)
        << result.detail;
  } else {
    // kFinding: the manifest documents what the library does instead (e.g. forgets the client
    // after a resumption); the judge fails the case once that no longer holds.
    EXPECT_TRUE(result.verdict == Verdict::kPass || result.verdict == Verdict::kFinding)
        << result.detail;
  }
  RecordProperty("detail", result.detail);
  std::cout << "  [" << CurrentBackend().id << "] " << c.name << ": " << VerdictName(result.verdict)
            << " (" << result.detail << ")\n";
}

std::string TestName(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.name;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

// Scripts select cases by their kind and features, never by name; the names must still say the
// kind the fields give, so the two cannot drift apart.
TEST(CaseKind, EveryCaseNameStartsWithItsKind) {
  for (const Case& c : AllCases()) {
    EXPECT_TRUE(absl::StartsWith(c.name, absl::StrCat(KindOf(c), "/")))
        << c.name << " is a " << KindOf(c) << " case";
  }
}

PeerIdentity IdentityOf(const CredentialFiles& files) {
  auto credentials = LoadCredentialFiles(DefaultPkiDir(), files);
  EXPECT_TRUE(credentials.ok()) << credentials.status();
  if (!credentials.ok()) return {};
  auto identity = IdentityFromCertificate(credentials->chain_der.front());
  EXPECT_TRUE(identity.ok()) << identity.status();
  return identity.value_or(PeerIdentity{});
}

// A server that resumed one of the other clients' sessions (or any session but the first
// client's) fails the case, whatever its manifest documents.
TEST(ResumedIdentity, OnlyTheFirstClientsIdentityPasses) {
  const auto& cases = AllCases();
  const auto resumption = std::find_if(cases.begin(), cases.end(), [](const Case& each) {
    return each.other_clients_before_resuming > 0;
  });
  ASSERT_NE(resumption, cases.end());
  const PeerIdentity first =
      IdentityOf(LeafFiles(resumption->spec.scheme, Role::kClient, resumption->spec.depth));
  const PeerIdentity other = IdentityOf(resumption->other_client);
  ASSERT_NE(first.subject, other.subject) << "the other clients need an identity of their own";

  HandshakeResult resumed;
  resumed.peer = first;
  EXPECT_EQ(ResumedIdentityMismatch(first, other, resumed), std::nullopt);
  resumed.peer = other;
  const std::optional<std::string> swapped = ResumedIdentityMismatch(first, other, resumed);
  ASSERT_TRUE(swapped.has_value());
  EXPECT_TRUE(absl::StrContains(*swapped, "(the other clients' identity)")) << *swapped;
  resumed.peer->subject = "CN=somebody else";
  const std::optional<std::string> stranger = ResumedIdentityMismatch(first, std::nullopt, resumed);
  ASSERT_TRUE(stranger.has_value());
  EXPECT_TRUE(absl::StrContains(*stranger, "not as the first client")) << *stranger;
  // No identity at all: the judge fails it unless a finding documents exactly that.
  resumed.peer.reset();
  EXPECT_EQ(ResumedIdentityMismatch(first, other, resumed), std::nullopt);
}

// A loss case passes only when the lost flight's sender lost a datagram and sent more than over
// the lossless link, whatever made it resend (its timer, or its peer's repeat or gap).
TEST(DatagramLoss, TheLostFlightsSenderMustSendAgain) {
  Case c;
  DatagramPlan plan;
  plan.link.loss.drop_flight_start = {4};
  plan.lossless_flights = {
      {Role::kClient, 200}, {Role::kServer, 1300}, {Role::kClient, 1200}, {Role::kServer, 75}};
  plan.lossless_datagrams[0] = 3;
  plan.lossless_datagrams[1] = 3;
  HandshakeOutcome outcome;
  outcome.metrics.datagram.emplace();
  DatagramCounters& server = outcome.metrics.datagram->server;
  server = {.datagrams = 4, .lost = 1};
  EXPECT_EQ(DatagramExpectationMissed(c, plan, outcome), std::nullopt);
  server = {.datagrams = 3, .lost = 1};  // lost, never resent
  EXPECT_NE(DatagramExpectationMissed(c, plan, outcome), std::nullopt);
  server = {.datagrams = 4, .lost = 0};  // nothing lost
  EXPECT_NE(DatagramExpectationMissed(c, plan, outcome), std::nullopt);
  outcome.metrics.datagram->client = {.datagrams = 5, .lost = 1};  // the wrong side's loss
  EXPECT_NE(DatagramExpectationMissed(c, plan, outcome), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Matrix, ConformanceTest, testing::ValuesIn(AllCases()), TestName);

}  // namespace
}  // namespace mtls::conformance
