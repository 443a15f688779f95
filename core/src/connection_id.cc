#include "mtls/connection_id.h"

#include <algorithm>
#include <cstddef>

namespace mtls {
namespace {

constexpr uint8_t kTls12CidContentType = 25;  // RFC 9146 section 10
// DTLS 1.2 record header before the identifier: type, version, epoch, sequence number.
constexpr size_t kTls12CidOffset = 1 + 2 + 2 + 6;
// RFC 9147 section 4: a unified header's first byte is 001CSLEE.
constexpr uint8_t kUnifiedHeaderMask = 0xe0, kUnifiedHeaderBits = 0x20, kCidBit = 0x10;
constexpr size_t kUnifiedHeaderCidOffset = 1;

bool ConnectionIdAt(absl::Span<const uint8_t> datagram, size_t offset,
                    absl::Span<const uint8_t> connection_id) {
  return datagram.size() >= offset + connection_id.size() &&
         std::equal(connection_id.begin(), connection_id.end(), datagram.begin() + offset);
}

}  // namespace

bool CarriesConnectionId(absl::Span<const uint8_t> datagram,
                         absl::Span<const uint8_t> connection_id) {
  if (datagram.empty() || connection_id.empty()) return false;
  if (datagram[0] == kTls12CidContentType) {
    return ConnectionIdAt(datagram, kTls12CidOffset, connection_id);
  }
  if ((datagram[0] & kUnifiedHeaderMask) == kUnifiedHeaderBits && (datagram[0] & kCidBit) != 0) {
    return ConnectionIdAt(datagram, kUnifiedHeaderCidOffset, connection_id);
  }
  return false;
}

bool PeerRoute::Admit(const std::vector<uint8_t>& sender, absl::Span<const uint8_t> datagram) {
  if (!peer_) {
    peer_ = sender;
    return true;
  }
  if (sender == *peer_) return true;
  if (!CarriesConnectionId(datagram, connection_id_)) return false;
  routed_sender_ = sender;
  return true;
}

bool PeerRoute::AdoptRoutedSender() {
  if (!routed_sender_) return false;
  peer_ = std::move(routed_sender_);
  routed_sender_.reset();
  return true;
}

}  // namespace mtls
