// The handshake messages of one direction of a TLS 1.2 connection, read from its records up to
// its ChangeCipherSpec (after which they are encrypted); the certificate lists of TLS 1.2 and
// TLS 1.3 Certificate messages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mtls::oracle {

struct HandshakeMessage {
  uint8_t type = 0;
  std::string encoding;  // type, 24-bit length and body: what the transcript hashes
  absl::string_view body() const { return absl::string_view(encoding).substr(4); }
};

// TLS HandshakeType values (RFC 8446 section 4, RFC 5246 section 7.4), shared with the attacking
// peers (fuzz/attacker).
namespace handshake_type {
inline constexpr uint8_t kClientHello = 1;
inline constexpr uint8_t kServerHello = 2;
inline constexpr uint8_t kEncryptedExtensions = 8;
inline constexpr uint8_t kCertificate = 11;
inline constexpr uint8_t kServerKeyExchange = 12;
inline constexpr uint8_t kCertificateRequest = 13;
inline constexpr uint8_t kServerHelloDone = 14;
inline constexpr uint8_t kCertificateVerify = 15;
inline constexpr uint8_t kClientKeyExchange = 16;
inline constexpr uint8_t kFinished = 20;
}  // namespace handshake_type

absl::StatusOr<std::vector<HandshakeMessage>> PlaintextHandshakeMessages(absl::string_view records);

// The certificates of a TLS 1.2 Certificate message body, leaf first.
absl::StatusOr<std::vector<std::string>> CertificateList(absl::string_view body);
// The same of a TLS 1.3 one (request context, then entries with their extensions).
absl::StatusOr<std::vector<std::string>> Tls13CertificateList(absl::string_view body);

}  // namespace mtls::oracle
