// mtls-server: serves mutual-auth TLS to real clients (openssl s_client, gnutls-cli, mtls-client,
// your device): requires and verifies a client certificate, echoes what the client sends, and
// reports latency percentiles, server CPU and bytes per handshake.
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli.h"
#include "endpoint_common.h"
#include "mtls/backend.h"
#include "mtls/cpu_time.h"
#include "mtls/status.h"
#include "mtls/tcp.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "Address to listen on, host:port (port 0: any).");
ABSL_FLAG(int, count, 1, "Connections to serve before exiting (0: serve until killed).");
ABSL_FLAG(bool, no_client_auth, false, "Server-auth-only baseline: ask for no client certificate.");
ABSL_FLAG(int, timeout_ms, 10000, "How long to wait for a connection and for each read.");
ABSL_FLAG(std::string, json, "", "Write the results to this file as JSON.");

namespace mtls {
namespace {

struct Served {
  bool verified = false;
  double latency_ms = 0;
  double cpu_us = 0;
  uint64_t bytes_c2s = 0, bytes_s2c = 0;
  std::string client;
  std::string failure;
};

// Echoes application data until the client closes or goes quiet.
void Echo(Session& session) {
  uint8_t buffer[4096];
  while (true) {
    auto read = session.ReadApplicationData(absl::MakeSpan(buffer));
    if (!read.ok() || *read == 0) return;
    if (!session.WriteApplicationData(absl::MakeConstSpan(buffer, *read)).ok()) return;
  }
}

Served ServeOne(Context& context, TcpTransport& connection, bool require_client) {
  Served served;
  const absl::Time start = absl::Now();
  HandshakeResult result;
  std::unique_ptr<Session> session;
  {
    ScopedCpuTimer timer(&served.cpu_us);
    auto created = context.NewSession(connection);
    if (!created.ok()) {
      served.failure = std::string(created.status().message());
      return served;
    }
    session = *std::move(created);
    result = CompleteHandshake(*session);
  }
  served.latency_ms = absl::ToDoubleMilliseconds(absl::Now() - start);
  served.bytes_c2s = connection.bytes_received();
  served.bytes_s2c = connection.bytes_sent();
  if (!result.completed()) {
    served.failure = absl::StrCat(ErrorClassName(ErrorClassOf(result.status)), ": ",
                                  result.status.message());
    return served;
  }
  if (require_client && !result.peer_verified) {
    served.failure = "client certificate not verified";
    return served;
  }
  if (result.peer) served.client = result.peer->subject;
  served.verified = true;
  Echo(*session);
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
  auto context = CreateContext(config);
  if (!context.ok()) cli::Die(context.status());
  auto listener = TcpListener::Listen(host, port);
  if (!listener.ok()) cli::Die(listener.status());
  std::printf("listening on %s:%u\n", host.c_str(), (*listener)->port());
  std::fflush(stdout);

  const absl::Duration timeout = absl::Milliseconds(absl::GetFlag(FLAGS_timeout_ms));
  std::vector<double> latencies;
  double cpu_us = 0;
  uint64_t bytes_c2s = 0, bytes_s2c = 0;
  int verified = 0;
  int served_count = 0;
  for (; count == 0 || served_count < count; ++served_count) {
    auto connection = (*listener)->Accept(count == 0 ? absl::InfiniteDuration() : timeout);
    if (!connection.ok()) {
      std::fprintf(stderr, "mtls-server: %s\n", std::string(connection.status().message()).c_str());
      break;
    }
    const Served served = ServeOne(**context, **connection, require_client);
    if (!served.verified) {
      std::printf("connection %d: rejected: %s\n", served_count + 1, served.failure.c_str());
      continue;
    }
    ++verified;
    std::printf("connection %d: authenticated %s\n", served_count + 1,
                served.client.empty() ? "(no client certificate)" : served.client.c_str());
    std::fflush(stdout);
    latencies.push_back(served.latency_ms);
    cpu_us += served.cpu_us;
    bytes_c2s += served.bytes_c2s;
    bytes_s2c += served.bytes_s2c;
  }
  const cli::LatencySummary latency = cli::Summarise(latencies);
  const double n = std::max(verified, 1);
  std::printf("%s: %d/%d connections %s\n", CurrentBackend().id.c_str(), verified, served_count,
              require_client ? "mutually authenticated" : "served (server-auth only)");
  if (verified > 0) {
    std::printf("latency ms: mean %.3f p50 %.3f p90 %.3f p99 %.3f max %.3f\n", latency.mean_ms,
                latency.p50_ms, latency.p90_ms, latency.p99_ms, latency.max_ms);
    std::printf("per handshake: server_cpu_us %.0f bytes_c2s %.0f bytes_s2c %.0f\n", cpu_us / n,
                bytes_c2s / n, bytes_s2c / n);
  }
  if (const std::string path = absl::GetFlag(FLAGS_json); !path.empty()) {
    cli::WriteJson(path, Role::kServer,
                   {{"connections", served_count},
                    {"verified", verified},
                    {"mutual_auth_verified", require_client && verified == served_count ? 1 : 0},
                    {"latency_ms", cli::ToJson(latency)},
                    {"server_cpu_us", cpu_us / n},
                    {"bytes_c2s", bytes_c2s / n},
                    {"bytes_s2c", bytes_s2c / n}});
  }
  return served_count > 0 && verified == served_count ? 0 : 1;
}

}  // namespace
}  // namespace mtls

int main(int argc, char** argv) {
  mtls::cli::ParseFlagsOrDie(
      argc, argv,
      "Serves mutual-auth TLS to real clients and reports latency and cost per handshake.\n"
      "Usage: mtls-server --listen host:port --trust ROOTS.pem --chain CHAIN.pem --key KEY.pem "
      "[--count N] [--json FILE]\n"
      "Exit status: 0 every connection mutually authenticated, 1 otherwise, 2 bad input.");
  return mtls::Run();
}
