// TCP transport, so the same endpoints talk to real peers (openssl s_server / s_client,
// gnutls-serv / gnutls-cli, another backend's process) over sockets.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "mtls/backend.h"
#include "mtls/transport.h"

namespace mtls {

// A connected, blocking socket with an I/O timeout: Read waits for data, so a session over it
// completes its handshake in one Handshake() call.
class TcpTransport : public Transport {
 public:
  static absl::StatusOr<std::unique_ptr<TcpTransport>> Connect(const std::string& host,
                                                               uint16_t port,
                                                               absl::Duration timeout);
  // Takes ownership of a connected stream socket (e.g. one end of a socketpair).
  static std::unique_ptr<TcpTransport> Adopt(int fd, absl::Duration timeout);
  ~TcpTransport() override;
  TcpTransport(const TcpTransport&) = delete;
  TcpTransport& operator=(const TcpTransport&) = delete;

  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override;

  uint64_t bytes_sent() const { return bytes_sent_; }
  uint64_t bytes_received() const { return bytes_received_; }

 private:
  friend class TcpListener;
  TcpTransport(int fd, absl::Duration timeout);

  int fd_;
  uint64_t bytes_sent_ = 0;
  uint64_t bytes_received_ = 0;
};

class TcpListener {
 public:
  // Port 0 picks a free port; see port().
  static absl::StatusOr<std::unique_ptr<TcpListener>> Listen(const std::string& host,
                                                             uint16_t port);
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  uint16_t port() const { return port_; }
  absl::StatusOr<std::unique_ptr<TcpTransport>> Accept(absl::Duration timeout);

 private:
  TcpListener(int fd, uint16_t port) : fd_(fd), port_(port) {}
  int fd_;
  uint16_t port_;
};

// Drives `session` over a blocking transport until the handshake completes or fails.
HandshakeResult CompleteHandshake(Session& session);

}  // namespace mtls
