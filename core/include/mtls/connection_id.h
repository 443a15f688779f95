// DTLS Connection IDs on the wire: which records carry the identifier a server routes by, so that
// a session survives a change of its client's address (a NAT rebinding) without a new handshake.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/types/span.h"

namespace mtls {

// Whether the first record of `datagram` carries `connection_id`: a DTLS 1.2 record of content
// type tls12_cid (RFC 9146 section 4: the identifier after the sequence number), or a DTLS 1.3
// record with a unified header whose C bit is set (RFC 9147 section 4: right after the first
// byte). The receiver knows its identifier's length; the record does not say it.
bool CarriesConnectionId(absl::Span<const uint8_t> datagram,
                         absl::Span<const uint8_t> connection_id);

// Which datagrams a server's session takes (a bound UdpTransport, the in-memory link's server
// end), by sender address (opaque bytes): its peer's, the first sender's; another sender's only
// when its first record carries the session's Connection ID. That sender becomes the peer only
// once the session has authenticated what it sent: RFC 9146 section 6 lets no unauthenticated
// record redirect the replies.
class PeerRoute {
 public:
  // Whether a datagram from `sender` is the session's.
  bool Admit(const std::vector<uint8_t>& sender, absl::Span<const uint8_t> datagram);
  // From now on another sender's datagram carrying `connection_id` is the session's too (empty:
  // none is).
  void AcceptConnectionId(std::vector<uint8_t> connection_id) {
    connection_id_ = std::move(connection_id);
  }
  // Makes the sender of the last datagram admitted by its Connection ID the peer; false when none
  // came.
  bool AdoptRoutedSender();
  const std::optional<std::vector<uint8_t>>& peer() const { return peer_; }
  // Forgets the peer and the Connection ID: the next sender is a new client.
  void Reset() { *this = PeerRoute(); }

 private:
  std::optional<std::vector<uint8_t>> peer_;
  std::vector<uint8_t> connection_id_;
  std::optional<std::vector<uint8_t>> routed_sender_;
};

}  // namespace mtls
