#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "mtls/status.h"
#include "socket_address.h"
#include "mtls/udp.h"

namespace mtls {
namespace {

absl::Status SocketError(absl::string_view what) {
  return MakeError(absl::StatusCode::kUnavailable, ErrorClass::kHandshakeFailure,
                   absl::StrCat(what, ": ", std::strerror(errno)));
}

uint16_t PortOf(const sockaddr_storage& address) {
  return ntohs(address.ss_family == AF_INET6
                   ? reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port
                   : reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

uint16_t BoundPort(int fd) {
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  return PortOf(bound);
}

absl::Status CheckMtu(size_t mtu) {
  DatagramLinkOptions options;
  options.mtu = mtu;
  return Validate(options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<UdpTransport>> UdpTransport::Connect(const std::string& host,
                                                                    uint16_t port, size_t mtu) {
  MTLS_RETURN_IF_ERROR(CheckMtu(mtu));
  MTLS_ASSIGN_OR_RETURN(addrinfo * address,
                        internal::Resolve(host, port, SOCK_DGRAM, /*passive=*/false));
  const int fd = socket(address->ai_family, address->ai_socktype, address->ai_protocol);
  if (fd < 0 || connect(fd, address->ai_addr, address->ai_addrlen) != 0) {
    absl::Status error = SocketError(absl::StrCat("connect to ", host, ":", port));
    if (fd >= 0) close(fd);
    freeaddrinfo(address);
    return error;
  }
  freeaddrinfo(address);
  return std::unique_ptr<UdpTransport>(new UdpTransport(fd, BoundPort(fd), mtu, false));
}

absl::StatusOr<std::unique_ptr<UdpTransport>> UdpTransport::Bind(const std::string& host,
                                                                 uint16_t port, size_t mtu) {
  MTLS_RETURN_IF_ERROR(CheckMtu(mtu));
  MTLS_ASSIGN_OR_RETURN(addrinfo * address,
                        internal::Resolve(host, port, SOCK_DGRAM, /*passive=*/true));
  const int fd = socket(address->ai_family, address->ai_socktype, address->ai_protocol);
  if (fd < 0 || bind(fd, address->ai_addr, address->ai_addrlen) != 0) {
    absl::Status error = SocketError(absl::StrCat("bind to ", host, ":", port));
    if (fd >= 0) close(fd);
    freeaddrinfo(address);
    return error;
  }
  freeaddrinfo(address);
  return std::unique_ptr<UdpTransport>(new UdpTransport(fd, BoundPort(fd), mtu, true));
}

UdpTransport::~UdpTransport() { close(fd_); }

int64_t UdpTransport::NowUs() const {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
}

absl::StatusOr<size_t> UdpTransport::Write(absl::Span<const uint8_t> data) {
  if (bound_ && !route_.peer()) {
    return absl::FailedPreconditionError("no peer yet: it has sent nothing");
  }
  if (data.size() > mtu_) {
    return MakeError(
        absl::StatusCode::kFailedPrecondition, ErrorClass::kHandshakeFailure,
        absl::StrCat("a datagram of ", data.size(), " bytes exceeds the MTU of ", mtu_));
  }
  ssize_t n;
  do {
    n = bound_ ? sendto(fd_, data.data(), data.size(), MSG_NOSIGNAL,
                        reinterpret_cast<const sockaddr*>(route_.peer()->data()),
                        static_cast<socklen_t>(route_.peer()->size()))
               : send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return SocketError("send");
  bytes_sent_ += static_cast<uint64_t>(n);
  return static_cast<size_t>(n);
}

absl::StatusOr<size_t> UdpTransport::Read(absl::Span<uint8_t> buffer) {
  sockaddr_storage peer{};
  socklen_t length = sizeof(peer);
  ssize_t n;
  do {
    // MSG_TRUNC: the datagram's real size, so a short buffer is an error, never a silent cut.
    n = recvfrom(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT | MSG_TRUNC,
                 reinterpret_cast<sockaddr*>(&peer), &length);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
  // An ICMP port-unreachable for an earlier datagram (a server between two clients, or not up
  // yet): for DTLS that datagram is lost, and its retransmission timer resends it.
  if (n < 0 && errno == ECONNREFUSED) return 0;
  if (n < 0) return SocketError("receive");
  if (static_cast<size_t>(n) > buffer.size()) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorClass::kHandshakeFailure,
                     absl::StrCat("a datagram of ", n, " bytes does not fit the ", buffer.size(),
                                  "-byte read buffer"));
  }
  if (bound_) {  // the first sender becomes the peer; another's datagram is not for this session
    const auto* bytes = reinterpret_cast<const uint8_t*>(&peer);
    if (!route_.Admit(std::vector<uint8_t>(bytes, bytes + length),
                      buffer.first(static_cast<size_t>(n)))) {
      return 0;
    }
  }
  bytes_received_ += static_cast<uint64_t>(n);
  return static_cast<size_t>(n);
}

void UdpTransport::ForgetPeer() {
  route_.Reset();
  bytes_sent_ = bytes_received_ = 0;
}

absl::Status UdpTransport::Rebind() {
  if (bound_) return absl::FailedPreconditionError("a bound (server) socket does not rebind");
  sockaddr_storage peer{};
  socklen_t length = sizeof(peer);
  if (getpeername(fd_, reinterpret_cast<sockaddr*>(&peer), &length) != 0) {
    return SocketError("peer address");
  }
  const int fd = socket(peer.ss_family, SOCK_DGRAM, 0);
  if (fd < 0 || connect(fd, reinterpret_cast<const sockaddr*>(&peer), length) != 0) {
    absl::Status error = SocketError("rebind");
    if (fd >= 0) close(fd);
    return error;
  }
  close(fd_);
  fd_ = fd;
  port_ = BoundPort(fd);
  return absl::OkStatus();
}

uint16_t UdpTransport::peer_port() const {
  sockaddr_storage peer{};
  if (bound_) {
    if (!route_.peer()) return 0;
    std::copy_n(route_.peer()->data(), std::min(route_.peer()->size(), sizeof(peer)),
                reinterpret_cast<uint8_t*>(&peer));
    return PortOf(peer);
  }
  socklen_t length = sizeof(peer);
  return getpeername(fd_, reinterpret_cast<sockaddr*>(&peer), &length) == 0 ? PortOf(peer) : 0;
}

bool UdpTransport::WaitReadable(absl::Duration timeout) const {
  pollfd waiting{fd_, POLLIN, 0};
  const auto ms = std::max<int64_t>(absl::ToInt64Milliseconds(timeout), 0);
  return poll(&waiting, 1, static_cast<int>(std::min<int64_t>(ms, 1 << 30))) > 0;
}

HandshakeResult CompleteDatagramHandshake(Session& session, UdpTransport& transport,
                                          absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    absl::StatusOr<bool> done = session.Handshake();
    if (!done.ok() || *done) return session.Result();
    if (absl::Now() >= deadline) break;
    absl::Duration wait = deadline - absl::Now();
    const std::optional<int64_t> timer = session.RetransmissionTimeoutUs();
    if (timer) wait = std::min(wait, absl::Microseconds(*timer));
    if (!transport.WaitReadable(wait) && timer && absl::Now() < deadline &&
        !session.OnRetransmissionTimeout().ok()) {
      return session.Result();
    }
  }
  HandshakeResult result = session.Result();
  result.status = MakeError(
      absl::StatusCode::kDeadlineExceeded, ErrorClass::kHandshakeFailure,
      absl::StrCat("DTLS handshake did not complete within ", absl::FormatDuration(timeout)));
  return result;
}

}  // namespace mtls
