// What a passive observer of the wire learns from the cleartext part of a handshake: evidence
// about resumption, external PSKs and certificates that does not rely on either library's report.
// TLS 1.3 encrypts everything after the ServerHello, so most of what it shows comes from the
// ServerHello; TLS 1.2 shows every handshake message up to ChangeCipherSpec.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/transport.h"
#include "mtls/types.h"

namespace mtls {

// Record content types (RFC 8446 section 5.1).
namespace content_type {
inline constexpr uint8_t kChangeCipherSpec = 20;
inline constexpr uint8_t kAlert = 21;
inline constexpr uint8_t kHandshake = 22;
inline constexpr uint8_t kApplicationData = 23;
}  // namespace content_type

// Handshake message types (RFC 8446 section 4, RFC 5246 section 7.4).
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

struct HandshakeMessage {
  uint8_t type = 0;
  std::string encoding;  // type, 24-bit length and body: what the transcript hashes
  absl::string_view body() const { return absl::string_view(encoding).substr(4); }
};

// The handshake messages of one direction, from its records while they are in the clear: up to
// the first ChangeCipherSpec or alert (encrypted TLS 1.3 records are passed over). `after`, when
// given, receives the records that follow the one that ended the cleartext.
absl::StatusOr<std::vector<HandshakeMessage>> PlaintextHandshakeMessages(
    absl::string_view records, absl::string_view* after = nullptr);

struct WireView {
  bool server_hello = false;         // a ServerHello (not a HelloRetryRequest) was seen
  bool hello_retry_request = false;  // TLS 1.3: the server asked for a second ClientHello
  int client_hellos = 0;
  std::optional<TlsVersion> version;  // from supported_versions, else the legacy version
  uint16_t cipher_suite = 0;
  bool psk_selected = false;  // TLS 1.3: the ServerHello accepts a PSK (pre_shared_key)
  bool key_share = false;     // TLS 1.3: the ServerHello carries an (EC)DHE share
  // TLS 1.2 only (TLS 1.3 encrypts them): messages sent in the clear before ChangeCipherSpec.
  bool server_certificate = false;
  bool server_hello_done = false;  // absent: an abbreviated (resumed) handshake
  bool client_certificate = false;
  // PSK identities: TLS 1.3's offered in the ClientHello and the one the ServerHello selected;
  // TLS 1.2's sent in the ClientKeyExchange of a PSK suite.
  std::vector<std::string> offered_psk_identities;
  int selected_psk_index = -1;
  std::string tls12_psk_identity;
  std::string malformed;  // why the bytes did not parse as TLS records (empty: they did)

  // The identity of the PSK the handshake used (a ticket, for a TLS 1.3 resumption), if any.
  std::optional<std::string> PskIdentityUsed() const;

  // The server accepted a PSK: TLS 1.3's pre_shared_key (a resumed session or an external PSK),
  // TLS 1.2's abbreviated handshake (a resumed session: ServerHello straight to
  // ChangeCipherSpec) or PSK cipher suite (an external PSK).
  bool ServerAcceptedPsk() const;
  bool Tls12Abbreviated() const { return server_hello && !server_hello_done; }
};

// Parses both directions of one handshake (each from its first byte).
WireView ViewHandshake(absl::string_view client_to_server, absl::string_view server_to_client);
// The same for DTLS, from every datagram each side sent (HandshakeOutcome::client_datagrams and
// server_datagrams, lost and resent ones included): the handshake messages of epoch 0,
// reassembled from their fragments. DTLS 1.2 shows what TLS 1.2 does, DTLS 1.3 what TLS 1.3 does.
WireView ViewDatagramHandshake(const std::vector<std::vector<uint8_t>>& client_datagrams,
                               const std::vector<std::vector<uint8_t>>& server_datagrams);

// The key exchange a TLS 1.2 PSK cipher suite names (RFC 4279, 5489, 5487, 7905, 8442):
// "psk", "ecdhe_psk", or empty for a suite that is not a PSK suite.
absl::string_view Tls12PskKeyExchange(uint16_t cipher_suite);

// A transport that passes everything through and keeps a copy of what was written.
class RecordingTransport : public Transport {
 public:
  explicit RecordingTransport(Transport& inner) : inner_(inner) {}
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override { return inner_.Read(buffer); }
  const std::string& written() const { return written_; }

 private:
  Transport& inner_;
  std::string written_;
};

}  // namespace mtls
