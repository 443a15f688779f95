// DTLS 1.2 on GnuTLS over the core's datagram link: every single lost datagram recovered by the
// library's own retransmissions (its last flights included, which it resends only when the peer
// repeats its own), the stateless cookie exchange under loss, the other authentication schemes
// and resumption, and what GnuTLS refuses.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "context_pair.h"
#include "gnutls_dtls.h"
#include "mtls/backend.h"
#include "mtls/case_spec.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"
#include "mtls/transport.h"

namespace mtls {
namespace {

CaseSpec Dtls(CredentialKind credentials = CredentialKind::kCertificates) {
  CaseSpec spec;
  spec.credentials = credentials;
  spec.protocol = Protocol::kDtls;
  spec.version = TlsVersion::kTls12;
  spec.group = Group::kP256;
  return spec;
}

using testing::ContextPair;

// The honest endpoints of `spec`, the server asking for a cookie when told.
absl::StatusOr<ContextPair> Make(CaseSpec spec, bool cookie_exchange = false) {
  spec.cookie_exchange = cookie_exchange;
  return testing::MakeHonestPair(spec);
}

HandshakeOutcome Handshake(ContextPair& endpoints, const DatagramLinkOptions& link = {}) {
  return RunDatagramHandshake(*endpoints.client, *endpoints.server, link);
}

// Each datagram of a handshake lost on its own, in either direction, at `mtu`.
void ExpectEveryLossRecovered(ContextPair& endpoints, size_t mtu) {
  DatagramLinkOptions lossless;
  lossless.mtu = mtu;
  const HandshakeOutcome reference = Handshake(endpoints, lossless);
  ASSERT_TRUE(reference.MutuallyAuthenticated()) << reference.Describe();
  const uint64_t sent[2] = {reference.metrics.datagram->client.datagrams,
                            reference.metrics.datagram->server.datagrams};
  for (int direction = 0; direction < 2; ++direction) {
    for (uint32_t ordinal = 1; ordinal <= sent[direction]; ++ordinal) {
      DatagramLinkOptions link = lossless;
      link.loss.drop[direction] = {ordinal};
      const HandshakeOutcome outcome = Handshake(endpoints, link);
      EXPECT_TRUE(outcome.MutuallyAuthenticated())
          << "MTU " << mtu << ", direction " << direction << ", datagram " << ordinal << ": "
          << outcome.Describe();
      EXPECT_GT(outcome.metrics.datagram->duration_us, 0);
    }
  }
}

TEST(GnutlsDtlsTest, RecoversFromTheLossOfAnySingleDatagram) {
  absl::StatusOr<ContextPair> endpoints = Make(Dtls());
  ASSERT_TRUE(endpoints.ok()) << endpoints.status();
  ExpectEveryLossRecovered(*endpoints, kDefaultDatagramMtu);
  ExpectEveryLossRecovered(*endpoints, kMinDatagramMtu);
}

TEST(GnutlsDtlsTest, RetransmitsAfterOneSecondAndGivesUpByItselfAfterFourMinutes) {
  absl::StatusOr<ContextPair> endpoints = Make(Dtls());
  ASSERT_TRUE(endpoints.ok()) << endpoints.status();
  DatagramLinkOptions first_lost;
  first_lost.loss.drop[0] = {1};
  const HandshakeOutcome recovered = Handshake(*endpoints, first_lost);
  ASSERT_TRUE(recovered.MutuallyAuthenticated()) << recovered.Describe();
  EXPECT_GE(recovered.metrics.datagram->duration_us, 1'000'000);
  EXPECT_LT(recovered.metrics.datagram->duration_us, 1'010'000);

  DatagramLinkOptions black_hole;
  black_hole.loss.loss_rate = 0.999999;
  const HandshakeOutcome outcome = Handshake(*endpoints, black_hole);
  EXPECT_FALSE(outcome.client.completed());
  EXPECT_NE(outcome.client.status.message().find("gave up"), std::string::npos)
      << outcome.client.status;
  EXPECT_GE(outcome.metrics.datagram->duration_us, 240'000'000);
  EXPECT_LT(outcome.metrics.datagram->duration_us, kDtlsGiveUpUs);  // GnuTLS's, not the driver's
}

TEST(GnutlsDtlsTest, ResumedHandshakesRecoverTooWhereTheRolesOfTheLastFlightSwap) {
  for (Resumption resumption : {Resumption::kSessionIds, Resumption::kTickets}) {
    CaseSpec spec = Dtls();
    spec.resumption = resumption;
    absl::StatusOr<ContextPair> endpoints = Make(spec);
    ASSERT_TRUE(endpoints.ok()) << endpoints.status();
    const HandshakeOutcome first = Handshake(*endpoints);
    ASSERT_TRUE(first.MutuallyAuthenticated()) << first.Describe();
    const HandshakeOutcome resumed = Handshake(*endpoints);
    ASSERT_TRUE(resumed.MutuallyAuthenticated()) << resumed.Describe();
    EXPECT_TRUE(resumed.client.resumed && resumed.server.resumed) << ResumptionName(resumption);
    for (int direction = 0; direction < 2; ++direction) {
      DatagramLinkOptions link;
      link.loss.drop[direction] = {1};
      const HandshakeOutcome outcome = Handshake(*endpoints, link);
      EXPECT_TRUE(outcome.MutuallyAuthenticated() && outcome.client.resumed)
          << ResumptionName(resumption) << ", direction " << direction << ": "
          << outcome.Describe();
    }
  }
}

TEST(GnutlsDtlsTest, CookieExchangeRecoversFromTheLossOfAnySingleDatagram) {
  absl::StatusOr<ContextPair> endpoints = Make(Dtls(), /*cookie_exchange=*/true);
  ASSERT_TRUE(endpoints.ok()) << endpoints.status();
  ExpectEveryLossRecovered(*endpoints, kDefaultDatagramMtu);
  ExpectEveryLossRecovered(*endpoints, kMinDatagramMtu);
  // The server keeps no state before the cookie returns: the client's timer recovers the loss
  // of the HelloVerifyRequest (the server's first datagram) and of its echo (the client's second).
  DatagramLinkOptions lost_request;
  lost_request.loss.drop[1] = {1};
  DatagramLinkOptions lost_echo;
  lost_echo.loss.drop[0] = {2};
  for (const DatagramLinkOptions& link : {lost_request, lost_echo}) {
    const HandshakeOutcome outcome = Handshake(*endpoints, link);
    EXPECT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
    EXPECT_EQ(outcome.metrics.datagram->client_retransmissions, 1u);
    EXPECT_EQ(outcome.metrics.datagram->server_retransmissions, 0u);
  }
}

TEST(GnutlsDtlsTest, PskAndRawPublicKeysAuthenticateOverDtls) {
  for (PskKeyExchange key_exchange : {PskKeyExchange::kDhe, PskKeyExchange::kPskOnly}) {
    CaseSpec spec = Dtls(CredentialKind::kExternalPsk);
    spec.psk_key_exchange = key_exchange;
    absl::StatusOr<ContextPair> endpoints = Make(spec);
    ASSERT_TRUE(endpoints.ok()) << endpoints.status();
    const HandshakeOutcome outcome = Handshake(*endpoints);
    ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
    EXPECT_EQ(outcome.server.psk_identity, TestPsk(key_exchange).identity);
  }
  absl::StatusOr<ContextPair> endpoints = Make(Dtls(CredentialKind::kRawPublicKeys));
  ASSERT_TRUE(endpoints.ok()) << endpoints.status();
  const HandshakeOutcome outcome = Handshake(*endpoints);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  EXPECT_FALSE(outcome.client.peer_raw_public_key.empty());
}

TEST(GnutlsDtlsTest, ARangeUpToDtls13NegotiatesDtls12) {
  EndpointConfig client = *HonestEndpoint(Dtls(), Role::kClient);
  EndpointConfig server = *HonestEndpoint(Dtls(), Role::kServer);
  client.max_version = server.max_version = TlsVersion::kTls13;
  absl::StatusOr<ContextPair> endpoints = testing::MakeContextPair(client, server);
  ASSERT_TRUE(endpoints.ok()) << endpoints.status();
  const HandshakeOutcome outcome = Handshake(*endpoints);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  EXPECT_EQ(outcome.client.version, TlsVersion::kTls12);
  EXPECT_EQ(outcome.server.version, TlsVersion::kTls12);
}

TEST(GnutlsDtlsTest, RefusesWhatGnutlsLacksWithItsReason) {
  EndpointConfig dtls13 = *HonestEndpoint(Dtls(), Role::kClient);
  dtls13.min_version = dtls13.max_version = TlsVersion::kTls13;
  EndpointConfig connection_id = *HonestEndpoint(Dtls(), Role::kClient);
  connection_id.dtls.connection_id = true;
  const std::pair<EndpointConfig, absl::string_view> refused[] = {
      {dtls13, gnutls_dtls::kNoDtls13}, {connection_id, gnutls_dtls::kNoConnectionId}};
  for (const auto& [config, reason] : refused) {
    const absl::Status status = CreateContext(config).status();
    EXPECT_TRUE(absl::IsUnimplemented(status)) << status;
    EXPECT_NE(status.message().find(reason), absl::string_view::npos) << status;
  }
}

TEST(GnutlsDtlsTest, NeedsADatagramTransport) {
  auto context = CreateContext(*HonestEndpoint(Dtls(), Role::kClient));
  ASSERT_TRUE(context.ok()) << context.status();
  MemoryDuplex stream;
  EXPECT_FALSE((*context)->NewSession(stream.client_end()).ok());
}

}  // namespace
}  // namespace mtls
