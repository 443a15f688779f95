// mtls-server: serves mutual-auth TLS over TCP, or DTLS over UDP, to real clients (openssl
// s_client, gnutls-cli, coap-client, mtls-client, your device): requires and verifies a client
// certificate, echoes what the client sends, and reports latency percentiles, server CPU and bytes
// per handshake. DTLS clients are served one after another on one socket.
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "endpoint_common.h"
#include "endpoint_connection.h"
#include "mtls/backend.h"
#include "mtls/cli.h"
#include "mtls/cpu_time.h"
#include "mtls/status.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "Address to listen on, host:port (port 0: any).");
ABSL_FLAG(int, count, 1, "Connections to serve before exiting (0: serve until killed).");
ABSL_FLAG(bool, no_client_auth, false, "Server-auth-only baseline: ask for no client certificate.");
ABSL_FLAG(int, timeout_ms, 10000,
          "How long to wait for a connection and for each read (DTLS: and for each handshake).");
ABSL_FLAG(bool, cookie, false,
          "DTLS: answer a ClientHello with a cookie to echo first (HelloVerifyRequest / "
          "HelloRetryRequest) and keep no state until it comes back.");
ABSL_FLAG(std::string, json, "", "Write the results to this file as JSON.");

namespace mtls {
namespace {

struct Served {
  bool verified = false;
  cli::HandshakeSample sample;
  std::string client;
  std::string failure;
};

// Echoes application data until the client closes or goes quiet.
void Echo(Session& session, cli::PeerConnection& connection) {
  uint8_t buffer[4096];
  while (true) {
    auto read = connection.Read(session, absl::MakeSpan(buffer));
    if (!read.ok() || *read == 0) return;
    if (!session.WriteApplicationData(absl::MakeConstSpan(buffer, *read)).ok()) return;
  }
}

Served ServeOne(Context& context, cli::PeerConnection& connection, bool require_client) {
  Served served;
  const absl::Time start = absl::Now();
  HandshakeResult result;
  std::unique_ptr<Session> session;
  {
    ScopedCpuTimer timer(&served.sample.cpu_us);
    auto created = context.NewSession(connection.transport());
    if (!created.ok()) {
      served.failure = std::string(created.status().message());
      return served;
    }
    session = *std::move(created);
    result = connection.Handshake(*session);
  }
  served.sample.latency_ms = absl::ToDoubleMilliseconds(absl::Now() - start);
  served.sample.bytes_c2s = connection.bytes_received();
  served.sample.bytes_s2c = connection.bytes_sent();
  if (!result.completed()) {
    served.failure =
        absl::StrCat(ErrorClassName(ErrorClassOf(result.status)), ": ", result.status.message());
    return served;
  }
  if (require_client && !result.peer_verified) {
    served.failure = "client not verified";
    return served;
  }
  if (result.peer) {
    served.client = result.peer->subject;
  } else if (!result.peer_raw_public_key.empty()) {
    served.client = "raw public key";
  } else if (!result.srp_username.empty()) {
    served.client = absl::StrCat("SRP user ", result.srp_username);
  } else if (!result.psk_identity.empty()) {
    served.client = absl::StrCat("PSK identity ", result.psk_identity);
  }
  served.verified = true;
  Echo(*session, connection);
  session->Close();
  return served;
}

int Run() {
  const auto [host, port] = cli::SplitHostPort(absl::GetFlag(FLAGS_listen), "listen");
  const int count = absl::GetFlag(FLAGS_count);
  if (count < 0) cli::Die("--count must not be negative");
  const bool require_client = !absl::GetFlag(FLAGS_no_client_auth);
  EndpointConfig config = cli::EndpointFromFlags(Role::kServer);
  config.client_auth = require_client ? ClientAuth::kRequired : ClientAuth::kNone;
  config.dtls.cookie_exchange = absl::GetFlag(FLAGS_cookie);
  if (config.protocol == Protocol::kTls && config.dtls.cookie_exchange) {
    cli::Die("--cookie needs --protocol dtls");
  }
  auto context = CreateContext(config);
  if (!context.ok()) cli::Die(context.status());
  const absl::Duration timeout = absl::Milliseconds(absl::GetFlag(FLAGS_timeout_ms));
  const absl::Duration wait_for_client = count == 0 ? absl::InfiniteDuration() : timeout;
  // TCP: a listener; DTLS: the one socket every client in turn talks to.
  std::unique_ptr<TcpListener> listener;
  std::unique_ptr<UdpTransport> socket;
  if (config.protocol == Protocol::kDtls) {
    auto bound = UdpTransport::Bind(host, port, cli::DatagramMtuFromFlags());
    if (!bound.ok()) cli::Die(bound.status());
    socket = *std::move(bound);
  } else {
    auto listening = TcpListener::Listen(host, port);
    if (!listening.ok()) cli::Die(listening.status());
    listener = *std::move(listening);
  }
  std::printf("listening on %s:%u (%s)\n", host.c_str(),
              listener ? listener->port() : socket->port(),
              std::string(ProtocolName(config.protocol)).c_str());
  std::fflush(stdout);

  cli::HandshakeTally tally(Role::kServer);
  int served_count = 0;
  for (; count == 0 || served_count < count; ++served_count) {
    absl::StatusOr<cli::PeerConnection> connection = absl::UnavailableError("");
    if (listener) {
      auto accepted = listener->Accept(wait_for_client);
      if (accepted.ok()) {
        connection = cli::PeerConnection::Tcp(*std::move(accepted), timeout);
      } else {
        connection = accepted.status();
      }
    } else if (socket->ForgetPeer(); !socket->WaitReadable(wait_for_client)) {
      connection = absl::DeadlineExceededError(
          absl::StrCat("no DTLS client within ", absl::FormatDuration(wait_for_client)));
    } else {
      connection = cli::PeerConnection::Udp(*socket, timeout);
    }
    if (!connection.ok()) {
      std::fprintf(stderr, "mtls-server: %s\n", std::string(connection.status().message()).c_str());
      break;
    }
    const Served served = ServeOne(**context, *connection, require_client);
    if (!served.verified) {
      std::printf("connection %d: rejected: %s\n", served_count + 1, served.failure.c_str());
      continue;
    }
    tally.Add(served.sample);
    std::printf("connection %d: authenticated %s\n", served_count + 1,
                served.client.empty() ? "(no client certificate)" : served.client.c_str());
    std::fflush(stdout);
  }
  std::printf("%s: %d/%d connections %s\n", CurrentBackend().id.c_str(), tally.verified(),
              served_count,
              require_client ? "mutually authenticated" : "served (server-auth only)");
  tally.Print();
  if (const std::string path = absl::GetFlag(FLAGS_json); !path.empty()) {
    nlohmann::json results = tally.Json(served_count);
    if (!require_client) results["mutual_auth_verified"] = 0;  // the baseline is not mTLS
    cli::WriteJson(path, Role::kServer, results);
  }
  return served_count > 0 && tally.verified() == served_count ? 0 : 1;
}
}  // namespace
}  // namespace mtls

int main(int argc, char** argv) {
  mtls::cli::ParseFlagsOrDie(
      argc, argv,
      "Serves mutual-auth TLS or DTLS to real clients and reports latency and cost per "
      "handshake.\n"
      "Usage: mtls-server --listen host:port --trust ROOTS.pem --chain CHAIN.pem --key KEY.pem "
      "[--count N] [--json FILE]\n"
      "       [--protocol dtls [--mtu N] [--cookie] [--cid]]\n"
      "   or: --raw_key_peer CLIENT.pem --chain OWN.pem --key KEY.pem (raw public keys)\n"
      "   or: --srp_user U --srp_password P --tls_version 1.2 (TLS-SRP)\n"
      "   or: --psk_identity ID --psk_key HEX [--psk_only] (external pre-shared key)\n"
      "Exit status: 0 every connection mutually authenticated, 1 otherwise, 2 bad input.");
  return mtls::Run();
}
