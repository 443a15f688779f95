// mtls-client: N mutual-auth handshakes, each on a new connection (TCP; UDP for DTLS), against a
// real server (openssl s_server, gnutls-serv, coap-server, mtls-server, your device). Reports
// latency percentiles, client CPU and bytes per handshake. A handshake counts only if the client
// verified the server and the server accepted the client's certificate (proved by an answer to a
// ping, unless --noping).
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

ABSL_FLAG(std::string, connect, "", "Server address, host:port (required).");
ABSL_FLAG(std::string, server_name, "", "Name the server certificate must carry (default: host).");
ABSL_FLAG(int, count, 10, "Handshakes to run.");
ABSL_FLAG(bool, ping, true,
          "After each handshake send a line and wait for an answer: proves the server accepted "
          "the client certificate (in TLS 1.3 a rejection arrives only after the handshake).");
ABSL_FLAG(int, timeout_ms, 5000, "I/O timeout per connection (DTLS: per handshake and per read).");
ABSL_FLAG(std::string, json, "", "Write the results to this file as JSON.");

namespace mtls {
namespace {

struct Attempt {
  bool verified = false;
  cli::HandshakeSample sample;
  std::string failure;
};

struct Target {
  Protocol protocol;
  std::string host;
  uint16_t port;
  absl::Duration timeout;
  size_t mtu;  // DTLS
};

Attempt RunOne(Context& context, const Target& target) {
  Attempt attempt;
  const absl::Time start = absl::Now();
  auto connection = cli::PeerConnection::Connect(target.protocol, target.host, target.port,
                                                 target.timeout, target.mtu);
  if (!connection.ok()) {
    attempt.failure = std::string(connection.status().message());
    return attempt;
  }
  HandshakeResult result;
  std::unique_ptr<Session> session;
  {
    ScopedCpuTimer timer(&attempt.sample.cpu_us);
    auto created = context.NewSession(connection->transport());
    if (!created.ok()) {
      attempt.failure = std::string(created.status().message());
      return attempt;
    }
    session = *std::move(created);
    result = connection->Handshake(*session);
  }
  attempt.sample.latency_ms = absl::ToDoubleMilliseconds(absl::Now() - start);
  attempt.sample.bytes_c2s = connection->bytes_sent();
  attempt.sample.bytes_s2c = connection->bytes_received();
  if (!result.completed() || !result.peer_verified) {
    attempt.failure = result.completed() ? "server certificate not verified"
                                         : absl::StrCat(ErrorClassName(ErrorClassOf(result.status)),
                                                        ": ", result.status.message());
    return attempt;
  }
  if (absl::GetFlag(FLAGS_ping)) {
    static constexpr absl::string_view kPing = "mtls-bench ping\n";
    auto sent = session->WriteApplicationData(
        absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(kPing.data()), kPing.size()));
    uint8_t answer[64];
    absl::StatusOr<size_t> read = size_t{0};
    if (sent.ok()) read = connection->Read(*session, absl::MakeSpan(answer));
    if (!sent.ok() || !read.ok()) {
      attempt.failure = absl::StrCat("server rejected the connection after the handshake: ",
                                     (!sent.ok() ? sent.status() : read.status()).message());
      return attempt;
    }
    if (*read == 0) {
      attempt.failure = "the server did not answer the ping (DTLS: a rejection may be silent)";
      return attempt;
    }
  }
  session->Close();
  attempt.verified = true;
  return attempt;
}

int Run() {
  if (absl::GetFlag(FLAGS_connect).empty()) cli::Die("--connect host:port is required");
  const auto [host, port] = cli::SplitHostPort(absl::GetFlag(FLAGS_connect), "connect");
  EndpointConfig config = cli::EndpointFromFlags(Role::kClient);
  const Target target{config.protocol, host, port,
                      absl::Milliseconds(absl::GetFlag(FLAGS_timeout_ms)),
                      cli::DatagramMtuFromFlags()};
  const int count = absl::GetFlag(FLAGS_count);
  if (count <= 0) cli::Die("--count must be positive");
  // A raw key, a password or a pre-shared key names no server: nothing to check the name against.
  if (!config.raw_public_keys && !config.srp && !config.psk) {
    config.expected_peer_name =
        absl::GetFlag(FLAGS_server_name).empty() ? host : absl::GetFlag(FLAGS_server_name);
  }
  auto context = CreateContext(config);
  if (!context.ok()) cli::Die(context.status());

  cli::HandshakeTally tally(Role::kClient);
  for (int i = 0; i < count; ++i) {
    const Attempt attempt = RunOne(**context, target);
    if (attempt.verified) {
      tally.Add(attempt.sample);
    } else {
      std::fprintf(stderr, "handshake %d: %s\n", i + 1, attempt.failure.c_str());
    }
  }
  std::printf("%s -> %s:%u: %d/%d handshakes mutually authenticated\n", CurrentBackend().id.c_str(),
              host.c_str(), port, tally.verified(), count);
  tally.Print();
  if (const std::string path = absl::GetFlag(FLAGS_json); !path.empty()) {
    cli::WriteJson(path, Role::kClient, tally.Json(count));
  }
  return tally.verified() == count ? 0 : 1;
}

}  // namespace
}  // namespace mtls

int main(int argc, char** argv) {
  mtls::cli::ParseFlagsOrDie(
      argc, argv,
      "Runs N mutual-auth handshakes against a real TLS or DTLS server and reports latency and "
      "cost.\n"
      "Usage: mtls-client --connect host:port --trust ROOTS.pem --chain CHAIN.pem --key KEY.pem "
      "[--count N] [--server_name NAME] [--json FILE]\n"
      "       [--protocol dtls [--mtu N] [--cid]]\n"
      "   or: --raw_key_peer SERVER.pem --chain OWN.pem --key KEY.pem (raw public keys)\n"
      "   or: --srp_user U --srp_password P --tls_version 1.2 (TLS-SRP)\n"
      "   or: --psk_identity ID --psk_key HEX [--psk_only] (external pre-shared key)\n"
      "Exit status: 0 all handshakes mutually authenticated, 1 some were not, 2 bad input.");
  return mtls::Run();
}
