// The DTLS driver against the backend this tree is built with: mutual authentication over the
// in-memory datagram link, with losses recovered by the library's own retransmissions in virtual
// time, flights fragmented to the path MTU, and reordering.
#include <gtest/gtest.h>

#include "mtls/backend.h"
#include "mtls/case_spec.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls {
namespace {

// Below the certificate flights, above every library's ClientHello: wolfSSL never splits its
// DTLS 1.2 ClientHello (about 300 bytes with a cookie), Mbed TLS 2.28 neither sends nor accepts
// a fragmented one.
constexpr size_t kSmallMtu = 400;

// The honest DTLS 1.2 endpoint of the test PKI's ECDSA P-256 scheme, one intermediate.
EndpointConfig DtlsEndpoint(Role role) {
  return *HonestEndpoint({.depth = 2, .protocol = Protocol::kDtls, .version = TlsVersion::kTls12},
                         role);
}

class DatagramHandshakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (absl::Status dtls = RequireCapability("dtls1.2"); !dtls.ok()) {
      GTEST_SKIP() << dtls.message();
    }
    auto client = CreateContext(DtlsEndpoint(Role::kClient));
    ASSERT_TRUE(client.ok()) << client.status();
    auto server = CreateContext(DtlsEndpoint(Role::kServer));
    ASSERT_TRUE(server.ok()) << server.status();
    client_ = *std::move(client);
    server_ = *std::move(server);
  }

  HandshakeOutcome Run(const DatagramLinkOptions& link = {}) {
    return RunDatagramHandshake(*client_, *server_, link);
  }

  std::unique_ptr<Context> client_;
  std::unique_ptr<Context> server_;
};

TEST_F(DatagramHandshakeTest, AuthenticatesBothSidesOverALosslessLink) {
  const HandshakeOutcome outcome = Run();
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  EXPECT_EQ(outcome.client.version, TlsVersion::kTls12);
  ASSERT_TRUE(outcome.metrics.datagram.has_value());
  const DatagramMetrics& datagram = *outcome.metrics.datagram;
  EXPECT_GE(datagram.client.datagrams, 2u);
  EXPECT_GE(datagram.server.datagrams, 2u);
  EXPECT_EQ(datagram.client_retransmissions + datagram.server_retransmissions, 0u);
  EXPECT_EQ(datagram.duration_us, 0);  // no latency, no timer fired
  EXPECT_EQ(outcome.metrics.bytes_c2s, datagram.client.bytes);
  EXPECT_LE(datagram.client.largest, kDefaultDatagramMtu);
  EXPECT_GE(outcome.metrics.flights, 4);
}

TEST_F(DatagramHandshakeTest, RecoversEachLostFirstDatagramByRetransmission) {
  for (int direction = 0; direction < 2; ++direction) {
    DatagramLinkOptions link;
    link.loss.drop[direction] = {1};
    const HandshakeOutcome outcome = Run(link);
    ASSERT_TRUE(outcome.MutuallyAuthenticated())
        << "direction " << direction << ": " << outcome.Describe();
    const DatagramMetrics& datagram = *outcome.metrics.datagram;
    const DatagramCounters& sender = direction == 0 ? datagram.client : datagram.server;
    EXPECT_EQ(sender.lost, 1u);
    // The lost flight's sender (or, for the server's, the client asking again) resent it after
    // its timer: virtual time passed.
    EXPECT_GE(datagram.client_retransmissions + datagram.server_retransmissions, 1u);
    EXPECT_GT(datagram.duration_us, 0);
  }
}

TEST_F(DatagramHandshakeTest, FragmentsFlightsToASmallMtu) {
  const HandshakeOutcome roomy = Run();
  ASSERT_TRUE(roomy.MutuallyAuthenticated()) << roomy.Describe();
  DatagramLinkOptions link;
  link.mtu = kSmallMtu;
  const HandshakeOutcome tight = Run(link);
  ASSERT_TRUE(tight.MutuallyAuthenticated()) << tight.Describe();
  const DatagramMetrics& datagram = *tight.metrics.datagram;
  EXPECT_LE(datagram.server.largest, kSmallMtu);
  EXPECT_LE(datagram.client.largest, kSmallMtu);
  EXPECT_GT(datagram.server.datagrams, roomy.metrics.datagram->server.datagrams);
}

TEST_F(DatagramHandshakeTest, SurvivesReorderedDatagrams) {
  DatagramLinkOptions link;
  link.mtu = kSmallMtu;  // several datagrams per flight, so one can overtake another
  link.loss.hold_back[1] = {1, 3};
  link.loss.hold_back[0] = {2};
  const HandshakeOutcome outcome = Run(link);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
}

