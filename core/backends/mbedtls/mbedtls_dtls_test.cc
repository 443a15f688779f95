// DTLS 1.2 on Mbed TLS beyond the core's datagram tests: the version range, the cookie exchange
// (the HelloVerifyRequest the Session hides from the driver), Connection ID where the build has
// RFC 9146's, and PSK and resumption over datagrams.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "absl/strings/match.h"
#include "context_pair.h"
#include "mbedtls_dtls.h"
#include "mtls/backend.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls {
namespace {

EndpointConfig DtlsEndpoint(Role role) {
  EndpointConfig config;
  config.role = role;
  config.protocol = Protocol::kDtls;
  config.min_version = config.max_version = TlsVersion::kTls12;
  config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  config.credentials = *LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", role, 2);
  if (role == Role::kClient) config.expected_peer_name = "server.mtls.test";
  return config;
}

using testing::ContextPair;
using testing::MakeContextPair;

// The handshake message type of a datagram's first record (13-byte header), or -1.
int FirstHandshakeType(const std::vector<uint8_t>& datagram) {
  constexpr uint8_t kHandshake = 22;
  if (datagram.size() < 14 || datagram[0] != kHandshake) return -1;
  return datagram[13];
}

// Whether any record in `datagrams` has RFC 9146's tls12_cid content type (25). Records before
// the first such one have the plain 13-byte header, its length in the last two bytes.
bool SentCidRecords(const std::vector<std::vector<uint8_t>>& datagrams) {
  constexpr uint8_t kTls12Cid = 25;
  for (const std::vector<uint8_t>& datagram : datagrams) {
    for (size_t offset = 0; offset + 13 <= datagram.size();) {
      if (datagram[offset] == kTls12Cid) return true;
      offset += 13 + (size_t{datagram[offset + 11]} << 8 | datagram[offset + 12]);
    }
  }
  return false;
}

TEST(MbedtlsDtlsTest, OnlyDtls13IsUnsupported) {
  EndpointConfig client = DtlsEndpoint(Role::kClient);
  client.min_version = client.max_version = TlsVersion::kTls13;
  auto context = CreateContext(client);
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_TRUE(absl::StrContains(context.status().message(), "DTLS up to 1.2")) << context.status();
  EXPECT_FALSE(RequireCapability("dtls1.3").ok());
}

TEST(MbedtlsDtlsTest, RangeUpToDtls13NegotiatesDtls12) {
  EndpointConfig client = DtlsEndpoint(Role::kClient);
  EndpointConfig server = DtlsEndpoint(Role::kServer);
  client.max_version = server.max_version = TlsVersion::kTls13;
  absl::StatusOr<ContextPair> contexts = MakeContextPair(client, server);
  ASSERT_TRUE(contexts.ok()) << contexts.status();
  const HandshakeOutcome outcome = RunDatagramHandshake(*contexts->client, *contexts->server, {});
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  EXPECT_EQ(outcome.client.version, TlsVersion::kTls12);
  EXPECT_EQ(outcome.server.version, TlsVersion::kTls12);
  EXPECT_TRUE(absl::StartsWith(outcome.client.cipher, "TLS_ECDHE_ECDSA_")) << outcome.client.cipher;
  ASSERT_TRUE(outcome.server.peer.has_value());
  EXPECT_EQ(outcome.server.peer->dns_names, std::vector<std::string>{"client.mtls.test"});
}

TEST(MbedtlsDtlsTest, CookieExchangeSurvivesALostHelloVerifyRequest) {
  EndpointConfig server = DtlsEndpoint(Role::kServer);
  server.dtls.cookie_exchange = true;
  absl::StatusOr<ContextPair> contexts = MakeContextPair(DtlsEndpoint(Role::kClient), server);
  ASSERT_TRUE(contexts.ok()) << contexts.status();
  for (const bool lose_it : {false, true}) {
    DatagramLinkOptions link;
    link.keep_datagrams = true;
    if (lose_it) link.loss.drop[1] = {1};
    const HandshakeOutcome outcome =
        RunDatagramHandshake(*contexts->client, *contexts->server, link);
    ASSERT_TRUE(outcome.MutuallyAuthenticated()) << lose_it << ": " << outcome.Describe();
    constexpr int kClientHello = 1;
    constexpr int kHelloVerifyRequest = 3;
    ASSERT_GE(outcome.server_datagrams.size(), 2u);
    EXPECT_EQ(FirstHandshakeType(outcome.server_datagrams[0]), kHelloVerifyRequest);
    // Lost, the client asked again after its timer and got a second one.
    const size_t hello_with_cookie = lose_it ? 2 : 1;
    EXPECT_EQ(FirstHandshakeType(outcome.server_datagrams[hello_with_cookie - 1]),
              kHelloVerifyRequest);
    ASSERT_GT(outcome.client_datagrams.size(), hello_with_cookie);
    EXPECT_EQ(FirstHandshakeType(outcome.client_datagrams[hello_with_cookie]), kClientHello);
    EXPECT_GT(outcome.client_datagrams[hello_with_cookie].size(),
              outcome.client_datagrams[0].size());
    EXPECT_EQ(outcome.metrics.datagram->duration_us > 0, lose_it);
  }
}

TEST(MbedtlsDtlsTest, ConnectionIdWhereTheBuildHasRfc9146) {
  EndpointConfig client = DtlsEndpoint(Role::kClient);
  EndpointConfig server = DtlsEndpoint(Role::kServer);
  client.dtls.connection_id = server.dtls.connection_id = true;
#if defined(MTLS_MBEDTLS_RFC9146_CID)
  absl::StatusOr<ContextPair> contexts = MakeContextPair(client, server);
  ASSERT_TRUE(contexts.ok()) << contexts.status();
  DatagramLinkOptions link;
  link.keep_datagrams = true;
  const HandshakeOutcome outcome = RunDatagramHandshake(*contexts->client, *contexts->server, link);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  // Negotiated: both sides' protected records (Finished on) carry the peer's CID.
  EXPECT_TRUE(SentCidRecords(outcome.client_datagrams));
  EXPECT_TRUE(SentCidRecords(outcome.server_datagrams));
#else
  auto context = CreateContext(client);
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_TRUE(absl::StrContains(context.status().message(), "Connection ID")) << context.status();
  EXPECT_FALSE(RequireCapability("dtls:cid").ok());
#endif
}

TEST(MbedtlsDtlsTest, NoCidRecordsWithoutConnectionId) {
  absl::StatusOr<ContextPair> contexts =
      MakeContextPair(DtlsEndpoint(Role::kClient), DtlsEndpoint(Role::kServer));
  ASSERT_TRUE(contexts.ok()) << contexts.status();
  DatagramLinkOptions link;
  link.keep_datagrams = true;
  const HandshakeOutcome outcome = RunDatagramHandshake(*contexts->client, *contexts->server, link);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  EXPECT_FALSE(SentCidRecords(outcome.client_datagrams));
  EXPECT_FALSE(SentCidRecords(outcome.server_datagrams));
}

TEST(MbedtlsDtlsTest, ExternalPskOverDatagrams) {
  for (const PskKeyExchange exchange : {PskKeyExchange::kDhe, PskKeyExchange::kPskOnly}) {
    EndpointConfig client = DtlsEndpoint(Role::kClient);
    EndpointConfig server = DtlsEndpoint(Role::kServer);
    for (EndpointConfig* config : {&client, &server}) {
      config->trust_anchors_der.clear();
      config->credentials.reset();
      config->expected_peer_name.clear();
      config->psk = ExternalPsk{"dtls-client", std::string(32, '\x5a'), exchange};
    }
    absl::StatusOr<ContextPair> contexts = MakeContextPair(client, server);
    ASSERT_TRUE(contexts.ok()) << contexts.status();
    const HandshakeOutcome outcome = RunDatagramHandshake(*contexts->client, *contexts->server, {});
    ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
    EXPECT_EQ(outcome.server.psk_identity, "dtls-client");
    EXPECT_TRUE(absl::StrContains(outcome.client.cipher, "PSK")) << outcome.client.cipher;
  }
}

TEST(MbedtlsDtlsTest, ResumesOverDatagrams) {
  for (const Resumption mode : {Resumption::kSessionIds, Resumption::kTickets}) {
    EndpointConfig client = DtlsEndpoint(Role::kClient);
    EndpointConfig server = DtlsEndpoint(Role::kServer);
    client.resumption = server.resumption = mode;
    absl::StatusOr<ContextPair> contexts = MakeContextPair(client, server);
    ASSERT_TRUE(contexts.ok()) << contexts.status();
    const HandshakeOutcome full = RunDatagramHandshake(*contexts->client, *contexts->server, {});
    ASSERT_TRUE(full.MutuallyAuthenticated()) << full.Describe();
    EXPECT_FALSE(full.client.resumed);
    const HandshakeOutcome resumed = RunDatagramHandshake(*contexts->client, *contexts->server, {});
    ASSERT_TRUE(resumed.MutuallyAuthenticated()) << resumed.Describe();
    EXPECT_TRUE(resumed.client.resumed);
    EXPECT_TRUE(resumed.server.resumed);
    EXPECT_LT(resumed.metrics.datagram->client.bytes, full.metrics.datagram->client.bytes);
  }
}

}  // namespace
}  // namespace mtls
