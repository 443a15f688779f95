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

}  // namespace mtls::fuzz
