// DTLS over real UDP sockets on loopback, in real time: this build's client and server against
// each other, and against the openssl CLI as a real peer (s_server -dtls requiring a client
// certificate, s_client -dtls presenting one).
#include "mtls/udp.h"

#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "child_process.h"
#include "mtls/case_spec.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls {
namespace {

constexpr absl::Duration kTimeout = absl::Seconds(10);
const CaseSpec kDtls12 = {.depth = 1, .protocol = Protocol::kDtls, .version = TlsVersion::kTls12};

std::string Pki(absl::string_view file) {
  return absl::StrCat(DefaultPkiDir(), "/ecdsa-p256/", file);
}

std::unique_ptr<Context> DtlsContext(Role role) {
  auto config = HonestEndpoint(kDtls12, role);
  EXPECT_TRUE(config.ok()) << config.status();
  auto context = CreateContext(*config);
  EXPECT_TRUE(context.ok()) << context.status();
  return context.ok() ? *std::move(context) : nullptr;
}

absl::Status Send(Session& session, absl::string_view text) {
  return session
      .WriteApplicationData(
          absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(text.data()), text.size()))
      .status();
}

// The next application-data record's text, waiting for it in real time ("" when none came).
std::string Receive(Session& session, UdpTransport& transport, absl::Duration timeout = kTimeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    uint8_t buffer[512];
    absl::StatusOr<size_t> n = session.ReadApplicationData(absl::MakeSpan(buffer));
    if (!n.ok()) return "";
    if (*n > 0) return std::string(reinterpret_cast<char*>(buffer), *n);
    transport.WaitReadable(absl::Milliseconds(100));
  }
  return "";
}

class UdpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (absl::Status dtls = RequireCapability("dtls1.2"); !dtls.ok()) {
      GTEST_SKIP() << dtls.message();
    }
  }
};

TEST_F(UdpTest, OwnClientAndServerAuthenticateEachOtherOverLoopback) {
  auto server_transport = UdpTransport::Bind("127.0.0.1", 0, kDefaultDatagramMtu);
  ASSERT_TRUE(server_transport.ok()) << server_transport.status();
  std::unique_ptr<Context> server_context = DtlsContext(Role::kServer);
  std::unique_ptr<Context> client_context = DtlsContext(Role::kClient);
  ASSERT_TRUE(server_context && client_context);

  HandshakeResult server_result;
  std::string server_received;
  std::thread server([&] {
    auto session = server_context->NewSession(**server_transport);
    if (!session.ok()) return;
    server_result = CompleteDatagramHandshake(**session, **server_transport, kTimeout);
    if (!server_result.completed()) return;
    server_received = Receive(**session, **server_transport);
    (void)Send(**session, "pong");
  });
  auto client_transport =
      UdpTransport::Connect("127.0.0.1", (*server_transport)->port(), kDefaultDatagramMtu);
  ASSERT_TRUE(client_transport.ok()) << client_transport.status();
  auto session = client_context->NewSession(**client_transport);
  ASSERT_TRUE(session.ok()) << session.status();
  const HandshakeResult client_result =
      CompleteDatagramHandshake(**session, **client_transport, kTimeout);
  ASSERT_TRUE(client_result.completed()) << client_result.status;
  ASSERT_TRUE(Send(**session, "ping").ok());
  EXPECT_EQ(Receive(**session, **client_transport), "pong");
  server.join();
  EXPECT_TRUE(client_result.peer_verified);
  EXPECT_TRUE(server_result.peer_verified) << server_result.status;
  EXPECT_EQ(client_result.version, TlsVersion::kTls12);
  EXPECT_EQ(server_received, "ping");
}

