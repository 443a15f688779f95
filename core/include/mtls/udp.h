// UDP transport for DTLS with real peers (openssl s_server -dtls, gnutls-serv --udp, libcoap,
// another backend's process) on the system clock: the DatagramTransport counterpart of tcp.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "mtls/backend.h"
#include "mtls/connection_id.h"
#include "mtls/datagram_link.h"

namespace mtls {

// A UDP socket connected to one peer. Write sends one datagram; Read returns one datagram or 0
// when none is waiting (it never blocks: WaitReadable waits); NowUs is the monotonic clock.
class UdpTransport : public DatagramTransport {
 public:
  // A socket connected to host:port (the client's side).
  static absl::StatusOr<std::unique_ptr<UdpTransport>> Connect(const std::string& host,
                                                               uint16_t port, size_t mtu);
  // A socket bound to host:port (port 0: a free one, see port()) that talks to whoever sends it
  // the first datagram (the server's side: one client at a time, see ForgetPeer).
  static absl::StatusOr<std::unique_ptr<UdpTransport>> Bind(const std::string& host, uint16_t port,
                                                            size_t mtu);
  ~UdpTransport() override;
  UdpTransport(const UdpTransport&) = delete;
  UdpTransport& operator=(const UdpTransport&) = delete;

  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override;
  size_t mtu() const override { return mtu_; }
  int64_t NowUs() const override;

  uint16_t port() const { return port_; }
  // A bound socket forgets its peer: the next datagram's sender becomes the peer (a server
  // serving one client after another); the byte counts restart.
  void ForgetPeer();
  // Payload bytes of the datagrams sent and received (UDP and IP headers not counted).
  uint64_t bytes_sent() const { return bytes_sent_; }
  uint64_t bytes_received() const { return bytes_received_; }
  // Waits until a datagram is waiting or `timeout` passed; false on timeout.
  bool WaitReadable(absl::Duration timeout) const;

  // A connected socket moves to a new local port (see port()), still talking to the same peer:
  // what a NAT rebinding does to a client in mid-session.
  absl::Status Rebind();
  // A bound socket also delivers another sender's datagram when its first record carries this
  // Connection ID (its session's HandshakeResult::receive_connection_id); see PeerRoute.
  void AcceptConnectionId(std::vector<uint8_t> connection_id) {
    route_.AcceptConnectionId(std::move(connection_id));
  }
  // The sender of the last datagram delivered by its Connection ID becomes the peer, once the
  // session has authenticated what it carried; false when no such datagram came.
  bool AdoptRoutedSender() { return route_.AdoptRoutedSender(); }
  // The port the peer sends from (0: none yet).
  uint16_t peer_port() const;

 private:
  UdpTransport(int fd, uint16_t port, size_t mtu, bool bound)
      : fd_(fd), port_(port), mtu_(mtu), bound_(bound) {}

  int fd_;
  uint16_t port_;
  size_t mtu_;
  // Made by Bind: a server's socket, never connected, which talks to the first sender (route_)
  // and discards other senders' datagrams until it forgets that peer. (Connecting it instead
  // would cost the port: Linux unbinds a port-0 socket that disconnects.)
  const bool bound_;
  PeerRoute route_;  // senders by their sockaddr's bytes
  uint64_t bytes_sent_ = 0;
  uint64_t bytes_received_ = 0;
};

// Drives a DTLS `session` over `transport` in real time: waits for datagrams up to the library's
// retransmission timer and lets it resend when the timer fires, until the handshake completes,
// fails or `timeout` passes.
HandshakeResult CompleteDatagramHandshake(Session& session, UdpTransport& transport,
                                          absl::Duration timeout);

}  // namespace mtls
