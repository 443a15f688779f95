#include "mtls/tcp.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "mtls/status.h"
#include "socket_address.h"

namespace mtls {
namespace {

absl::Status SocketError(absl::string_view what) {
  return MakeError(absl::StatusCode::kUnavailable, ErrorClass::kHandshakeFailure,
                   absl::StrCat(what, ": ", std::strerror(errno)));
}

absl::Status Timeout(absl::string_view what) {
  return MakeError(absl::StatusCode::kDeadlineExceeded, ErrorClass::kHandshakeFailure,
                   absl::StrCat(what, ": timed out"));
}

}  // namespace

TcpTransport::TcpTransport(int fd, absl::Duration timeout) : fd_(fd) {
  const timeval tv = absl::ToTimeval(timeout);
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  const int one = 1;  // handshake flights are small; do not let Nagle hold them back
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

TcpTransport::~TcpTransport() { close(fd_); }

std::unique_ptr<TcpTransport> TcpTransport::Adopt(int fd, absl::Duration timeout) {
  return std::unique_ptr<TcpTransport>(new TcpTransport(fd, timeout));
}

absl::StatusOr<std::unique_ptr<TcpTransport>> TcpTransport::Connect(const std::string& host,
                                                                    uint16_t port,
                                                                    absl::Duration timeout) {
  auto addresses = internal::Resolve(host, port, SOCK_STREAM, /*passive=*/false);
  if (!addresses.ok()) return addresses.status();
  absl::Status last_error = absl::UnavailableError("no address");
  for (addrinfo* address = *addresses; address != nullptr; address = address->ai_next) {
    const int fd = socket(address->ai_family, address->ai_socktype, address->ai_protocol);
    if (fd < 0) continue;
    const timeval tv = absl::ToTimeval(timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));  // bounds connect() too
    if (connect(fd, address->ai_addr, address->ai_addrlen) == 0) {
      freeaddrinfo(*addresses);
      return std::unique_ptr<TcpTransport>(new TcpTransport(fd, timeout));
    }
    last_error = SocketError(absl::StrCat("connect to ", host, ":", port));
    close(fd);
  }
  freeaddrinfo(*addresses);
  return last_error;
}

absl::StatusOr<size_t> TcpTransport::Write(absl::Span<const uint8_t> data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Timeout("send");
    if (n < 0) return SocketError("send");
    sent += static_cast<size_t>(n);
  }
  bytes_sent_ += sent;
  return sent;
}

absl::StatusOr<size_t> TcpTransport::Read(absl::Span<uint8_t> buffer) {
  while (true) {
    const ssize_t n = recv(fd_, buffer.data(), buffer.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Timeout("receive");
    if (n < 0) return SocketError("receive");
    if (n == 0) {
      return MakeError(absl::StatusCode::kUnavailable, ErrorClass::kHandshakeFailure,
                       "peer closed the connection");
    }
    bytes_received_ += static_cast<uint64_t>(n);
    return static_cast<size_t>(n);
  }
}

absl::StatusOr<std::unique_ptr<TcpListener>> TcpListener::Listen(const std::string& host,
                                                                 uint16_t port) {
  auto addresses = internal::Resolve(host, port, SOCK_STREAM, /*passive=*/true);
  if (!addresses.ok()) return addresses.status();
  addrinfo* address = *addresses;
  const int fd = socket(address->ai_family, address->ai_socktype, address->ai_protocol);
  if (fd < 0) {
    freeaddrinfo(*addresses);
    return SocketError("socket");
  }
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd, address->ai_addr, address->ai_addrlen) != 0 || listen(fd, 16) != 0) {
    absl::Status error = SocketError(absl::StrCat("listen on ", host, ":", port));
    freeaddrinfo(*addresses);
    close(fd);
    return error;
  }
  freeaddrinfo(*addresses);
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  const uint16_t bound_port =
      ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                        : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return std::unique_ptr<TcpListener>(new TcpListener(fd, bound_port));
}

TcpListener::~TcpListener() { close(fd_); }

absl::StatusOr<std::unique_ptr<TcpTransport>> TcpListener::Accept(absl::Duration timeout) {
  pollfd waiting{fd_, POLLIN, 0};
  const int rc = poll(&waiting, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (rc == 0) return Timeout("accept");
  if (rc < 0) return SocketError("poll");
  const int fd = accept(fd_, nullptr, nullptr);
  if (fd < 0) return SocketError("accept");
  return std::unique_ptr<TcpTransport>(new TcpTransport(fd, timeout));
}

HandshakeResult CompleteHandshake(Session& session) {
  // Over a blocking transport each call makes progress or fails; the bound only guards
  // against a backend that keeps asking to be called again.
  for (int attempt = 0; attempt < 64; ++attempt) {
    absl::StatusOr<bool> done = session.Handshake();
    if (!done.ok() || *done) break;
  }
  return session.Result();
}

}  // namespace mtls
