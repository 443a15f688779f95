// mtls-client: N mutual-auth handshakes, each on a new TCP connection, against a real server
// (openssl s_server, gnutls-serv, mtls-server, your device). Reports latency percentiles, client
// CPU and bytes per handshake. A handshake counts only if the client verified the server and
// the server accepted the client's certificate (proved by an answer to a ping, unless --noping).
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "endpoint_common.h"
#include "mtls/backend.h"
#include "mtls/cli.h"
#include "mtls/cpu_time.h"
#include "mtls/status.h"
#include "mtls/tcp.h"

ABSL_FLAG(std::string, connect, "", "Server address, host:port (required).");
ABSL_FLAG(std::string, server_name, "", "Name the server certificate must carry (default: host).");
ABSL_FLAG(int, count, 10, "Handshakes to run.");
ABSL_FLAG(bool, ping, true,
          "After each handshake send a line and wait for an answer: proves the server accepted "
          "the client certificate (in TLS 1.3 a rejection arrives only after the handshake).");
ABSL_FLAG(int, timeout_ms, 5000, "I/O timeout per connection.");
ABSL_FLAG(std::string, json, "", "Write the results to this file as JSON.");

namespace mtls {
namespace {

struct Attempt {
  bool verified = false;
  cli::HandshakeSample sample;
  std::string failure;
};

Attempt RunOne(Context& context, const std::string& host, uint16_t port, absl::Duration timeout) {
  Attempt attempt;
  const absl::Time start = absl::Now();
  auto connection = TcpTransport::Connect(host, port, timeout);
  if (!connection.ok()) {
    attempt.failure = std::string(connection.status().message());
    return attempt;
  }
  HandshakeResult result;
  std::unique_ptr<Session> session;
  {
    ScopedCpuTimer timer(&attempt.sample.cpu_us);
    auto created = context.NewSession(**connection);
    if (!created.ok()) {
      attempt.failure = std::string(created.status().message());
      return attempt;
    }
    session = *std::move(created);
    result = CompleteHandshake(*session);
  }
  attempt.sample.latency_ms = absl::ToDoubleMilliseconds(absl::Now() - start);
  attempt.sample.bytes_c2s = (*connection)->bytes_sent();
  attempt.sample.bytes_s2c = (*connection)->bytes_received();
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
    while (sent.ok() && read.ok() && *read == 0)
      read = session->ReadApplicationData(absl::MakeSpan(answer));
    if (!sent.ok() || !read.ok()) {
      attempt.failure = absl::StrCat("server rejected the connection after the handshake: ",
                                     (!sent.ok() ? sent.status() : read.status()).message());
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
  const int count = absl::GetFlag(FLAGS_count);
  if (count <= 0) cli::Die("--count must be positive");
  EndpointConfig config = cli::EndpointFromFlags(Role::kClient);
  // A raw key or a password names no server: nothing to check the name against.
  if (!config.raw_public_keys && !config.srp) {
    config.expected_peer_name =
        absl::GetFlag(FLAGS_server_name).empty() ? host : absl::GetFlag(FLAGS_server_name);
  }
  auto context = CreateContext(config);
  if (!context.ok()) cli::Die(context.status());

  const absl::Duration timeout = absl::Milliseconds(absl::GetFlag(FLAGS_timeout_ms));
  cli::HandshakeTally tally(Role::kClient);
  for (int i = 0; i < count; ++i) {
    const Attempt attempt = RunOne(**context, host, port, timeout);
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
      "Runs N mutual-auth handshakes against a real TLS server and reports latency and cost.\n"
      "Usage: mtls-client --connect host:port --trust ROOTS.pem --chain CHAIN.pem --key KEY.pem "
      "[--count N] [--server_name NAME] [--json FILE]\n"
      "   or: --raw_key_peer SERVER.pem --chain OWN.pem --key KEY.pem (raw public keys)\n"
      "   or: --srp_user U --srp_password P --tls_version 1.2 (TLS-SRP)\n"
      "Exit status: 0 all handshakes mutually authenticated, 1 some were not, 2 bad input.");
  return mtls::Run();
}
