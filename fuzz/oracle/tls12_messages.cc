#include "tls12_messages.h"

#include "mtls/status.h"

namespace mtls::oracle {
namespace {

constexpr uint8_t kChangeCipherSpec = 20;
constexpr uint8_t kAlert = 21;
constexpr uint8_t kHandshake = 22;

size_t Uint(absl::string_view bytes, size_t at, size_t width) {
  size_t value = 0;
  for (size_t i = 0; i < width; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[at + i]);
  return value;
}

}  // namespace

absl::StatusOr<std::vector<HandshakeMessage>> PlaintextHandshakeMessages(
    absl::string_view records) {
  std::string stream;
  while (records.size() >= 5) {
    const uint8_t type = static_cast<uint8_t>(records[0]);
    const size_t length = Uint(records, 3, 2);
    if (records.size() < 5 + length) break;  // a truncated last record
    if (type == kChangeCipherSpec || type == kAlert) break;
    if (type == kHandshake) stream.append(records.data() + 5, length);
    records.remove_prefix(5 + length);
  }
  std::vector<HandshakeMessage> messages;
  absl::string_view rest(stream);
  while (rest.size() >= 4) {
    const size_t length = Uint(rest, 1, 3);
    if (rest.size() < 4 + length) return BadInput("handshake message longer than its records");
    messages.push_back({static_cast<uint8_t>(rest[0]), std::string(rest.substr(0, 4 + length))});
    rest.remove_prefix(4 + length);
  }
  return messages;
}

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