TEST_F(UdpTest, ClientAuthenticatesAgainstOpensslSServerDtlsRequiringClientCert) {
  // -Verify 1 + -verify_return_error: s_server aborts unless our certificate verifies; it prints
  // what it receives (proof that its side of the handshake completed) and sends its stdin.
  auto server = testing::ChildProcess::Start(
      {"openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:0", "-naccept", "1", "-cert",
       Pki("server-d1.chain.pem"), "-key", Pki("server-d1.key"), "-CAfile", Pki("root.crt"),
       "-Verify", "1", "-verify_return_error", "-mtu", "1232"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto accept_line = server->WaitForLine("ACCEPT", kTimeout);
  ASSERT_TRUE(accept_line.ok()) << accept_line.status();
  uint32_t port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(accept_line->substr(accept_line->rfind(':') + 1), &port))
      << *accept_line;

  std::unique_ptr<Context> context = DtlsContext(Role::kClient);
  ASSERT_TRUE(context);
  auto transport =
      UdpTransport::Connect("127.0.0.1", static_cast<uint16_t>(port), kDefaultDatagramMtu);
  ASSERT_TRUE(transport.ok()) << transport.status();
  auto session = context->NewSession(**transport);
  ASSERT_TRUE(session.ok()) << session.status();
  const HandshakeResult result = CompleteDatagramHandshake(**session, **transport, kTimeout);
  ASSERT_TRUE(result.completed()) << result.status << "\n" << server->output();
  EXPECT_TRUE(result.peer_verified);
  ASSERT_TRUE(Send(**session, "ping\n").ok());
  EXPECT_TRUE(server->WaitForLine("ping", kTimeout).ok()) << server->output();
  ASSERT_TRUE(server->WriteStdin("pong\n").ok());
  EXPECT_EQ(Receive(**session, **transport), "pong\n") << server->output();
  (*session)->Close();
}

TEST_F(UdpTest, ServerAuthenticatesOpensslSClientDtlsPresentingACertificate) {
  auto transport = UdpTransport::Bind("127.0.0.1", 0, kDefaultDatagramMtu);
  ASSERT_TRUE(transport.ok()) << transport.status();
  std::unique_ptr<Context> context = DtlsContext(Role::kServer);
  ASSERT_TRUE(context);
  auto client = testing::ChildProcess::Start(
      {"openssl", "s_client", "-dtls1_2", "-connect",
       absl::StrCat("127.0.0.1:", (*transport)->port()), "-cert", Pki("client-d1.chain.pem"),
       "-key", Pki("client-d1.key"), "-CAfile", Pki("root.crt"), "-verify_return_error",
       "-verify_hostname", "server.mtls.test", "-quiet", "-no_ign_eof", "-mtu", "1232"});
  ASSERT_TRUE(client.ok()) << client.status();

  auto session = context->NewSession(**transport);
  ASSERT_TRUE(session.ok()) << session.status();
  const HandshakeResult result = CompleteDatagramHandshake(**session, **transport, kTimeout);
  ASSERT_TRUE(result.completed()) << result.status << "\n" << client->output();
  EXPECT_TRUE(result.peer_verified);
  ASSERT_TRUE(result.peer.has_value());
  EXPECT_EQ(result.peer->dns_names.at(0), "client.mtls.test");
  ASSERT_TRUE(client->WriteStdin("hello\n").ok());
  EXPECT_EQ(Receive(**session, **transport), "hello\n");
  client->CloseStdin();
  (*session)->Close();
}

// A NAT rebinding in mid-session: after the handshake and one exchange, the client's datagrams
// come from a new port. What each side saw.
struct Rebinding {
  HandshakeResult client, server;
  uint16_t port_before = 0, port_after = 0;  // the client's
  std::string received_after;                // by the server, from the new port
  bool sender_adopted = false;               // the server's replies now go to the new port
  uint16_t server_peer_port = 0;
  std::string reply_after;  // by the client, at its new port
};

absl::StatusOr<Rebinding> RunRebinding(TlsVersion version, bool connection_id,
                                       absl::Duration wait_after) {
  const CaseSpec spec = {.depth = 1, .protocol = Protocol::kDtls, .version = version};
  std::unique_ptr<Context> contexts[2];
  for (Role role : {Role::kClient, Role::kServer}) {
    MTLS_ASSIGN_OR_RETURN(EndpointConfig config, HonestEndpoint(spec, role));
    config.dtls.connection_id = connection_id;
    MTLS_ASSIGN_OR_RETURN(contexts[role == Role::kClient ? 0 : 1], CreateContext(config));
  }
  MTLS_ASSIGN_OR_RETURN(auto server_transport,
                        UdpTransport::Bind("127.0.0.1", 0, kDefaultDatagramMtu));
  Rebinding seen;
  std::thread server([&] {
    auto session = contexts[1]->NewSession(*server_transport);
    if (!session.ok()) return;
    seen.server = CompleteDatagramHandshake(**session, *server_transport, kTimeout);
    if (!seen.server.completed()) return;
    // As a server routing by Connection ID does: from now on, records carrying the one its
    // library negotiated belong to this session, whatever their sender.
    server_transport->AcceptConnectionId(seen.server.receive_connection_id);
    if (Receive(**session, *server_transport) != "before") return;
    if (!Send(**session, "before").ok()) return;
    seen.received_after = Receive(**session, *server_transport, wait_after);
    // The session authenticated the record: only now may the replies follow its sender.
    if (!seen.received_after.empty()) {
      seen.sender_adopted = server_transport->AdoptRoutedSender();
      (void)Send(**session, "after");
    }
    seen.server_peer_port = server_transport->peer_port();
  });
  auto client_transport =
      UdpTransport::Connect("127.0.0.1", server_transport->port(), kDefaultDatagramMtu);
  absl::StatusOr<std::unique_ptr<Session>> session =
      client_transport.ok() ? contexts[0]->NewSession(**client_transport)
                            : absl::StatusOr<std::unique_ptr<Session>>(client_transport.status());
  if (session.ok()) {
    seen.client = CompleteDatagramHandshake(**session, **client_transport, kTimeout);
    if (seen.client.completed() && Send(**session, "before").ok() &&
        Receive(**session, **client_transport) == "before") {
      seen.port_before = (*client_transport)->port();
      if ((*client_transport)->Rebind().ok() && Send(**session, "after").ok()) {
        seen.port_after = (*client_transport)->port();
        seen.reply_after = Receive(**session, **client_transport, wait_after);
      }
    }
  }
  server.join();
  if (!session.ok()) return session.status();
  return seen;
}

class UdpRebindingTest : public ::testing::TestWithParam<TlsVersion> {};

TEST_P(UdpRebindingTest, ConnectionIdKeepsTheSessionAcrossAnAddressChange) {
  absl::StatusOr<Rebinding> seen = RunRebinding(GetParam(), /*connection_id=*/true, kTimeout);
  if (seen.status().code() == absl::StatusCode::kUnimplemented) {
    GTEST_SKIP() << seen.status().message();  // the library's reason (the adapter's Unsupported)
  }
  ASSERT_TRUE(seen.ok()) << seen.status();
  ASSERT_TRUE(seen->client.completed() && seen->server.completed())
      << seen->client.status << " / " << seen->server.status;
  EXPECT_TRUE(seen->client.peer_verified && seen->server.peer_verified);
  EXPECT_EQ(seen->server.version, GetParam());
  // Each library reports an identifier negotiated for its side.
  EXPECT_FALSE(seen->server.receive_connection_id.empty());
  EXPECT_FALSE(seen->client.receive_connection_id.empty());
  ASSERT_NE(seen->port_after, 0);
  EXPECT_NE(seen->port_after, seen->port_before);
  EXPECT_EQ(seen->received_after, "after");  // routed by the identifier, then authenticated
  EXPECT_TRUE(seen->sender_adopted);
  EXPECT_EQ(seen->server_peer_port, seen->port_after);
  EXPECT_EQ(seen->reply_after, "after");  // the reply followed the client: no new handshake
}

TEST_P(UdpRebindingTest, WithoutConnectionIdARebindingLosesTheSession) {
  absl::StatusOr<Rebinding> seen =
      RunRebinding(GetParam(), /*connection_id=*/false, absl::Milliseconds(500));
  if (seen.status().code() == absl::StatusCode::kUnimplemented) {
    GTEST_SKIP() << seen.status().message();
  }
  ASSERT_TRUE(seen.ok()) << seen.status();
  ASSERT_TRUE(seen->client.completed() && seen->server.completed())
      << seen->client.status << " / " << seen->server.status;
  EXPECT_TRUE(seen->server.receive_connection_id.empty());
  EXPECT_TRUE(seen->client.receive_connection_id.empty());
  EXPECT_NE(seen->port_after, seen->port_before);
  // Another sender's datagram without the identifier is not this session's.
  EXPECT_EQ(seen->received_after, "");
  EXPECT_EQ(seen->server_peer_port, seen->port_before);
  EXPECT_EQ(seen->reply_after, "");
}

INSTANTIATE_TEST_SUITE_P(Dtls, UdpRebindingTest,
                         ::testing::Values(TlsVersion::kTls12, TlsVersion::kTls13),
                         [](const ::testing::TestParamInfo<TlsVersion>& param) {
                           return param.param == TlsVersion::kTls12 ? "DTLSv1_2" : "DTLSv1_3";
                         });

TEST(UdpTransportTest, AServerTalksToItsFirstPeerAndChecksTheMtu) {
  auto server = UdpTransport::Bind("127.0.0.1", 0, 300);
  ASSERT_TRUE(server.ok()) << server.status();
  auto client = UdpTransport::Connect("127.0.0.1", (*server)->port(), 300);
  ASSERT_TRUE(client.ok()) << client.status();
  const std::vector<uint8_t> big(301, 1);
  EXPECT_FALSE((*client)->Write(big).ok());
  const uint8_t hello[] = {1, 2, 3};
  EXPECT_FALSE((*server)->Write(hello).ok());  // nobody to answer yet
  ASSERT_TRUE((*client)->Write(hello).ok());
  ASSERT_TRUE((*server)->WaitReadable(kTimeout));
  uint8_t buffer[16];
  EXPECT_EQ(*(*server)->Read(absl::MakeSpan(buffer)), 3u);
  ASSERT_TRUE((*server)->Write(hello).ok());  // to the peer it heard from
  ASSERT_TRUE((*client)->WaitReadable(kTimeout));
  EXPECT_EQ(*(*client)->Read(absl::MakeSpan(buffer)), 3u);
  EXPECT_EQ(*(*client)->Read(absl::MakeSpan(buffer)), 0u);     // nothing waiting: 0, not blocking
  EXPECT_FALSE(UdpTransport::Bind("127.0.0.1", 0, 100).ok());  // MTU below the minimum
}

TEST(UdpTransportTest, AServerServesOneClientAtATimeAndCountsItsBytes) {
  auto server = UdpTransport::Bind("127.0.0.1", 0, 300);
  ASSERT_TRUE(server.ok()) << server.status();
  auto first = UdpTransport::Connect("127.0.0.1", (*server)->port(), 300);
  auto second = UdpTransport::Connect("127.0.0.1", (*server)->port(), 300);
  ASSERT_TRUE(first.ok() && second.ok());
  const uint8_t one[] = {1}, two[] = {2, 2};
  uint8_t buffer[16];
  ASSERT_TRUE((*first)->Write(one).ok());
  ASSERT_TRUE((*server)->WaitReadable(kTimeout));
  EXPECT_EQ(*(*server)->Read(absl::MakeSpan(buffer)), 1u);
  ASSERT_TRUE((*second)->Write(two).ok());  // while the first is served: not for this session
  ASSERT_TRUE((*server)->WaitReadable(kTimeout));
  EXPECT_EQ(*(*server)->Read(absl::MakeSpan(buffer)), 0u);
  EXPECT_EQ((*server)->bytes_received(), 1u);

  (*server)->ForgetPeer();  // the next sender is the next client
  EXPECT_EQ((*server)->bytes_received(), 0u);
  ASSERT_TRUE((*second)->Write(two).ok());
  ASSERT_TRUE((*server)->WaitReadable(kTimeout));
  EXPECT_EQ(*(*server)->Read(absl::MakeSpan(buffer)), 2u);
  ASSERT_TRUE((*server)->Write(one).ok());
  ASSERT_TRUE((*second)->WaitReadable(kTimeout));
  EXPECT_EQ(*(*second)->Read(absl::MakeSpan(buffer)), 1u);
  EXPECT_FALSE((*first)->WaitReadable(absl::Milliseconds(50)));  // the answer went to the second
  EXPECT_EQ((*server)->bytes_sent(), 1u);
  EXPECT_EQ((*second)->bytes_sent(), 4u);
}

TEST(UdpTransportTest, AServerRoutesARecordWithItsConnectionIdFromAnotherSender) {
  auto server = UdpTransport::Bind("127.0.0.1", 0, 300);
  ASSERT_TRUE(server.ok()) << server.status();
  auto client = UdpTransport::Connect("127.0.0.1", (*server)->port(), 300);
  ASSERT_TRUE(client.ok()) << client.status();
  const std::vector<uint8_t> cid = {'s', 'r', 'v', 'r'};
  (*server)->AcceptConnectionId(cid);
  // A DTLS 1.3 record with the identifier, and the same without its C bit.
  const std::vector<uint8_t> with_cid = {0x3f, 's', 'r', 'v', 'r', 0, 1, 0, 1, 0xaa};
  std::vector<uint8_t> without_cid = with_cid;
  without_cid[0] = 0x2f;
  uint8_t buffer[16];
  ASSERT_TRUE((*client)->Write(without_cid).ok());
  ASSERT_TRUE((*server)->WaitReadable(kTimeout));
  EXPECT_EQ(*(*server)->Read(absl::MakeSpan(buffer)), without_cid.size());  // its first peer
  const uint16_t first_port = (*client)->port();
  EXPECT_EQ((*server)->peer_port(), first_port);
  EXPECT_FALSE((*server)->AdoptRoutedSender());  // nothing came by its identifier yet

  ASSERT_TRUE((*client)->Rebind().ok());
  EXPECT_NE((*client)->port(), first_port);
  EXPECT_EQ((*client)->peer_port(), (*server)->port());
  ASSERT_TRUE((*client)->Write(without_cid).ok());  // from the new port, no identifier: dropped
  ASSERT_TRUE((*server)->WaitReadable(kTimeout));
  EXPECT_EQ(*(*server)->Read(absl::MakeSpan(buffer)), 0u);
  ASSERT_TRUE((*client)->Write(with_cid).ok());  // with it: delivered, the peer not yet moved
  ASSERT_TRUE((*server)->WaitReadable(kTimeout));
  EXPECT_EQ(*(*server)->Read(absl::MakeSpan(buffer)), with_cid.size());
  EXPECT_EQ((*server)->peer_port(), first_port);
  EXPECT_TRUE((*server)->AdoptRoutedSender());
  EXPECT_EQ((*server)->peer_port(), (*client)->port());
  ASSERT_TRUE((*server)->Write(with_cid).ok());
  ASSERT_TRUE((*client)->WaitReadable(kTimeout));
  EXPECT_EQ(*(*client)->Read(absl::MakeSpan(buffer)), with_cid.size());
  EXPECT_FALSE((*server)->Rebind().ok());  // only a connected socket rebinds
}

}  // namespace
}  // namespace mtls