TEST_F(DatagramHandshakeTest, TimeOnAProfiledLinkIsLatencyAndTransmission) {
  DatagramLinkOptions link;
  link.profile = LinkProfile{"test", /*bandwidth_bps=*/1e6, /*rtt_ms=*/100, 0, 0};
  const HandshakeOutcome outcome = Run(link);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  // At least one round trip per pair of flights after the first, plus the bytes at 1 Mbit/s.
  const int64_t bits = 8 * static_cast<int64_t>(outcome.metrics.bytes_c2s);
  EXPECT_GE(outcome.metrics.datagram->duration_us, 100'000 + bits);
}

// The handshake message type of a DTLS datagram's first record (RFC 6347 section 4.1: a 13-byte
// record header, then the handshake header), or -1 when it carries no handshake message.
int FirstHandshakeType(const std::vector<uint8_t>& datagram) {
  constexpr uint8_t kHandshake = 22;
  if (datagram.size() < 14 || datagram[0] != kHandshake) return -1;
  return datagram[13];
}

TEST(DatagramCookieTest, ServerAsksForACookieBeforeItCommitsToTheHandshake) {
  for (const char* feature : {"dtls1.2", "dtls:cookie"}) {
    if (absl::Status supported = RequireCapability(feature); !supported.ok()) {
      GTEST_SKIP() << supported.message();
    }
  }
  EndpointConfig server_config = DtlsEndpoint(Role::kServer);
  server_config.dtls.cookie_exchange = true;
  auto server = CreateContext(server_config);
  ASSERT_TRUE(server.ok()) << server.status();
  auto client = CreateContext(DtlsEndpoint(Role::kClient));
  ASSERT_TRUE(client.ok()) << client.status();
  DatagramLinkOptions link;
  link.keep_datagrams = true;
  const HandshakeOutcome outcome = RunDatagramHandshake(**client, **server, link);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  constexpr int kClientHello = 1;
  constexpr int kHelloVerifyRequest = 3;
  ASSERT_GE(outcome.client_datagrams.size(), 2u);
  ASSERT_GE(outcome.server_datagrams.size(), 1u);
  EXPECT_EQ(FirstHandshakeType(outcome.server_datagrams[0]), kHelloVerifyRequest);
  EXPECT_EQ(FirstHandshakeType(outcome.client_datagrams[1]), kClientHello);  // with the cookie
  EXPECT_GT(outcome.client_datagrams[1].size(), outcome.client_datagrams[0].size());
}

// Real endpoints go on reading after their handshake: a copy of the server's last datagram,
// still in flight when both completed, reaches the client.
TEST_F(DatagramHandshakeTest, CompletedSidesReadWhatIsStillInFlight) {
  const HandshakeOutcome lossless = Run();
  ASSERT_TRUE(lossless.MutuallyAuthenticated()) << lossless.Describe();
  DatagramLinkOptions link;
  const uint64_t last = lossless.metrics.datagram->server.datagrams;
  link.loss.duplicate[1] = {static_cast<uint32_t>(last)};
  const HandshakeOutcome outcome = Run(link);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  EXPECT_EQ(outcome.metrics.datagram->server.delivered, last + 1);
  EXPECT_EQ(outcome.metrics.datagram->duration_us, 0);
}

// A side that completed first still answers a peer that missed its last datagram: DTLS 1.2's
// Finished flight, which the server resends when the client repeats its own, or DTLS 1.3's ACK
// of the client's Finished (RFC 9147 section 7), which wolfSSL resends on its timer.
TEST(DatagramCompletedSideTest, AnswersAPeerThatMissedItsLastDatagram) {
  int versions_run = 0;
  for (TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
    if (!RequireCapability(version == TlsVersion::kTls12 ? "dtls1.2" : "dtls1.3").ok()) continue;
    ++versions_run;
    const CaseSpec spec{.depth = 2, .protocol = Protocol::kDtls, .version = version};
    auto client = CreateContext(*HonestEndpoint(spec, Role::kClient));
    ASSERT_TRUE(client.ok()) << client.status();
    auto server = CreateContext(*HonestEndpoint(spec, Role::kServer));
    ASSERT_TRUE(server.ok()) << server.status();
    const HandshakeOutcome lossless = RunDatagramHandshake(**client, **server, {});
    ASSERT_TRUE(lossless.MutuallyAuthenticated()) << lossless.Describe();
    // No timer of a completed side fires once both completed.
    EXPECT_EQ(lossless.metrics.datagram->duration_us, 0);
    EXPECT_EQ(lossless.metrics.datagram->server_retransmissions, 0u);

    const uint64_t last = lossless.metrics.datagram->server.datagrams;
    DatagramLinkOptions link;
    link.loss.drop[1] = {static_cast<uint32_t>(last)};
    const HandshakeOutcome outcome = RunDatagramHandshake(**client, **server, link);
    ASSERT_TRUE(outcome.MutuallyAuthenticated())
        << TlsVersionName(version) << ": " << outcome.Describe();
    EXPECT_EQ(outcome.metrics.datagram->server.lost, 1u);
    EXPECT_GT(outcome.metrics.datagram->server.datagrams, last) << "the server answered again";
    EXPECT_GT(outcome.metrics.datagram->duration_us, 0);
    EXPECT_LT(outcome.metrics.datagram->duration_us, 10'000'000);
  }
  if (versions_run == 0) GTEST_SKIP() << "no DTLS in this build";
}

TEST_F(DatagramHandshakeTest, GivesUpWhenThePeerNeverAnswers) {
  DatagramLinkOptions link;
  link.loss.loss_rate = 0.999999;
  const HandshakeOutcome outcome = Run(link);
  EXPECT_FALSE(outcome.client.completed());
  EXPECT_FALSE(outcome.MutuallyAuthenticated());
  EXPECT_GE(outcome.metrics.datagram->client_retransmissions, 1u);
}

}  // namespace
}  // namespace mtls
