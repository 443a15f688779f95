#include "datagram_case.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "mtls/types.h"

namespace mtls::conformance {
namespace {

// DTLS 1.2's HelloVerifyRequest: a handshake record (content type 22) whose message, after the
// 13-byte record header, is of type 3 (RFC 6347 section 4.2.1).
bool IsHelloVerifyRequest(const std::vector<uint8_t>& datagram) {
  return datagram.size() > 13 && datagram[0] == 22 && datagram[13] == 3;
}

}  // namespace

absl::StatusOr<DatagramPlan> PlanDatagramCase(const Case& c, Context& client, Context& server) {
  DatagramPlan plan;
  plan.link = c.datagram_link;
  plan.link.keep_datagrams = true;  // for the wire view (ViewDatagramHandshake)
  if (c.lost_handshake_flight == 0 && c.datagram_link.loss.drop_flight_start.empty()) return plan;
  DatagramLinkOptions lossless;
  lossless.mtu = c.datagram_link.mtu;
  lossless.profile = c.datagram_link.profile;
  lossless.keep_datagrams = true;
  const HandshakeOutcome reference = RunDatagramHandshake(client, server, lossless);
  if (!reference.client.completed() || !reference.server.completed()) {
    return absl::FailedPreconditionError(
        absl::StrCat("DTLS: the lossless handshake the case's loss is placed in failed: ",
                     reference.Describe()));
  }
  plan.lossless_flights = reference.metrics.flight_log;
  plan.lossless_datagrams[0] = reference.metrics.datagram->client.datagrams;
  plan.lossless_datagrams[1] = reference.metrics.datagram->server.datagrams;
  if (c.lost_handshake_flight != 0) {
    // A cookie exchange, asked for or not (wolfSSL's DTLS 1.2 server always makes one): its two
    // flights come before the handshake's own, which the case counts.
    const bool cookie_exchange = !reference.server_datagrams.empty() &&
                                 IsHelloVerifyRequest(reference.server_datagrams.front());
    plan.link.loss.drop_flight_start.push_back(c.lost_handshake_flight + (cookie_exchange ? 2 : 0));
  }
  for (uint32_t flight : plan.link.loss.drop_flight_start) {
    if (flight > plan.lossless_flights.size()) {
      return absl::FailedPreconditionError(absl::StrCat("DTLS: the case loses link flight ", flight,
                                                        " of a handshake of ",
                                                        plan.lossless_flights.size(), " flights"));
    }
  }
  return plan;
}

std::optional<std::string> DatagramExpectationMissed(const Case& c, const DatagramPlan& plan,
                                                     const HandshakeOutcome& outcome) {
  if (!outcome.metrics.datagram) return std::nullopt;
  const DatagramMetrics& link = *outcome.metrics.datagram;
  for (uint32_t flight : plan.link.loss.drop_flight_start) {
    const Role sender = plan.lossless_flights[flight - 1].sender;
    const DatagramCounters& sent = sender == Role::kClient ? link.client : link.server;
    const uint64_t lossless = plan.lossless_datagrams[sender == Role::kClient ? 0 : 1];
    if (sent.lost == 0 || sent.datagrams <= lossless) {
      return absl::StrCat("DTLS: the case loses the first datagram of link flight ", flight,
                          ", the ", RoleName(sender), "'s, which lost ", sent.lost, " and sent ",
                          sent.datagrams, " datagrams (", lossless,
                          " without the loss): nothing was lost and resent");
    }
  }
  if (c.datagram_link.rebind_client_after_handshake) {
    if (!outcome.rebinding) return "DTLS: the client's address never changed";
    const RebindingOutcome& rebinding = *outcome.rebinding;
    if (outcome.server.receive_connection_id.empty()) {
      return "DTLS: the server's library reports no Connection ID negotiated";
    }
    if (!rebinding.server_received) {
      return "DTLS: after the client's address changed, its record did not reach the server's "
             "session (it carried no Connection ID the server negotiated, or did not "
             "authenticate)";
    }
    if (!rebinding.server_followed || !rebinding.client_received_reply) {
      return "DTLS: the server's answer did not reach the client at its new address";
    }
  }
  if (c.expect_fragmentation && link.server.datagrams <= 2) {
    return absl::StrCat("DTLS: the server's flights fit ", link.server.datagrams,
                        " datagrams at an MTU of ", c.datagram_link.mtu,
                        ": its certificate flight was not fragmented");
  }
  return std::nullopt;
}

}  // namespace mtls::conformance
