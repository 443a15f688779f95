// The wolfSSL adapter's own regressions: its signature-algorithm mapping refuses what wolfSSL's
// list syntax cannot name, and a TLS 1.3 ticket resumption still names the client after many
// other handshakes have gone through the library (the per-context session store,
// wolfssl_resumption.h).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "mtls/backend.h"
#include "mtls/config.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"
#include "mtls/types.h"
#include "wolfssl_sigalgs.h"

namespace mtls {
namespace {

constexpr uint16_t kMlDsa44 = 0x0904;  // no name in wolfSSL's list syntax (5.5 and 5.7)

TEST(WolfsslSignatureAlgorithms, MappedCodePointsBecomeWolfsslNames) {
  const absl::StatusOr<std::string> list = wolfssl_sigalgs::ListFor({0x0403, 0x0804, 0x0807});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(*list, "ECDSA+SHA256:RSA-PSS+SHA256:ED25519");
}

TEST(WolfsslSignatureAlgorithms, UnmappedCodePointIsRefusedByName) {
  const absl::StatusOr<std::string> list = wolfssl_sigalgs::ListFor({0x0403, kMlDsa44});
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(list.status().message().find(SignatureAlgorithmName(kMlDsa44)), std::string::npos)
      << list.status();
}

TEST(WolfsslSignatureAlgorithms, ContextWithUnmappedCodePointIsRefusedByName) {
  EndpointConfig config;
  config.role = Role::kClient;
  config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  config.signature_algorithms = {0x0403, kMlDsa44};
  const absl::StatusOr<std::unique_ptr<Context>> context = CreateContext(config);
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(context.status().message().find(SignatureAlgorithmName(kMlDsa44)), std::string::npos)
      << context.status();
}

EndpointConfig TicketEndpoint(Role role) {
  EndpointConfig config;
  config.role = role;
  config.min_version = config.max_version = TlsVersion::kTls13;
  config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  config.credentials = *LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", role, 1);
  config.resumption = Resumption::kTickets;
  if (role == Role::kClient) config.expected_peer_name = "server.mtls.test";
  return config;
}

struct Pair {
  std::unique_ptr<Context> client;
  std::unique_ptr<Context> server;
};

Pair NewPair() {
  absl::StatusOr<std::unique_ptr<Context>> client = CreateContext(TicketEndpoint(Role::kClient));
  absl::StatusOr<std::unique_ptr<Context>> server = CreateContext(TicketEndpoint(Role::kServer));
  EXPECT_TRUE(client.ok()) << client.status();
  EXPECT_TRUE(server.ok()) << server.status();
  if (!client.ok() || !server.ok()) return {};
  return {*std::move(client), *std::move(server)};
}

// wolfSSL's process-wide session cache loses a TLS 1.3 ticket's client certificate once other
// handshakes have evicted its entry; the adapter's per-context store keeps it (5.7; 5.5 documents
// the finding and is skipped). Measured on 5.5 with this test unskipped: 40 other handshakes left
// the entry in place, 80 and more evicted it (the server then names no client), so 100.
constexpr int kOtherHandshakes = 100;

TEST(WolfsslResumption, ServerStillNamesItsClientAfterManyOtherHandshakes) {
  const char kFinding[] = "finding:resumption/tickets/TLSv1.3/client-identity-after-eviction";
  for (const Capability& row : CapabilityManifest()) {
    if (row.feature == kFinding && !row.supported) GTEST_SKIP() << row.reason;
  }
  Pair first_pair = NewPair();
  ASSERT_TRUE(first_pair.client && first_pair.server);
  const HandshakeOutcome first = RunInMemoryHandshake(*first_pair.client, *first_pair.server);
  ASSERT_TRUE(first.MutuallyAuthenticated()) << first.Describe();
  ASSERT_FALSE(first.server.resumed);
  ASSERT_TRUE(first.server.peer.has_value());

  for (int i = 0; i < kOtherHandshakes; ++i) {
    Pair other = NewPair();
    ASSERT_TRUE(other.client && other.server);
    const HandshakeOutcome outcome = RunInMemoryHandshake(*other.client, *other.server);
    ASSERT_TRUE(outcome.MutuallyAuthenticated()) << "handshake " << i << ": " << outcome.Describe();
  }

  const HandshakeOutcome resumed = RunInMemoryHandshake(*first_pair.client, *first_pair.server);
  ASSERT_TRUE(resumed.client.status.ok() && resumed.server.status.ok()) << resumed.Describe();
  EXPECT_TRUE(resumed.client.resumed);
  EXPECT_TRUE(resumed.server.resumed);
  EXPECT_TRUE(resumed.server.peer_verified);
  ASSERT_TRUE(resumed.server.peer.has_value()) << "the server no longer holds its client";
  EXPECT_EQ(resumed.server.peer->subject, first.server.peer->subject);
  EXPECT_EQ(resumed.server.peer->dns_names, first.server.peer->dns_names);
}

}  // namespace
}  // namespace mtls
