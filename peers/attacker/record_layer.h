// The attacking peers' TLS record layer: plaintext records, AES-128-GCM records in the TLS 1.2
// (explicit nonce) and TLS 1.3 (inner content type) forms, and handshake messages reassembled
// from what the peer sends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/transport.h"
#include "mtls/types.h"
#include "mtls/wire_view.h"  // content_type

namespace mtls::attacker {

struct TrafficKeys {
  std::string key;  // 16 bytes
  std::string iv;   // TLS 1.3: 12 bytes; TLS 1.2: the 4-byte implicit part
};

class RecordLayer {
 public:
  RecordLayer(Transport& transport, TlsVersion version)
      : transport_(transport), version_(version) {}

  // Protects what is written (read) from now on; TLS 1.2 reads switch at the peer's
  // ChangeCipherSpec instead, to the keys given here.
  void ProtectWrites(TrafficKeys keys);
  void ProtectReads(TrafficKeys keys);

  absl::Status Write(uint8_t type, absl::string_view fragment);
  // The next whole handshake message from the peer; nullopt while more bytes are needed. An
  // alert, a record that does not authenticate or end of stream is an error.
  absl::StatusOr<std::optional<std::string>> NextHandshakeMessage();

 private:
  struct Direction {
    std::optional<TrafficKeys> keys;
    uint64_t sequence = 0;
  };
  std::string Nonce(const Direction& direction, absl::string_view explicit_part) const;
  absl::Status ReadAvailable();
  absl::Status TakeRecord(uint8_t type, absl::string_view payload);

  Transport& transport_;
  TlsVersion version_;
  Direction write_, read_;
  std::optional<TrafficKeys> pending_read_keys_;  // TLS 1.2: until the ChangeCipherSpec
  std::string inbox_;                             // unparsed record bytes
  std::string handshake_bytes_;                   // reassembled handshake stream
};

}  // namespace mtls::attacker
