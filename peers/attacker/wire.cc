#include "attacker/wire.h"

#include "absl/strings/str_cat.h"
#include "attacker/crypto.h"
#include "mtls/status.h"

namespace mtls::attacker {

std::string Uint(uint64_t value, int bytes) {
  std::string out(bytes, '\0');
  for (int i = bytes - 1; i >= 0; --i, value >>= 8) out[i] = char(value & 0xff);
  return out;
}

std::string Vector(absl::string_view contents, int length_bytes) {
  return absl::StrCat(Uint(contents.size(), length_bytes), contents);
}

std::string Extension(uint16_t type, absl::string_view data) {
  return absl::StrCat(Uint(type, 2), Vector(data, 2));
}

std::string HandshakeMessage(uint8_t type, absl::string_view body) {
  return absl::StrCat(std::string(1, char(type)), Uint(body.size(), 3), body);
}

uint32_t Cursor::Int(size_t bytes) {
  if (data_.size() < bytes) {
    ok_ = false;
    data_ = {};
    return 0;
  }
  uint32_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value = (value << 8) | static_cast<uint8_t>(data_[i]);
  data_.remove_prefix(bytes);
  return value;
}

absl::string_view Cursor::Bytes(size_t size) {
  if (data_.size() < size) {
    ok_ = false;
    data_ = {};
    return {};
  }
  absl::string_view out = data_.substr(0, size);
  data_.remove_prefix(size);
  return out;
}

std::vector<std::pair<uint16_t, absl::string_view>> Extensions(absl::string_view block) {
  std::vector<std::pair<uint16_t, absl::string_view>> out;
  Cursor cursor(block);
  while (!cursor.empty() && cursor.ok()) {
    const uint16_t type = static_cast<uint16_t>(cursor.Int(2));
    out.emplace_back(type, cursor.Vec(2));
  }
  return out;
}

std::vector<uint16_t> SignatureAlgorithmList(absl::string_view data) {
  std::vector<uint16_t> out;
  Cursor list(data);
  while (!list.empty() && list.ok()) out.push_back(static_cast<uint16_t>(list.Int(2)));
  return out;
}

std::string SeededBytes(uint64_t seed, absl::string_view label) {
  return Sha256(absl::StrCat(Uint(seed, 8), label));
}

absl::Status Malformed(absl::string_view who, absl::string_view what) {
  return MakeError(absl::StatusCode::kAborted, ErrorClass::kHandshakeFailure,
                   absl::StrCat("attacking ", who, ": malformed ", what));
}

}  // namespace mtls::attacker
