// One connection of mtls-client or mtls-server to a real peer, over TCP (TLS) or UDP (DTLS):
// the transport, how a handshake is driven over it, how long a read waits, and its byte counts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "mtls/backend.h"
#include "mtls/tcp.h"
#include "mtls/udp.h"

namespace mtls::cli {

class PeerConnection {
 public:
  static PeerConnection Tcp(std::unique_ptr<TcpTransport> tcp, absl::Duration timeout);
  // The server's side of DTLS: its one socket, whose peer is the client of the moment.
  static PeerConnection Udp(UdpTransport& udp, absl::Duration timeout);
  // The client's side: a connection to host:port (`mtu` is DTLS's path MTU).
  static absl::StatusOr<PeerConnection> Connect(Protocol protocol, const std::string& host,
                                                uint16_t port, absl::Duration timeout, size_t mtu);

  Transport& transport();
  // Drives `session` until its handshake completes or fails (DTLS: or the timeout passes).
  HandshakeResult Handshake(Session& session);
  // Application data, waiting for it (TCP: until the socket's timeout, an error; DTLS: up to the
  // timeout, then 0 bytes); an error when the peer closed or failed.
  absl::StatusOr<size_t> Read(Session& session, absl::Span<uint8_t> buffer);

  uint64_t bytes_sent() const;
  uint64_t bytes_received() const;

 private:
  PeerConnection(std::unique_ptr<Transport> owned, TcpTransport* tcp, UdpTransport* udp,
                 absl::Duration timeout)
      : owned_(std::move(owned)), tcp_(tcp), udp_(udp), timeout_(timeout) {}

  std::unique_ptr<Transport> owned_;
  TcpTransport* tcp_;  // exactly one of these two
  UdpTransport* udp_;
  absl::Duration timeout_;
};

}  // namespace mtls::cli
