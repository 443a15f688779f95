// The Mbed TLS adapter's own mappings: the verification clock (handshake and VerifyPeerChain
// alike) and signature-algorithm lists.
#include <gtest/gtest.h>

#include <mbedtls/version.h>

#include "absl/strings/match.h"
#include "mtls/backend.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"
#include "mtls/x509_check.h"

namespace mtls {
namespace {

// The test PKI's client leaf is valid from 2024-01-01 to 2099-12-31 (its CAs from 2000); the
// system clock is inside that, so a rejection below comes from the chosen time alone.
constexpr int64_t kBeforeLeaf = 1685577600;  // 2023-06-01
constexpr int64_t kInside = 1906588800;      // 2030-06-01
constexpr int64_t kAfterAll = 4115404800;    // 2100-06-01

TlsVersion Newest() {
  return RequireCapability("tls1.3").ok() ? TlsVersion::kTls13 : TlsVersion::kTls12;
}

EndpointConfig Endpoint(Role role, absl::string_view scheme = "ecdsa-p256") {
  EndpointConfig config;
  config.role = role;
  config.min_version = config.max_version = Newest();
  config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  config.credentials = *LoadLeafCredentials(DefaultPkiDir(), scheme, role, 2);
  if (role == Role::kClient) config.expected_peer_name = "server.mtls.test";
  return config;
}

// The handshake, or an outcome that says which context could not be made (the test fails).
HandshakeOutcome Handshake(const EndpointConfig& client, const EndpointConfig& server) {
  auto client_context = CreateContext(client);
  auto server_context = CreateContext(server);
  EXPECT_TRUE(client_context.ok()) << client_context.status();
  EXPECT_TRUE(server_context.ok()) << server_context.status();
  if (!client_context.ok() || !server_context.ok()) {
    HandshakeOutcome failed;
    failed.client.status = client_context.status();
    failed.server.status = server_context.status();
    return failed;
  }
  return RunInMemoryHandshake(**client_context, **server_context);
}

TEST(MbedtlsClockTest, HandshakeJudgesValidityAtTheContextsTime) {
  EndpointConfig server = Endpoint(Role::kServer);
  server.seams.fixed_unix_time = kInside;
  EXPECT_TRUE(Handshake(Endpoint(Role::kClient), server).MutuallyAuthenticated());
  server.seams.fixed_unix_time = kBeforeLeaf;
  HandshakeOutcome outcome = Handshake(Endpoint(Role::kClient), server);
  EXPECT_EQ(ErrorClassOf(outcome.server.status), ErrorClass::kNotYetValid) << outcome.Describe();
  server.seams.fixed_unix_time = kAfterAll;
  outcome = Handshake(Endpoint(Role::kClient), server);
  EXPECT_EQ(ErrorClassOf(outcome.server.status), ErrorClass::kExpired) << outcome.Describe();
}

TEST(MbedtlsClockTest, VerifyPeerChainJudgesValidityAtTheCheckTime) {
  ChainCheck check;
  check.chain_der = Endpoint(Role::kClient).credentials->chain_der;
  check.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  check.peer_role = Role::kClient;
  check.unix_time = kInside;
  EXPECT_TRUE(VerifyPeerChain(check).ok()) << VerifyPeerChain(check);
  check.unix_time = kBeforeLeaf;
  EXPECT_EQ(ErrorClassOf(VerifyPeerChain(check)), ErrorClass::kNotYetValid);
  check.unix_time = kAfterAll;
  EXPECT_EQ(ErrorClassOf(VerifyPeerChain(check)), ErrorClass::kExpired);
}

TEST(MbedtlsSignatureAlgorithmsTest, CodePointTheLibraryLacksIsNamed) {
  EndpointConfig client = Endpoint(Role::kClient);
  client.signature_algorithms = {sigalg::kEcdsaSecp256r1Sha256, sigalg::kEd25519};
  auto context = CreateContext(client);
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_TRUE(absl::StrContains(context.status().message(), "0x0807")) << context.status();
}

TEST(MbedtlsSignatureAlgorithmsTest, ListedAlgorithmCompletes) {
  EndpointConfig client = Endpoint(Role::kClient);
  EndpointConfig server = Endpoint(Role::kServer);
  client.signature_algorithms = server.signature_algorithms = {sigalg::kEcdsaSecp256r1Sha256};
  EXPECT_TRUE(Handshake(client, server).MutuallyAuthenticated());
}

#if MBEDTLS_VERSION_MAJOR >= 3
// 3.x takes schemes, not only hashes: a client that lists only ECDSA does not accept a server
// that can sign only with RSA.
TEST(MbedtlsSignatureAlgorithmsTest, UnlistedSchemeIsRefused) {
  EndpointConfig client = Endpoint(Role::kClient);
  client.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "rsa2048");
  client.signature_algorithms = {sigalg::kEcdsaSecp256r1Sha256};
  EndpointConfig server = Endpoint(Role::kServer, "rsa2048");
  EXPECT_FALSE(Handshake(client, server).client.completed());
}
#endif

}  // namespace
}  // namespace mtls
