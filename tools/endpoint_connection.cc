#include "endpoint_connection.h"

#include <utility>

namespace mtls::cli {

PeerConnection PeerConnection::Tcp(std::unique_ptr<TcpTransport> tcp, absl::Duration timeout) {
  TcpTransport* borrowed = tcp.get();
  return PeerConnection(std::move(tcp), borrowed, nullptr, timeout);
}

PeerConnection PeerConnection::Udp(UdpTransport& udp, absl::Duration timeout) {
  return PeerConnection(nullptr, nullptr, &udp, timeout);
}

absl::StatusOr<PeerConnection> PeerConnection::Connect(Protocol protocol, const std::string& host,
                                                       uint16_t port, absl::Duration timeout,
                                                       size_t mtu) {
  if (protocol == Protocol::kDtls) {
    auto udp = UdpTransport::Connect(host, port, mtu);
    if (!udp.ok()) return udp.status();
    UdpTransport* borrowed = udp->get();
    return PeerConnection(*std::move(udp), nullptr, borrowed, timeout);
  }
  auto tcp = TcpTransport::Connect(host, port, timeout);
  if (!tcp.ok()) return tcp.status();
  return Tcp(*std::move(tcp), timeout);
}

Transport& PeerConnection::transport() {
  if (udp_) return *udp_;
  return *tcp_;
}

HandshakeResult PeerConnection::Handshake(Session& session) {
  if (udp_) return CompleteDatagramHandshake(session, *udp_, timeout_);
  return CompleteHandshake(session);  // the socket's own timeout bounds each read
}

absl::StatusOr<size_t> PeerConnection::Read(Session& session, absl::Span<uint8_t> buffer) {
  if (!udp_) {  // each read blocks up to the socket's timeout; a record without data reads 0
    absl::StatusOr<size_t> read = size_t{0};
    while (read.ok() && *read == 0) read = session.ReadApplicationData(buffer);
    return read;
  }
  // A datagram may carry no application data (a resent Finished, an alert): wait again.
  const absl::Time deadline = absl::Now() + timeout_;
  while (udp_->WaitReadable(deadline - absl::Now())) {
    absl::StatusOr<size_t> read = session.ReadApplicationData(buffer);
    if (!read.ok() || *read > 0) return read;
  }
  return 0;
}

uint64_t PeerConnection::bytes_sent() const {
  return udp_ ? udp_->bytes_sent() : tcp_->bytes_sent();
}

uint64_t PeerConnection::bytes_received() const {
  return udp_ ? udp_->bytes_received() : tcp_->bytes_received();
}

}  // namespace mtls::cli
