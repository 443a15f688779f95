// Endpoints over real loopback sockets: against each other and against the openssl CLI as a real
// peer (s_server requiring a client certificate, s_client presenting one).
#include "mtls/tcp.h"

#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "child_process.h"
#include "mtls/pki_catalog.h"

namespace mtls {
namespace {

constexpr absl::Duration kTimeout = absl::Seconds(10);

std::string Pki(absl::string_view file) {
  return absl::StrCat(DefaultPkiDir(), "/ecdsa-p256/", file);
}

EndpointConfig Endpoint(Role role) {
  EndpointConfig config;
  config.role = role;
  config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  config.credentials = *LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", role, 1);
  if (role == Role::kClient) config.expected_peer_name = "server.mtls.test";
  return config;
}

std::string ReadExactly(Session& session, size_t size) {
  std::string received;
  while (received.size() < size) {
    uint8_t buffer[256];
    auto n = session.ReadApplicationData(absl::MakeSpan(buffer, size - received.size()));
    if (!n.ok()) break;
    received.append(reinterpret_cast<char*>(buffer), *n);
  }
  return received;
}

absl::Status Send(Session& session, absl::string_view text) {
  return session
      .WriteApplicationData(
          absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(text.data()), text.size()))
      .status();
}

TEST(TcpTest, OwnClientAndServerAuthenticateEachOtherOverLoopback) {
  auto listener = TcpListener::Listen("127.0.0.1", 0);
  ASSERT_TRUE(listener.ok()) << listener.status();
  auto server_context = CreateContext(Endpoint(Role::kServer));
  auto client_context = CreateContext(Endpoint(Role::kClient));
  ASSERT_TRUE(server_context.ok() && client_context.ok());

  HandshakeResult server_result;
  std::string server_received;
  std::thread server([&] {
    auto connection = (*listener)->Accept(kTimeout);
    ASSERT_TRUE(connection.ok()) << connection.status();
    auto session = (*server_context)->NewSession(**connection);
    ASSERT_TRUE(session.ok());
    server_result = CompleteHandshake(**session);
    server_received = ReadExactly(**session, 4);
    ASSERT_TRUE(Send(**session, "pong").ok());
    (*session)->Close();
  });
  auto connection = TcpTransport::Connect("127.0.0.1", (*listener)->port(), kTimeout);
  ASSERT_TRUE(connection.ok()) << connection.status();
  auto session = (*client_context)->NewSession(**connection);
  ASSERT_TRUE(session.ok());
  const HandshakeResult client_result = CompleteHandshake(**session);
  ASSERT_TRUE(Send(**session, "ping").ok());
  EXPECT_EQ(ReadExactly(**session, 4), "pong");
  server.join();

  EXPECT_TRUE(client_result.completed()) << client_result.status;
  EXPECT_TRUE(client_result.peer_verified);
  EXPECT_TRUE(server_result.completed()) << server_result.status;
  EXPECT_TRUE(server_result.peer_verified);
  EXPECT_EQ(server_received, "ping");
  EXPECT_GT((*connection)->bytes_sent(), 500u);
}

TEST(TcpTest, ConnectToClosedPortFailsWithReason) {
  auto listener = TcpListener::Listen("127.0.0.1", 0);
  ASSERT_TRUE(listener.ok());
  const uint16_t port = (*listener)->port();
  listener->reset();  // nobody listens there any more
  auto connection = TcpTransport::Connect("127.0.0.1", port, kTimeout);
  ASSERT_FALSE(connection.ok());
  EXPECT_NE(connection.status().message().find("connect to 127.0.0.1"), absl::string_view::npos);
}

TEST(TcpTest, ClientAuthenticatesAgainstOpensslSServerRequiringClientCert) {
  // -Verify 1 + -verify_return_error: s_server aborts unless our certificate verifies;
  // -rev echoes each line reversed, which proves its side of the handshake completed.
  auto server = testing::ChildProcess::Start(
      {"openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-cert",
       Pki("server-d1.chain.pem"), "-key", Pki("server-d1.key"), "-CAfile", Pki("root.crt"),
       "-Verify", "1", "-verify_return_error", "-rev"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto accept_line = server->WaitForLine("ACCEPT", kTimeout);
  ASSERT_TRUE(accept_line.ok()) << accept_line.status();
  uint32_t port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(accept_line->substr(accept_line->rfind(':') + 1), &port))
      << *accept_line;

  auto context = CreateContext(Endpoint(Role::kClient));
  ASSERT_TRUE(context.ok());
  auto connection = TcpTransport::Connect("127.0.0.1", static_cast<uint16_t>(port), kTimeout);
  ASSERT_TRUE(connection.ok()) << connection.status();
  auto session = (*context)->NewSession(**connection);
  ASSERT_TRUE(session.ok());
  const HandshakeResult result = CompleteHandshake(**session);
  ASSERT_TRUE(result.completed()) << result.status << "\n" << server->output();
  EXPECT_TRUE(result.peer_verified);
  ASSERT_TRUE(Send(**session, "ping\n").ok());
  EXPECT_EQ(ReadExactly(**session, 5), "gnip\n") << server->output();
  (*session)->Close();
}

TEST(TcpTest, ServerAuthenticatesOpensslSClientPresentingACertificate) {
  auto listener = TcpListener::Listen("127.0.0.1", 0);
  ASSERT_TRUE(listener.ok());
  auto context = CreateContext(Endpoint(Role::kServer));
  ASSERT_TRUE(context.ok());
  auto client = testing::ChildProcess::Start(
      {"openssl", "s_client", "-connect", absl::StrCat("127.0.0.1:", (*listener)->port()), "-cert",
       Pki("client-d1.chain.pem"), "-key", Pki("client-d1.key"), "-CAfile", Pki("root.crt"),
       "-verify_return_error", "-verify_hostname", "server.mtls.test", "-quiet", "-no_ign_eof"});
  ASSERT_TRUE(client.ok()) << client.status();

  auto connection = (*listener)->Accept(kTimeout);
  ASSERT_TRUE(connection.ok()) << connection.status();
  auto session = (*context)->NewSession(**connection);
  ASSERT_TRUE(session.ok());
  const HandshakeResult result = CompleteHandshake(**session);
  ASSERT_TRUE(result.completed()) << result.status;
  EXPECT_TRUE(result.peer_verified);
  ASSERT_TRUE(result.peer.has_value());
  EXPECT_EQ(result.peer->dns_names.at(0), "client.mtls.test");

  ASSERT_TRUE(client->WriteStdin("hello\n").ok());
  EXPECT_EQ(ReadExactly(**session, 6), "hello\n");
  client->CloseStdin();
  (*session)->Close();
  EXPECT_EQ(client->Wait(kTimeout), 0) << client->output();
}

TEST(TcpTest, OpensslSServerRejectsAClientWithoutCertificate) {
  auto server = testing::ChildProcess::Start(
      {"openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-cert",
       Pki("server-d1.chain.pem"), "-key", Pki("server-d1.key"), "-CAfile", Pki("root.crt"),
       "-Verify", "1", "-verify_return_error", "-rev"});
  ASSERT_TRUE(server.ok());
  auto accept_line = server->WaitForLine("ACCEPT", kTimeout);
  ASSERT_TRUE(accept_line.ok()) << accept_line.status();
  uint32_t port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(accept_line->substr(accept_line->rfind(':') + 1), &port));

  EndpointConfig config = Endpoint(Role::kClient);
  config.credentials.reset();
  auto context = CreateContext(config);
  ASSERT_TRUE(context.ok());
  auto connection = TcpTransport::Connect("127.0.0.1", static_cast<uint16_t>(port), kTimeout);
  ASSERT_TRUE(connection.ok());
  auto session = (*context)->NewSession(**connection);
  ASSERT_TRUE(session.ok());
  CompleteHandshake(**session);  // TLS 1.3: the client finishes before the server judges it
  // The rejection arrives as an alert on the first read; no echo ever comes back.
  Send(**session, "x\n").IgnoreError();
  uint8_t buffer[2];
  absl::StatusOr<size_t> read = (*session)->ReadApplicationData(absl::MakeSpan(buffer));
  ASSERT_FALSE(read.ok()) << "s_server answered a client without a certificate";
  // An alert, or the connection closed (some stacks report the close they see after it).
  const std::string message = absl::AsciiStrToLower(read.status().message());
  EXPECT_TRUE(absl::StrContains(message, "alert") || absl::StrContains(message, "eof") ||
              absl::StrContains(message, "closed"))
      << read.status();
}

}  // namespace
}  // namespace mtls
