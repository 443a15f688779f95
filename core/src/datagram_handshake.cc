// The DTLS driver: RunDatagramHandshake (mtls/handshake.h).
#include <algorithm>
#include <optional>

#include "handshake_side.h"
#include "mtls/handshake.h"
#include "mtls/status.h"
#include "mtls/virtual_clock.h"

namespace mtls {
namespace {

using internal::Side;

// Steps without any event: far more than a handshake with every flight lost a few times needs.
constexpr int kMaxSteps = 4096;

uint64_t Activity(const DatagramLink& link) {
  const DatagramCounters& c2s = link.counters(Role::kClient);
  const DatagramCounters& s2c = link.counters(Role::kServer);
  return c2s.datagrams + c2s.delivered + s2c.datagrams + s2c.delivered;
}

// One pass over both sides: an unfinished one advances its handshake; a completed one processes
// what arrives (a repeated flight from a peer that missed its last one makes it resend).
void StepBoth(Side (&sides)[2]) {
  for (Side& side : sides) {
    if (side.failed) continue;
    if (side.done) {
      side.AfterHandshake();
    } else {
      side.Step();
    }
  }
}

// When the side's retransmission timer fires, in the link's virtual time. A completed side's
// timer counts while its peer is still in its handshake: it may owe that peer an answer (RFC 9147
// section 7: a DTLS 1.3 server acknowledges a repeated final flight).
std::optional<int64_t> TimerDeadline(Side& side, const Side& peer, const DatagramLink& link) {
  if (side.failed || (side.done && peer.finished())) return std::nullopt;
  std::optional<int64_t> remaining = side.session->RetransmissionTimeoutUs();
  if (!remaining) return std::nullopt;
  return link.NowUs() + std::max<int64_t>(*remaining, 0);
}

// Reads one application-data record on `reader` while `other` takes what comes its way
// (acknowledgements, tickets), moving the clock to each arrival; whether it matched `expected`
// (false: none came).
bool ReadRecord(DatagramLink& link, Session& reader, Session& other,
                absl::Span<const uint8_t> expected) {
  for (int step = 0; step < kMaxSteps; ++step) {
    uint8_t buffer[64];
    absl::StatusOr<size_t> n = reader.ReadApplicationData(absl::MakeSpan(buffer));
    if (!n.ok()) return false;
    if (*n > 0) return std::equal(expected.begin(), expected.end(), buffer, buffer + *n);
    if (!other.ReadApplicationData(absl::MakeSpan(buffer)).ok()) return false;
    const std::optional<int64_t> next = link.NextArrivalUs();
    if (!next) return false;
    link.AdvanceTo(*next);
  }
  return false;
}

// The client's address changes; as a server routing by Connection ID does, the server's side
// takes records carrying the one its library negotiated from any address, and answers the new
// one once its session has authenticated a record from there.
RebindingOutcome ExchangeAfterRebinding(DatagramLink& link, Session& client, Session& server,
                                        const HandshakeResult& server_result) {
  static constexpr uint8_t kRequest[] = {'r', 'e', 'b', 'o', 'u', 'n', 'd'};
  static constexpr uint8_t kReply[] = {'f', 'o', 'l', 'l', 'o', 'w', 'e', 'd'};
  RebindingOutcome seen;
  link.server_route().AcceptConnectionId(server_result.receive_connection_id);
  link.RebindClient();
  if (!client.WriteApplicationData(kRequest).ok()) return seen;
  seen.server_received = ReadRecord(link, server, client, kRequest);
  if (!seen.server_received) return seen;
  seen.server_followed = link.server_route().AdoptRoutedSender();
  if (!server.WriteApplicationData(kReply).ok()) return seen;
  seen.client_received_reply = ReadRecord(link, client, server, kReply);
  return seen;
}

}  // namespace

HandshakeOutcome RunDatagramHandshake(Context& client, Context& server,
                                      const DatagramLinkOptions& link_options) {
  HandshakeOutcome outcome;
  if (absl::Status valid = Validate(link_options); !valid.ok()) {
    outcome.client.status = outcome.server.status = valid;
    return outcome;
  }
  DatagramLink link(link_options);
  const ScopedVirtualClock clock(link.now_us());
  Side sides[2] = {{heap::Tag::kClient, &outcome.metrics.client_cpu_us},
                   {heap::Tag::kServer, &outcome.metrics.server_cpu_us}};
  Side& client_side = sides[0];
  Side& server_side = sides[1];
  for (Side& side : sides) side.Begin();
  if (absl::Status opened = client_side.Open(client, link.client_end()); !opened.ok()) {
    outcome.client.status = opened;
    return outcome;
  }
  if (absl::Status opened = server_side.Open(server, link.server_end()); !opened.ok()) {
    outcome.server.status = opened;
    return outcome;
  }

  DatagramMetrics datagram;
  std::optional<int64_t> finished_at;  // when both sides had completed or failed
  const char* stalled = nullptr;
  for (int step = 0; step < kMaxSteps; ++step) {
    const uint64_t before = Activity(link);
    StepBoth(sides);
    const bool both_finished = client_side.finished() && server_side.finished();
    if (both_finished && !finished_at) finished_at = link.NowUs();
    // Completed sides go on reading what is still in flight, as real endpoints would.
    const bool in_flight = link.in_flight(Role::kClient) + link.in_flight(Role::kServer) > 0;
    if (both_finished && (client_side.failed || server_side.failed || !in_flight)) break;
    if (Activity(link) != before) continue;
    if (client_side.failed || server_side.failed) {  // nothing left to wait for
      stalled = "the peer failed while this side waited for it";
      break;
    }
    // Both wait: the network delivers what it held back, or time moves to the next event.
    if (in_flight && !link.NextArrivalUs()) link.ReleaseHeldBack();
    std::optional<int64_t> next = link.NextArrivalUs();
    const std::optional<int64_t> timers[2] = {TimerDeadline(client_side, server_side, link),
                                              TimerDeadline(server_side, client_side, link)};
    for (const std::optional<int64_t>& timer : timers) {
      if (timer && (!next || *timer < *next)) next = timer;
    }
    if (!next) {
      stalled = "handshake stalled: both sides wait, no datagram in flight and no timer running";
      break;
    }
    if (*next > kDtlsGiveUpUs) {
      stalled = "handshake gave up: no completion within the virtual time limit";
      break;
    }
    link.AdvanceTo(*next);
    for (int i = 0; i < 2; ++i) {
      if (!timers[i] || *timers[i] > link.NowUs()) continue;
      Side& side = sides[i];
      const Role role = i == 0 ? Role::kClient : Role::kServer;
      const uint64_t sent_before = link.counters(role).datagrams;
      side.Timeout();
      (i == 0 ? datagram.client_retransmissions : datagram.server_retransmissions) +=
          link.counters(role).datagrams - sent_before;
    }
  }
  // What the sides did after both completed (answering a late datagram) is theirs in CPU,
  // datagrams and bytes, but not part of the time to authenticate.
  datagram.duration_us = finished_at.value_or(link.NowUs());

  outcome.client = client_side.session->Result();
  outcome.server = server_side.session->Result();
  for (Side& side : sides) {
    if (side.finished()) continue;
    HandshakeResult& result = (&side == &client_side) ? outcome.client : outcome.server;
    result.status = MakeError(absl::StatusCode::kDeadlineExceeded, ErrorClass::kHandshakeFailure,
                              stalled != nullptr ? stalled : "handshake did not complete");
  }
  datagram.client = link.counters(Role::kClient);
  datagram.server = link.counters(Role::kServer);
  outcome.metrics.bytes_c2s = datagram.client.bytes;
  outcome.metrics.bytes_s2c = datagram.server.bytes;
  outcome.metrics.flight_log = link.flight_log();
  outcome.metrics.flights = static_cast<int>(outcome.metrics.flight_log.size());
  outcome.metrics.client_heap = client_side.Heap();
  outcome.metrics.server_heap = server_side.Heap();
  outcome.metrics.datagram = datagram;
  outcome.client_datagrams = link.sent(Role::kClient);
  outcome.server_datagrams = link.sent(Role::kServer);
  if (link_options.rebind_client_after_handshake && outcome.client.completed() &&
      outcome.server.completed()) {
    outcome.rebinding =
        ExchangeAfterRebinding(link, *client_side.session, *server_side.session, outcome.server);
  }
  for (Side& side : sides) side.Close();
  return outcome;
}

}  // namespace mtls
