#include "mtls/handshake.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "handshake_side.h"
#include "mtls/status.h"
#include "mtls/wire_view.h"

namespace mtls {
namespace {

using internal::Side;

// A full TLS handshake needs at most a handful of round trips; more rounds without completion
// mean the two sides wait on each other.
constexpr int kMaxRounds = 32;

}  // namespace

bool HandshakeOutcome::MutuallyAuthenticated() const {
  return client.completed() && server.completed() && client.peer_verified && server.peer_verified;
}

bool HandshakeOutcome::ServerAuthenticated() const {
  return client.completed() && server.completed() && client.peer_verified;
}

std::string HandshakeOutcome::Describe() const {
  auto side = [](absl::string_view name, const HandshakeResult& result) {
    if (!result.completed()) {
      return absl::StrCat(name, " failed (", ErrorClassName(ErrorClassOf(result.status)),
                          "): ", result.status.message());
    }
    return absl::StrCat(name,
                        result.peer_verified ? " verified its peer" : " did not verify its peer");
  };
  return absl::StrCat(side("client", client), "; ", side("server", server));
}

HandshakeOutcome RunInMemoryHandshake(Context& client, Context& server,
                                      const HandshakeOptions& options) {
  if (client.config().protocol == Protocol::kDtls) {
    return RunDatagramHandshake(client, server, DatagramLinkOptions{});
  }
  HandshakeOutcome outcome;
  MemoryDuplex duplex;
  std::optional<RecordingTransport> recorders[2];
  Transport* client_end = &duplex.client_end();
  Transport* server_end = &duplex.server_end();
  if (options.observe_wire) {
    client_end = &recorders[0].emplace(duplex.client_end());
    server_end = &recorders[1].emplace(duplex.server_end());
  }
  // The sides' CPU time is split by turns (CpuTimeSplitter); the driver's few instructions between
  // two steps go to the side before them.
  CpuTimeSplitter cpu;
  Side sides[2] = {{heap::Tag::kClient, &outcome.metrics.client_cpu_us, &cpu},
                   {heap::Tag::kServer, &outcome.metrics.server_cpu_us, &cpu}};
  Side& client_side = sides[0];
  Side& server_side = sides[1];
  for (Side& side : sides) side.Begin();
  if (absl::Status opened = client_side.Open(client, *client_end); !opened.ok()) {
    cpu.Finish();
    outcome.client.status = opened;
    return outcome;
  }
  if (absl::Status opened = server_side.Open(server, *server_end); !opened.ok()) {
    cpu.Finish();
    outcome.server.status = opened;
    return outcome;
  }

  for (int round = 0; round < kMaxRounds; ++round) {
    const uint64_t bytes_before = duplex.bytes_client_to_server() + duplex.bytes_server_to_client();
    for (Side& side : sides) {
      if (!side.finished()) side.Step();
    }
    if (client_side.finished() && server_side.finished()) break;
    const bool moved =
        duplex.bytes_client_to_server() + duplex.bytes_server_to_client() != bytes_before;
    if (!moved && duplex.pending_for_client() == 0 && duplex.pending_for_server() == 0) break;
  }
  // A side that completed may still owe or hold data: the server's deferred tickets, the
  // client's view of the server's alert when the server rejected it after the client finished.
  if (server_side.done) server_side.AfterHandshake();
  if (client_side.done) client_side.AfterHandshake();
  if (client_side.done && !server_side.finished()) server_side.Step();
  cpu.ChargeTo(nullptr);  // extracting the results is the harness's work, neither side's

  outcome.client = client_side.session->Result();
  outcome.server = server_side.session->Result();
  for (Side& side : sides) {
    if (!side.finished()) {  // neither done nor failed: it waits for a peer that waits too
      HandshakeResult& result = (&side == &client_side) ? outcome.client : outcome.server;
      result.status = MakeError(absl::StatusCode::kDeadlineExceeded, ErrorClass::kHandshakeFailure,
                                "handshake stalled: both sides wait for the other");
    }
  }
  // The handshake's wire figures end here; close_notify alerts are not part of authenticating.
  outcome.metrics.bytes_c2s = duplex.bytes_client_to_server();
  outcome.metrics.bytes_s2c = duplex.bytes_server_to_client();
  outcome.metrics.flights = duplex.flights();
  outcome.metrics.flight_log = duplex.flight_log();
  outcome.metrics.client_heap = client_side.Heap();
  outcome.metrics.server_heap = server_side.Heap();
  if (options.observe_wire) {
    outcome.wire = ViewHandshake(recorders[0]->written(), recorders[1]->written());
  }
  for (Side& side : sides) side.Close();
  cpu.Finish();
  return outcome;
}

}  // namespace mtls
