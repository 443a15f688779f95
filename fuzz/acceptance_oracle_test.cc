// The acceptance oracle agrees with every honest TLS 1.2 handshake between this backend's own
// client and server (each certificate scheme it supports), and calls a violation when the same
// wire bytes carry a broken proof: a CertificateVerify (or ServerKeyExchange) signature that does
// not verify, a chain from a root the side does not trust.
#include "oracle/acceptance_oracle.h"

#include <gtest/gtest.h>

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "driver/byte_transports.h"
#include "driver/side_under_test.h"
#include "mtls/backend.h"
#include "mtls/pki_catalog.h"
#include "mtls/transport.h"
#include "oracle/tls12_messages.h"

namespace mtls::oracle {
namespace {

struct Recorded {
  std::string name;
  fuzz::HandshakeOptions options;
  std::string client_bytes, server_bytes;
};

// One live handshake between this backend's client and server over memory, both directions
// recorded; nullopt when it does not complete with both peers verified.
std::optional<Recorded> LiveHandshake(const fuzz::HandshakeOptions& options) {
  auto client_config = fuzz::SideConfig(Role::kClient, options, /*deterministic=*/false);
  auto server_config = fuzz::SideConfig(Role::kServer, options, /*deterministic=*/false);
  if (!client_config.ok() || !server_config.ok()) return std::nullopt;
  auto client = CreateContext(*client_config);
  auto server = CreateContext(*server_config);
  if (!client.ok() || !server.ok()) return std::nullopt;
  MemoryDuplex duplex;
  RecordingTransport client_wire(duplex.client_end()), server_wire(duplex.server_end());
  auto client_session = (*client)->NewSession(client_wire);
  auto server_session = (*server)->NewSession(server_wire);
  if (!client_session.ok() || !server_session.ok()) return std::nullopt;
  bool client_done = false, server_done = false;
  for (int step = 0; step < 64 && !(client_done && server_done); ++step) {
    for (auto [session, done] : {std::pair{client_session->get(), &client_done},
                                 std::pair{server_session->get(), &server_done}}) {
      if (*done) continue;
      auto finished = session->Handshake();
      if (!finished.ok()) return std::nullopt;
      *done = *finished;
    }
  }
  if (!client_done || !server_done || !(*client_session)->Result().peer_verified ||
      !(*server_session)->Result().peer_verified) {
    return std::nullopt;
  }
  return Recorded{fuzz::OptionsName(options), options, client_wire.written(),
                  server_wire.written()};
}

std::vector<Recorded> HonestTls12Handshakes() {
  std::vector<Recorded> handshakes;
  for (const std::string& scheme : PkiSchemes()) {
    fuzz::HandshakeOptions options;
    options.version = TlsVersion::kTls12;
    options.scheme = scheme;
    options.depth = 2;
    if (!CheckSupported(options).ok()) continue;
    if (auto recorded = LiveHandshake(options)) handshakes.push_back(*std::move(recorded));
  }
  return handshakes;
}

absl::Status Check(Role side, const Recorded& handshake, absl::string_view from_peer,
                   const std::vector<std::string>& anchors) {
  const std::string& from_side =
      side == Role::kServer ? handshake.server_bytes : handshake.client_bytes;
  return CheckPeerAuthentication(side, TlsVersion::kTls12, {from_peer, from_side}, anchors,
                                 static_cast<int64_t>(std::time(nullptr)));
}

// The peer's bytes with the last byte of its first message of `type` flipped (the end of the
// signature it carries).
std::string WithBrokenSignature(const std::string& from_peer, uint8_t type) {
  auto messages = PlaintextHandshakeMessages(from_peer);
  std::string broken = from_peer;
  if (!messages.ok()) return broken;
  for (const HandshakeMessage& message : *messages) {
    if (message.type != type) continue;
    const size_t at = broken.find(message.encoding);
    if (at != std::string::npos) broken[at + message.encoding.size() - 1] ^= 0x01;
    break;
  }
  return broken;
}

// A root of another scheme: the peer's chain does not lead to it.
std::vector<std::string> ForeignAnchors(const fuzz::HandshakeOptions& options) {
  return ShippedRoot(options.scheme == "rsa2048" ? "ecdsa-p256" : "rsa2048");
}

void ExpectOracleJudgesCorrectly(Role side, uint8_t proof_message) {
  const std::vector<Recorded> handshakes = HonestTls12Handshakes();
  if (handshakes.empty()) {
    const absl::Status tls12 = RequireCapability("tls1.2");
    if (!tls12.ok()) GTEST_SKIP() << tls12.message();
    FAIL() << "no honest TLS 1.2 certificate handshake could be recorded";
  }
  for (const Recorded& handshake : handshakes) {
    SCOPED_TRACE(handshake.name);
    const std::string& from_peer =
        side == Role::kServer ? handshake.client_bytes : handshake.server_bytes;
    const auto& anchors = ShippedRoot(handshake.options.scheme);
    const absl::Status honest = Check(side, handshake, from_peer, anchors);
    EXPECT_TRUE(honest.ok()) << honest;
    const absl::Status broken =
        Check(side, handshake, WithBrokenSignature(from_peer, proof_message), anchors);
    EXPECT_TRUE(absl::IsFailedPrecondition(broken)) << broken;
    const absl::Status untrusted =
        Check(side, handshake, from_peer, ForeignAnchors(handshake.options));
    EXPECT_TRUE(absl::IsFailedPrecondition(untrusted)) << untrusted;
  }
}

TEST(AcceptanceOracleTest, ServerSideClaimsAreCheckedAgainstTheClientsProof) {
  ExpectOracleJudgesCorrectly(Role::kServer, handshake_type::kCertificateVerify);
}

TEST(AcceptanceOracleTest, ClientSideClaimsAreCheckedAgainstTheServersProof) {
  ExpectOracleJudgesCorrectly(Role::kClient, handshake_type::kServerKeyExchange);
}

TEST(AcceptanceOracleTest, AcceptingAClientThatProvedNothingIsAViolation) {
  const std::vector<Recorded> handshakes = HonestTls12Handshakes();
  if (handshakes.empty()) {
    const absl::Status tls12 = RequireCapability("tls1.2");
    if (!tls12.ok()) GTEST_SKIP() << tls12.message();
    FAIL() << "no honest TLS 1.2 certificate handshake could be recorded";
  }
  // The client's ClientHello record alone: whatever the server says, nobody proved anything.
  const Recorded& handshake = handshakes.front();
  const std::string& client = handshake.client_bytes;
  ASSERT_GE(client.size(), 5u);
  const size_t first_record =
      5 + ((static_cast<uint8_t>(client[3]) << 8) | static_cast<uint8_t>(client[4]));
  const absl::Status verdict = Check(Role::kServer, handshake, client.substr(0, first_record),
                                     ShippedRoot(handshake.options.scheme));
  EXPECT_TRUE(absl::IsFailedPrecondition(verdict)) << verdict;
}

TEST(AcceptanceOracleTest, Tls13IsNotJudged) {
  EXPECT_TRUE(absl::IsUnimplemented(
      CheckPeerAuthentication(Role::kServer, TlsVersion::kTls13, {"", ""}, {}, 0)));
}

}  // namespace
}  // namespace mtls::oracle
