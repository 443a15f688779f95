// DTLS cases over the datagram link: where a case's loss falls, and what the link must show.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cases.h"
#include "mtls/backend.h"
#include "mtls/datagram_link.h"
#include "mtls/handshake.h"

namespace mtls::conformance {

// A DTLS case's link with its loss in place, and the lossless handshake that placed it.
struct DatagramPlan {
  DatagramLinkOptions link;
  // Loss cases only: what the lossless handshake sent (flights; datagrams per side).
  std::vector<Flight> lossless_flights;
  uint64_t lossless_datagrams[2] = {0, 0};  // [0] client, [1] server
};

// Loss cases (Case::lost_handshake_flight, LossPattern::drop_flight_start) first run a lossless
// handshake between `client` and `server`: it finds the link flight of the case's handshake
// flight past any cookie exchange, and what the loss is measured against. No resumption: the
// second handshake must be a full one too.
absl::StatusOr<DatagramPlan> PlanDatagramCase(const Case& c, Context& client, Context& server);

// What the link did not show that the case needs: each lost flight's sender lost a datagram and
// sent more than over the lossless link (by timer, or answering its peer's repeat or gap), the
// server's certificate flight took more than one datagram, or after a rebinding the session went
// on by the Connection ID the server's library reports.
std::optional<std::string> DatagramExpectationMissed(const Case& c, const DatagramPlan& plan,
                                                     const HandshakeOutcome& outcome);

}  // namespace mtls::conformance
