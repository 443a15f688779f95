#include "oracle/tls12_messages.h"

#include "mtls/status.h"

namespace mtls::oracle {
namespace {

size_t Uint(absl::string_view bytes, size_t at, size_t width) {
  size_t value = 0;
  for (size_t i = 0; i < width; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[at + i]);
  return value;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> CertificateList(absl::string_view body) {
  if (body.size() < 3 || Uint(body, 0, 3) != body.size() - 3) {
    return BadInput("malformed Certificate message");
  }
  body.remove_prefix(3);
  std::vector<std::string> certificates;
  while (!body.empty()) {
    if (body.size() < 3 || body.size() - 3 < Uint(body, 0, 3)) {
      return BadInput("malformed Certificate message");
    }
    const size_t length = Uint(body, 0, 3);
    certificates.emplace_back(body.substr(3, length));
    body.remove_prefix(3 + length);
  }
  return certificates;
}

absl::StatusOr<std::vector<std::string>> Tls13CertificateList(absl::string_view body) {
  if (body.empty() || body.size() < 1u + static_cast<uint8_t>(body[0]) + 3) {
    return BadInput("malformed Certificate message");
  }
  body.remove_prefix(1 + static_cast<uint8_t>(body[0]));  // certificate_request_context
  if (Uint(body, 0, 3) != body.size() - 3) return BadInput("malformed Certificate message");
  body.remove_prefix(3);
  std::vector<std::string> certificates;
  while (!body.empty()) {
    if (body.size() < 3 || body.size() - 3 < Uint(body, 0, 3) + 2) {
      return BadInput("malformed Certificate message");
    }
    const size_t length = Uint(body, 0, 3);
    certificates.emplace_back(body.substr(3, length));
    body.remove_prefix(3 + length);
    const size_t extensions = Uint(body, 0, 2);
    if (body.size() - 2 < extensions) return BadInput("malformed Certificate message");
    body.remove_prefix(2 + extensions);
  }
  return certificates;
}

}  // namespace mtls::oracle
