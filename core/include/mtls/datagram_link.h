// An in-memory datagram link between a DTLS client and server, with its own virtual clock: what
// DTLS adds to TLS is datagram boundaries, a path MTU, loss and reordering, and retransmission
// timers; a run over this link decides all of them deterministically, so it repeats exactly.
//
// Time is virtual (microseconds since the link was made): it moves only when the driver advances
// it, to the next datagram's arrival or the next retransmission timer. A datagram leaves when the
// link is free, occupies it for its transmission time (wire bytes at the profile's bandwidth)
// and arrives half a round trip later; without a profile it arrives at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "mtls/connection_id.h"
#include "mtls/link_model.h"
#include "mtls/transport.h"
#include "mtls/types.h"

namespace mtls {

// The smallest path MTU the project accepts, OpenSSL's own floor for DTLS (256 bytes). Some
// libraries need more: wolfSSL and Mbed TLS 2.28 never split a ClientHello (200-320 bytes). The
// IPv6 minimum MTU is 1280; 6LoWPAN reaches it by fragmenting below the IP layer, which a
// LinkProfile's framing models.
inline constexpr size_t kMinDatagramMtu = 256;
// The default: what fits in one IPv6 packet of the minimum MTU after IPv6 and UDP headers.
inline constexpr size_t kDefaultDatagramMtu = 1280 - 40 - 8;

// Which datagrams the link loses or reorders. Ordinals count the datagrams sent in one direction
// from 1, retransmissions included; the pseudo-random loss is a fixed sequence for its seed.
struct LossPattern {
  std::vector<uint32_t> drop[2];       // [0] client to server, [1] server to client
  std::vector<uint32_t> hold_back[2];  // delivered after the next datagram in its direction
  std::vector<uint32_t> duplicate[2];  // delivered twice (a replay, or a network's duplicate)
  // The first datagram of these flights (counted from 1 as flight_log() counts them) is lost.
  std::vector<uint32_t> drop_flight_start;
  double loss_rate = 0;  // each datagram also lost with this probability
  uint64_t seed = 1;

  bool empty() const;
};

struct DatagramLinkOptions {
  size_t mtu = kDefaultDatagramMtu;    // largest datagram (UDP payload) the path carries
  std::optional<LinkProfile> profile;  // bandwidth, latency and framing; none: instant
  LossPattern loss;
  bool keep_datagrams = false;  // keep a copy of every datagram sent (DatagramLink::sent)
  // After the handshake the client's address changes (a NAT rebinding) and the client sends one
  // application-data record, which the server answers (RunDatagramHandshake: the server's session
  // routes it by the Connection ID its library negotiated; HandshakeOutcome::rebinding).
  bool rebind_client_after_handshake = false;
};

// Rejects an MTU below kMinDatagramMtu, a loss rate outside [0, 1) and ordinals of 0, with a
// one-line reason.
absl::Status Validate(const DatagramLinkOptions& options);

// A Transport whose writes and reads are whole datagrams, on a link with a virtual clock.
class DatagramTransport : public Transport {
 public:
  // Write sends `data` as one datagram; a datagram larger than the MTU is an error (a DTLS stack
  // must fragment its flights itself). Read returns one whole datagram, or 0 when none has
  // arrived by now; a buffer smaller than the datagram is an error (UDP would truncate it).
  virtual size_t mtu() const = 0;
  // The link's virtual time, in microseconds since it was made: what DTLS timers read.
  virtual int64_t NowUs() const = 0;
};

// Per direction of a datagram link.
struct DatagramCounters {
  uint64_t datagrams = 0;  // sent, lost ones included
  uint64_t bytes = 0;      // payload bytes sent, lost ones included
  uint64_t lost = 0;       // datagrams the link dropped
  uint64_t delivered = 0;  // datagrams the other side read
  size_t largest = 0;      // the largest datagram sent
};

class DatagramLink {
 public:
  explicit DatagramLink(const DatagramLinkOptions& options);
  DatagramTransport& client_end() { return ends_[0]; }
  DatagramTransport& server_end() { return ends_[1]; }

  int64_t NowUs() const { return now_us_; }
  const int64_t* now_us() const { return &now_us_; }  // for ScopedVirtualClock
  // The earliest time a datagram in flight arrives (held-back ones count as arriving once the
  // datagram they wait for has, or at once when none follows); none when nothing is in flight.
  std::optional<int64_t> NextArrivalUs() const;
  // Moves the clock forward to `time_us` (never backwards).
  void AdvanceTo(int64_t time_us);
  // Releases held-back datagrams that nothing followed: the driver calls it when both sides
  // wait, as the network would eventually deliver them.
  void ReleaseHeldBack();

  const DatagramCounters& counters(Role sender) const {
    return counters_[sender == Role::kClient ? 0 : 1];
  }
  // Flights as MemoryDuplex counts them: maximal runs of datagrams in one direction.
  const std::vector<Flight>& flight_log() const { return flight_log_; }
  size_t in_flight(Role receiver) const;
  // The client's address changes (a NAT rebinding): its next datagrams come from a new one, which
  // the server end takes only as server_route() admits them, and the server's datagrams reach the
  // client only while that route's peer is the client's current address.
  void RebindClient();
  PeerRoute& server_route() { return server_route_; }

  // Every datagram `sender` sent, lost ones included, when the options asked to keep them.
  const std::vector<std::vector<uint8_t>>& sent(Role sender) const {
    return sent_[sender == Role::kClient ? 0 : 1];
  }

 private:
  struct Datagram {
    std::vector<uint8_t> bytes;
    int64_t arrival_us;
    uint8_t sender;  // the client's address when it sent it (the server's is always 0)
  };

  class End : public DatagramTransport {
   public:
    End(DatagramLink* link, int write_direction) : link_(link), dir_(write_direction) {}
    absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
    absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override;
    size_t mtu() const override { return link_->options_.mtu; }
    int64_t NowUs() const override { return link_->now_us_; }

   private:
    DatagramLink* link_;
    int dir_;
  };

  bool Lost(int dir, uint32_t ordinal);
  bool rebound() const { return client_address_ != 1; }
  int64_t TransmissionUs(size_t bytes) const;

  DatagramLinkOptions options_;
  int64_t now_us_ = 0;
  int64_t link_free_at_us_[2] = {0, 0};
  std::deque<Datagram> queues_[2];
  std::optional<Datagram> held_[2];
  DatagramCounters counters_[2];
  std::vector<std::vector<uint8_t>> sent_[2];
  std::vector<Flight> flight_log_;
  int last_direction_ = -1;
  uint64_t random_state_;
  uint8_t client_address_ = 1;  // RebindClient moves it on
  PeerRoute server_route_;      // consulted once the client has rebound
  End ends_[2];
};

}  // namespace mtls
