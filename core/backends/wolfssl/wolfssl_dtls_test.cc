// DTLS on wolfSSL beyond the core's certificate cases (core/src/datagram_handshake_test.cc):
// external PSK, raw public keys, resumption, DTLS 1.3 with and without its cookie, the Connection
// ID, a lost last flight, and what a build cannot do. Each skips where the build lacks DTLS (see
// the manifest). The link carries Ethernet's UDP payload (1472 bytes): room for what wolfSSL sends
// unfragmented (its DTLS 1.2 ClientHello) and for its DTLS 1.3 ClientHello, which a server without
// WOLFSSL_DTLS_CH_FRAG cannot take in fragments.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "context_pair.h"
#include "mtls/backend.h"
#include "mtls/config.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"
#include "mtls/transport.h"

namespace mtls {
namespace {

constexpr size_t kEthernetMtu = 1500 - 20 - 8;

EndpointConfig Endpoint(Role role, TlsVersion version) {
  EndpointConfig config;
  config.role = role;
  config.protocol = Protocol::kDtls;
  config.min_version = config.max_version = version;
  config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  config.credentials = *LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", role, 1);
  if (role == Role::kClient) config.expected_peer_name = kTestServerName;
  return config;
}

using testing::ContextPair;
using testing::MakeContextPair;

HandshakeOutcome Handshake(ContextPair& pair, DatagramLinkOptions link = {}) {
  link.mtu = kEthernetMtu;
  return RunDatagramHandshake(*pair.client, *pair.server, link);
}

// Both versions and key exchanges, each where the build has it (a skip when none).
TEST(WolfsslDtls, ExternalPskAuthenticatesBothSides) {
  absl::Status refused;
  int ran = 0;
  for (const TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
    for (const PskKeyExchange key_exchange : {PskKeyExchange::kDhe, PskKeyExchange::kPskOnly}) {
      EndpointConfig client = Endpoint(Role::kClient, version);
      EndpointConfig server = Endpoint(Role::kServer, version);
      for (EndpointConfig* config : {&client, &server}) {
        config->psk = ExternalPsk{"dtls-client", std::string(32, 'k'), key_exchange};
        config->trust_anchors_der.clear();
        config->credentials.reset();
        config->expected_peer_name.clear();
      }
      absl::StatusOr<ContextPair> pair = MakeContextPair(client, server);
      if (absl::IsUnimplemented(pair.status())) {
        refused = pair.status();
        continue;
      }
      ASSERT_TRUE(pair.ok()) << pair.status();
      const HandshakeOutcome outcome = Handshake(*pair);
      ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
      EXPECT_EQ(outcome.server.psk_identity, "dtls-client");
      EXPECT_EQ(outcome.client.version, version);
      ++ran;
    }
  }
  if (ran == 0) GTEST_SKIP() << refused.message();
}

TEST(WolfsslDtls, RawPublicKeysAuthenticateBothSides) {
  const std::string server_key =
      *LoadLeafPublicKey(DefaultPkiDir(), "ecdsa-p256", Role::kServer, 1);
  const std::string client_key =
      *LoadLeafPublicKey(DefaultPkiDir(), "ecdsa-p256", Role::kClient, 1);
  absl::Status refused;
  int ran = 0;
  for (const TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
    EndpointConfig client = Endpoint(Role::kClient, version);
    EndpointConfig server = Endpoint(Role::kServer, version);
    client.raw_public_keys = RawPublicKeys{{server_key}};
    server.raw_public_keys = RawPublicKeys{{client_key}};
    client.expected_peer_name.clear();
    absl::StatusOr<ContextPair> pair = MakeContextPair(client, server);
    if (absl::IsUnimplemented(pair.status())) {
      refused = pair.status();
      continue;
    }
    ASSERT_TRUE(pair.ok()) << pair.status();
    const HandshakeOutcome outcome = Handshake(*pair);
    ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
    EXPECT_EQ(outcome.client.peer_raw_public_key, server_key);
    EXPECT_EQ(outcome.server.peer_raw_public_key, client_key);
    EXPECT_EQ(outcome.server.version, version);
    ++ran;
  }
  if (ran == 0) GTEST_SKIP() << refused.message();
}

TEST(WolfsslDtls, ClientResumesWithItsSessionId) {
  EndpointConfig client = Endpoint(Role::kClient, TlsVersion::kTls12);
  EndpointConfig server = Endpoint(Role::kServer, TlsVersion::kTls12);
  client.resumption = server.resumption = Resumption::kSessionIds;
  MTLS_CONTEXT_PAIR_OR_SKIP(pair, MakeContextPair(client, server));
  const HandshakeOutcome full = Handshake(*pair);
  ASSERT_TRUE(full.MutuallyAuthenticated()) << full.Describe();
  EXPECT_FALSE(full.client.resumed);
  const HandshakeOutcome resumed = Handshake(*pair);
  ASSERT_TRUE(resumed.MutuallyAuthenticated()) << resumed.Describe();
  EXPECT_TRUE(resumed.client.resumed);
  EXPECT_TRUE(resumed.server.resumed);
}

TEST(WolfsslDtls, LostLastFlightIsRecovered) {
  EndpointConfig client = Endpoint(Role::kClient, TlsVersion::kTls12);
  EndpointConfig server = Endpoint(Role::kServer, TlsVersion::kTls12);
  MTLS_CONTEXT_PAIR_OR_SKIP(pair, MakeContextPair(client, server));
  const HandshakeOutcome lossless = Handshake(*pair);
  ASSERT_TRUE(lossless.MutuallyAuthenticated()) << lossless.Describe();
  DatagramLinkOptions link;
  link.loss.drop[1] = {static_cast<uint32_t>(lossless.metrics.datagram->server.datagrams)};
  const HandshakeOutcome outcome = Handshake(*pair, link);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  EXPECT_EQ(outcome.metrics.datagram->server.lost, 1u);
  EXPECT_GE(outcome.metrics.datagram->client_retransmissions, 1u);
}

TEST(WolfsslDtls, Dtls13WithAndWithoutCookie) {
  int flights[2] = {0, 0};
  for (const bool cookie : {false, true}) {
    EndpointConfig client = Endpoint(Role::kClient, TlsVersion::kTls13);
    EndpointConfig server = Endpoint(Role::kServer, TlsVersion::kTls13);
    server.dtls.cookie_exchange = cookie;
    MTLS_CONTEXT_PAIR_OR_SKIP(pair, MakeContextPair(client, server));
    const HandshakeOutcome outcome = Handshake(*pair);
    ASSERT_TRUE(outcome.MutuallyAuthenticated())
        << "cookie " << cookie << ": " << outcome.Describe();
    EXPECT_EQ(outcome.client.version, TlsVersion::kTls13);
    EXPECT_EQ(outcome.server.version, TlsVersion::kTls13);
    flights[cookie ? 1 : 0] = outcome.metrics.flights;
  }
  // The HelloRetryRequest carrying the cookie costs a round trip of its own.
  EXPECT_EQ(flights[1], flights[0] + 2);
}

TEST(WolfsslDtls, Dtls13RecoversLostFirstDatagrams) {
  EndpointConfig client = Endpoint(Role::kClient, TlsVersion::kTls13);
  EndpointConfig server = Endpoint(Role::kServer, TlsVersion::kTls13);
  MTLS_CONTEXT_PAIR_OR_SKIP(pair, MakeContextPair(client, server));
  const HandshakeOutcome lossless = Handshake(*pair);
  ASSERT_TRUE(lossless.MutuallyAuthenticated()) << lossless.Describe();
  for (int direction = 0; direction < 2; ++direction) {
    DatagramLinkOptions link;
    link.loss.drop[direction] = {1};
    const HandshakeOutcome outcome = Handshake(*pair, link);
    ASSERT_TRUE(outcome.MutuallyAuthenticated())
        << "direction " << direction << ": " << outcome.Describe();
    const DatagramMetrics& datagram = *outcome.metrics.datagram;
    const DatagramCounters& sender = direction == 0 ? datagram.client : datagram.server;
    const DatagramCounters& before =
        direction == 0 ? lossless.metrics.datagram->client : lossless.metrics.datagram->server;
    EXPECT_EQ(sender.lost, 1u);
    EXPECT_GT(sender.datagrams, before.datagrams) << "direction " << direction;
    // A lost ClientHello waits for the client's timer; a lost first server datagram does not:
    // the client acknowledges what did arrive and the server resends the rest at once
    // (RFC 9147 section 7).
    if (direction == 0) {
      EXPECT_GT(datagram.duration_us, 0);
    }
  }
}

// DTLS 1.3 resends nothing within a second of its last resend by wolfSSL's clock (LowResTimer):
// that clock must follow the link's virtual time, with and without the fixed-clock seam.
TEST(WolfsslDtls, Dtls13KeepsResendingInVirtualTime) {
  for (const bool fixed_clock : {false, true}) {
    EndpointConfig client = Endpoint(Role::kClient, TlsVersion::kTls13);
    EndpointConfig server = Endpoint(Role::kServer, TlsVersion::kTls13);
    if (fixed_clock) client.seams.fixed_unix_time = server.seams.fixed_unix_time = 1'800'000'000;
    MTLS_CONTEXT_PAIR_OR_SKIP(pair, MakeContextPair(client, server));
    DatagramLinkOptions link;
    link.loss.drop[1] = {1, 2, 3};  // the server's flight (two datagrams) and its first resend
    const HandshakeOutcome outcome = Handshake(*pair, link);
    ASSERT_TRUE(outcome.MutuallyAuthenticated())
        << "fixed clock " << fixed_clock << ": " << outcome.Describe();
    EXPECT_GE(outcome.metrics.datagram->server_retransmissions, 2u);
  }
}

TEST(WolfsslDtls, ConnectionIdOverDtls13) {
  EndpointConfig client = Endpoint(Role::kClient, TlsVersion::kTls13);
  EndpointConfig server = Endpoint(Role::kServer, TlsVersion::kTls13);
  client.dtls.connection_id = server.dtls.connection_id = true;
  MTLS_CONTEXT_PAIR_OR_SKIP(pair, MakeContextPair(client, server));
  const HandshakeOutcome outcome = Handshake(*pair);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
}

TEST(WolfsslDtls, VersionRangeNegotiatesTheNewestTheBuildHas) {
  EndpointConfig client = Endpoint(Role::kClient, TlsVersion::kTls12);
  EndpointConfig server = Endpoint(Role::kServer, TlsVersion::kTls12);
  client.max_version = server.max_version = TlsVersion::kTls13;
  MTLS_CONTEXT_PAIR_OR_SKIP(pair, MakeContextPair(client, server));
  const HandshakeOutcome outcome = Handshake(*pair);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  const bool has_dtls13 = CreateContext(Endpoint(Role::kClient, TlsVersion::kTls13)).ok();
  EXPECT_EQ(outcome.client.version, has_dtls13 ? TlsVersion::kTls13 : TlsVersion::kTls12);
}

TEST(WolfsslDtls, ConnectionIdNeedsDtls13) {
  EndpointConfig client = Endpoint(Role::kClient, TlsVersion::kTls12);
  client.dtls.connection_id = true;
  const absl::StatusOr<std::unique_ptr<Context>> context = CreateContext(client);
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.status().code(), absl::StatusCode::kUnimplemented) << context.status();
}

TEST(WolfsslDtls, StreamTransportIsRefused) {
  const absl::StatusOr<std::unique_ptr<Context>> context =
      CreateContext(Endpoint(Role::kClient, TlsVersion::kTls12));
  if (absl::IsUnimplemented(context.status())) GTEST_SKIP() << context.status().message();
  ASSERT_TRUE(context.ok()) << context.status();
  MemoryDuplex duplex;
  const absl::StatusOr<std::unique_ptr<Session>> session =
      (*context)->NewSession(duplex.client_end());
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(ErrorClassOf(session.status()), ErrorClass::kBadInput) << session.status();
}

}  // namespace
}  // namespace mtls
