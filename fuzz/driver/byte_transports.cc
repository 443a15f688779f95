#include "byte_transports.h"

#include <algorithm>
#include <cstring>

#include "absl/status/status.h"

namespace mtls::fuzz {

absl::StatusOr<size_t> FeedTransport::Write(absl::Span<const uint8_t> data) {
  written_.append(reinterpret_cast<const char*>(data.data()), data.size());
  return data.size();
}

absl::StatusOr<size_t> FeedTransport::Read(absl::Span<uint8_t> buffer) {
  if (feed_.empty()) return absl::OutOfRangeError("end of input");
  const size_t n = std::min(buffer.size(), feed_.size());
  std::memcpy(buffer.data(), feed_.data(), n);
  feed_.remove_prefix(n);
  return n;
}

void AppendDatagram(std::string& stream, absl::Span<const uint8_t> datagram) {
  const size_t length = std::min<size_t>(datagram.size(), 0xffff);
  stream.push_back(static_cast<char>(length >> 8));
  stream.push_back(static_cast<char>(length & 0xff));
  stream.append(reinterpret_cast<const char*>(datagram.data()), length);
}

absl::StatusOr<size_t> DatagramFeedTransport::Write(absl::Span<const uint8_t> data) {
  AppendDatagram(written_, data);
  return data.size();
}

absl::StatusOr<size_t> DatagramFeedTransport::Read(absl::Span<uint8_t> buffer) {
  for (;;) {
    if (feed_.empty()) return absl::OutOfRangeError("end of input");
    size_t length = feed_.size() < 2 ? feed_.size() : size_t{feed_[0]} << 8 | feed_[1];
    feed_.remove_prefix(std::min<size_t>(2, feed_.size()));
    length = std::min(length, feed_.size());
    const absl::Span<const uint8_t> datagram = feed_.first(length);
    feed_.remove_prefix(length);
    if (datagram.empty()) continue;
    if (datagram.size() > buffer.size()) {
      return absl::FailedPreconditionError("a datagram larger than the read buffer");
    }
    std::memcpy(buffer.data(), datagram.data(), datagram.size());
    return datagram.size();
  }
}

}  // namespace mtls::fuzz
