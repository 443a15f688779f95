// The TLS encoding the attacking peers read and write: code points, big-endian integers,
// length-prefixed vectors, extensions, handshake messages.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "oracle/tls12_messages.h"

namespace mtls::attacker {

namespace message = handshake_type;

inline constexpr uint16_t kTlsAes128GcmSha256 = 0x1301;
inline constexpr uint16_t kEcdheEcdsaAes128GcmSha256 = 0xc02b;
inline constexpr uint16_t kEcdheRsaAes128GcmSha256 = 0xc02f;
inline constexpr uint16_t kX25519 = 0x001d;
inline constexpr uint16_t kP256 = 0x0017;
inline constexpr uint16_t kEcdsaSha1 = 0x0203;
inline constexpr uint16_t kEcdsaSha224 = 0x0303;
inline constexpr uint16_t kEcdsaSha512 = 0x0603;
inline constexpr uint16_t kServerNameExtension = 0x0000;
inline constexpr uint16_t kSupportedGroups = 0x000a;
inline constexpr uint16_t kPointFormats = 0x000b;
inline constexpr uint16_t kSignatureAlgorithms = 0x000d;
inline constexpr uint16_t kExtendedMasterSecret = 0x0017;
inline constexpr uint16_t kSupportedVersions = 0x002b;
inline constexpr uint16_t kKeyShare = 0x0033;
inline constexpr uint16_t kRenegotiationInfo = 0xff01;

std::string Uint(uint64_t value, int bytes);
std::string Vector(absl::string_view contents, int length_bytes);
std::string Extension(uint16_t type, absl::string_view data);
// One handshake message: type, 24-bit length and body, as the transcript hashes it.
std::string HandshakeMessage(uint8_t type, absl::string_view body);

// Reads big-endian integers and length-prefixed vectors; an overrun is remembered (ok() false)
// and reads as zeros and empty strings from then on.
class Cursor {
 public:
  explicit Cursor(absl::string_view data) : data_(data) {}
  uint32_t Int(size_t bytes);
  absl::string_view Bytes(size_t size);
  absl::string_view Vec(size_t length_bytes) { return Bytes(Int(length_bytes)); }
  bool empty() const { return data_.empty(); }
  bool ok() const { return ok_; }

 private:
  absl::string_view data_;
  bool ok_ = true;
};

// The extensions of a hello or CertificateRequest, in order: (type, data).
std::vector<std::pair<uint16_t, absl::string_view>> Extensions(absl::string_view block);
// A list of SignatureScheme values (without its length prefix).
std::vector<uint16_t> SignatureAlgorithmList(absl::string_view data);

// The deterministic stand-in for random bytes: a hash of the seed and a label.
std::string SeededBytes(uint64_t seed, absl::string_view label);

// A protocol error on the attacker's side ("attacking <role>: malformed <what>").
absl::Status Malformed(absl::string_view who, absl::string_view what);

}  // namespace mtls::attacker
