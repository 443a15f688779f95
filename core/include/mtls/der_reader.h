// A minimal DER reader: one element (tag, contents, and the whole encoding) after another; any
// malformed length is an error. Shared by the core's certificate fields and the fuzz oracle's
// independent certificate checks.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/status.h"

namespace mtls::der {

inline constexpr uint8_t kBoolean = 0x01;
inline constexpr uint8_t kInteger = 0x02;
inline constexpr uint8_t kBitString = 0x03;
inline constexpr uint8_t kOctetString = 0x04;
inline constexpr uint8_t kOid = 0x06;
inline constexpr uint8_t kUtcTime = 0x17;
inline constexpr uint8_t kGeneralizedTime = 0x18;
inline constexpr uint8_t kSequence = 0x30;
inline constexpr uint8_t kSet = 0x31;

struct Element {
  uint8_t tag = 0;
  absl::string_view contents;
  absl::string_view encoding;  // tag, length and contents
};

class Reader {
 public:
  explicit Reader(absl::string_view data) : data_(data) {}
  bool empty() const { return data_.empty(); }

  absl::StatusOr<Element> Next() {
    if (data_.size() < 2) return Malformed();
    Element element;
    element.tag = static_cast<uint8_t>(data_[0]);
    size_t length = static_cast<uint8_t>(data_[1]);
    size_t header = 2;
    if (length & 0x80) {
      const size_t length_bytes = length & 0x7f;
      if (length_bytes == 0 || length_bytes > 4 || data_.size() < 2 + length_bytes) {
        return Malformed();
      }
      length = 0;
      for (size_t i = 0; i < length_bytes; ++i) {
        length = (length << 8) | static_cast<uint8_t>(data_[2 + i]);
      }
      header += length_bytes;
    }
    if (data_.size() - header < length) return Malformed();
    element.contents = data_.substr(header, length);
    element.encoding = data_.substr(0, header + length);
    data_.remove_prefix(header + length);
    return element;
  }

  // The next element, which must carry `tag`.
  absl::StatusOr<absl::string_view> Expect(uint8_t tag) {
    auto element = Next();
    if (!element.ok()) return element.status();
    if (element->tag != tag) return Malformed();
    return element->contents;
  }

 private:
  static absl::Status Malformed() { return BadInput("certificate: malformed DER"); }
  absl::string_view data_;
};

}  // namespace mtls::der
