// Transports for driving one side of a handshake from recorded bytes.
#pragma once

#include <cstdint>
#include <string>

#include "absl/types/span.h"
#include "mtls/datagram_link.h"
#include "mtls/transport.h"
#include "mtls/wire_view.h"  // RecordingTransport

namespace mtls::fuzz {

// Serves a fixed byte string as the peer's side of the connection and keeps what the side under
// test writes. Reading past the end is end of stream, so a handshake either finishes or fails.
class FeedTransport : public Transport {
 public:
  explicit FeedTransport(absl::Span<const uint8_t> feed) : feed_(feed) {}
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override;
  const std::string& written() const { return written_; }

 private:
  absl::Span<const uint8_t> feed_;
  std::string written_;
};

// A DTLS input's datagrams: each after its length, two bytes big-endian.
void AppendDatagram(std::string& stream, absl::Span<const uint8_t> datagram);

// FeedTransport for DTLS: serves the length-prefixed datagrams of `feed` one per read (a length
// beyond the input takes the rest; an empty datagram is skipped, as UDP delivers none) and keeps
// what the side under test sends, length-prefixed alike. Its clock stands still, so no
// retransmission timer fires; reading past the end is an error, which ends the handshake.
class DatagramFeedTransport : public DatagramTransport {
 public:
  explicit DatagramFeedTransport(absl::Span<const uint8_t> feed) : feed_(feed) {}
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override;
  size_t mtu() const override { return kDefaultDatagramMtu; }
  int64_t NowUs() const override { return 0; }
  const std::string& written() const { return written_; }

 private:
  absl::Span<const uint8_t> feed_;
  std::string written_;
};

}  // namespace mtls::fuzz
