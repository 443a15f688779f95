#include "mtls/wire_view.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "mtls/status.h"

namespace mtls {
namespace {

constexpr uint16_t kExtensionPreSharedKey = 41;
constexpr uint16_t kExtensionSupportedVersions = 43;
constexpr uint16_t kExtensionKeyShare = 51;
// RFC 8446 4.1.3: a HelloRetryRequest is a ServerHello with this random.
constexpr std::array<uint8_t, 32> kHelloRetryRandom = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

// Reads big-endian integers and byte strings; every read past the end leaves it failed.
class Cursor {
 public:
  explicit Cursor(absl::string_view data) : data_(data) {}
  bool failed() const { return failed_; }
  size_t left() const { return data_.size(); }

  uint32_t Number(size_t bytes) {
    if (data_.size() < bytes) return Fail();
    uint32_t value = 0;
    for (size_t i = 0; i < bytes; ++i) value = (value << 8) | static_cast<uint8_t>(data_[i]);
    data_.remove_prefix(bytes);
    return value;
  }
  absl::string_view Bytes(size_t size) {
    if (data_.size() < size) return Fail(), absl::string_view();
    absl::string_view bytes = data_.substr(0, size);
    data_.remove_prefix(size);
    return bytes;
  }
  absl::string_view Prefixed(size_t length_bytes) { return Bytes(Number(length_bytes)); }

 private:
  uint32_t Fail() {
    failed_ = true;
    data_ = {};
    return 0;
  }
  absl::string_view data_;
  bool failed_ = false;
};

// DTLS's versions report as TLS's (the protocol is the endpoint's): 1.2 is 0xfefd, 1.3 0xfefc.
std::optional<TlsVersion> VersionOf(uint32_t wire_version) {
  if (wire_version == 0x0304 || wire_version == 0xfefc) return TlsVersion::kTls13;
  if (wire_version == 0x0303 || wire_version == 0xfefd) return TlsVersion::kTls12;
  return std::nullopt;
}

void ReadServerHello(absl::string_view body, WireView& view) {
  Cursor hello(body);
  const uint32_t legacy_version = hello.Number(2);
  const absl::string_view random = hello.Bytes(32);
  hello.Prefixed(1);  // legacy_session_id_echo
  const uint16_t cipher_suite = static_cast<uint16_t>(hello.Number(2));
  hello.Number(1);  // compression
  if (hello.failed()) {
    view.malformed = "truncated ServerHello";
    return;
  }
  if (random == absl::string_view(reinterpret_cast<const char*>(kHelloRetryRandom.data()),
                                  kHelloRetryRandom.size())) {
    view.hello_retry_request = true;
    return;  // the ServerHello proper follows
  }
  view.server_hello = true;
  view.cipher_suite = cipher_suite;
  view.version = VersionOf(legacy_version);
  if (hello.left() == 0) return;  // no extensions
  Cursor extensions(hello.Prefixed(2));
  bool malformed = hello.failed();
  while (!malformed && extensions.left() > 0) {
    const uint32_t type = extensions.Number(2);
    Cursor contents(extensions.Prefixed(2));
    if (type == kExtensionSupportedVersions) view.version = VersionOf(contents.Number(2));
    if (type == kExtensionPreSharedKey) {
      view.psk_selected = true;
      view.selected_psk_index = static_cast<int>(contents.Number(2));
    }
    if (type == kExtensionKeyShare) view.key_share = true;
    malformed = extensions.failed() || contents.failed();
  }
  if (malformed) view.malformed = "malformed ServerHello extensions";
}

// The identities a ClientHello offers in its pre_shared_key extension (RFC 8446 4.2.11).
void ReadClientHello(absl::string_view body, bool datagram, WireView& view) {
  Cursor hello(body);
  hello.Bytes(2 + 32);              // legacy_version, random
  hello.Prefixed(1);                // legacy_session_id
  if (datagram) hello.Prefixed(1);  // DTLS's cookie (RFC 6347 4.2.1, RFC 9147 5.3)
  hello.Prefixed(2);                // cipher_suites
  hello.Prefixed(1);                // legacy_compression_methods
  Cursor extensions(hello.Prefixed(2));
  view.offered_psk_identities.clear();  // after a HelloRetryRequest, the second hello's count
  bool malformed = hello.failed();
  while (!malformed && extensions.left() > 0) {
    const uint32_t type = extensions.Number(2);
    Cursor contents(extensions.Prefixed(2));
    malformed = extensions.failed();
    if (type != kExtensionPreSharedKey) continue;
    Cursor identities(contents.Prefixed(2));
    while (!identities.failed() && identities.left() > 0) {
      const absl::string_view identity = identities.Prefixed(2);
      identities.Number(4);  // obfuscated_ticket_age
      if (!identities.failed()) view.offered_psk_identities.emplace_back(identity);
    }
    malformed = malformed || identities.failed() || contents.failed();
  }
  if (malformed && view.malformed.empty()) view.malformed = "malformed ClientHello";
}

void ReadMessage(const HandshakeMessage& message, bool from_server, bool datagram, WireView& view) {
  if (from_server) {
    if (message.type == handshake_type::kServerHello) ReadServerHello(message.body(), view);
    if (message.type == handshake_type::kCertificate) view.server_certificate = true;
    if (message.type == handshake_type::kServerHelloDone) view.server_hello_done = true;
  } else if (message.type == handshake_type::kCertificate) {
    // TLS 1.2: a client without a certificate sends an empty certificate_list.
    view.client_certificate = Cursor(message.body()).Number(3) > 0;
  } else if (message.type == handshake_type::kClientHello) {
    ++view.client_hellos;
    ReadClientHello(message.body(), datagram, view);
  } else if (message.type == handshake_type::kClientKeyExchange &&
             !Tls12PskKeyExchange(view.cipher_suite).empty()) {
    // TLS 1.2 PSK suites open the ClientKeyExchange with the identity (RFC 4279 2, RFC 5489 2).
    view.tls12_psk_identity = std::string(Cursor(message.body()).Prefixed(2));
  }
}

void ReadDirection(absl::string_view records, bool from_server, WireView& view) {
  while (records.size() >= 5) {
    auto messages = PlaintextHandshakeMessages(records, &records);
    if (!messages.ok()) {
      view.malformed = std::string(messages.status().message());
      return;
    }
    for (const HandshakeMessage& message : *messages) {
      ReadMessage(message, from_server, /*datagram=*/false, view);
    }
    // TLS 1.3 middlebox compatibility puts a ChangeCipherSpec between a HelloRetryRequest and
    // the ServerHello, and between the two ClientHellos; any other one ends the cleartext.
    const bool retried = view.hello_retry_request;
    if (from_server ? view.server_hello : !(retried && view.client_hellos < 2)) return;
  }
}

// DTLS (RFC 6347 4.1, RFC 9147 4): records carry an epoch and a sequence number, handshake
// messages a message_seq and the offset and length of the fragment a record holds. Epoch 0 is
// the cleartext; a later epoch, a tls12_cid record (RFC 9146) and DTLS 1.3's unified header are
// ciphertext.
constexpr uint8_t kTls12CidContentType = 25;
constexpr uint8_t kUnifiedHeaderMask = 0xe0, kUnifiedHeaderBits = 0x20;

struct Reassembly {
  std::string body;
  std::vector<bool> received;  // per byte of the body
};

// The handshake messages one side sent in epoch 0, each reassembled from its fragments, in
// message_seq order; a retransmission repeats fragments and changes nothing, a message never
// completed is left out.
absl::StatusOr<std::vector<HandshakeMessage>> DatagramPlaintextMessages(
    const std::vector<std::vector<uint8_t>>& datagrams) {
  std::map<std::pair<uint32_t, uint8_t>, Reassembly> messages;  // by message_seq and type
  for (const std::vector<uint8_t>& datagram : datagrams) {
    Cursor records(
        absl::string_view(reinterpret_cast<const char*>(datagram.data()), datagram.size()));
    while (records.left() > 0) {
      const auto type = static_cast<uint8_t>(records.Number(1));
      // Ciphertext whose record length may be implicit: the rest of the datagram is its.
      if ((type & kUnifiedHeaderMask) == kUnifiedHeaderBits || type == kTls12CidContentType) break;
      records.Number(2);  // version
      const uint32_t epoch = records.Number(2);
      records.Bytes(6);  // sequence number
      Cursor fragments(records.Prefixed(2));
      if (records.failed()) return BadInput("truncated DTLS record");
      if (epoch != 0 || type != content_type::kHandshake) continue;
      while (fragments.left() > 0) {
        const auto message_type = static_cast<uint8_t>(fragments.Number(1));
        const uint32_t length = fragments.Number(3);
        const uint32_t message_seq = fragments.Number(2);
        const uint32_t offset = fragments.Number(3);
        const absl::string_view bytes = fragments.Prefixed(3);
        if (fragments.failed() || offset + bytes.size() > length) {
          return BadInput("malformed DTLS handshake fragment");
        }
        Reassembly& message = messages[{message_seq, message_type}];
        if (message.received.empty()) {
          message.body.assign(length, '\0');
          message.received.assign(length, false);
        } else if (message.body.size() != length) {
          return BadInput("DTLS handshake fragments disagree on the message's length");
        }
        message.body.replace(offset, bytes.size(), bytes.data(), bytes.size());
        std::fill_n(message.received.begin() + offset, bytes.size(), true);
      }
    }
  }
  std::vector<HandshakeMessage> complete;
  for (const auto& [key, message] : messages) {
    if (std::find(message.received.begin(), message.received.end(), false) !=
        message.received.end()) {
      continue;
    }
    const size_t length = message.body.size();
    const char header[4] = {static_cast<char>(key.second), static_cast<char>(length >> 16),
                            static_cast<char>(length >> 8), static_cast<char>(length)};
    complete.push_back({key.second, absl::StrCat(absl::string_view(header, 4), message.body)});
  }
  return complete;
}

void ReadDatagrams(const std::vector<std::vector<uint8_t>>& datagrams, bool from_server,
                   WireView& view) {
  absl::StatusOr<std::vector<HandshakeMessage>> messages = DatagramPlaintextMessages(datagrams);
  if (!messages.ok()) {
    view.malformed = std::string(messages.status().message());
    return;
  }
  for (const HandshakeMessage& message : *messages) {
    ReadMessage(message, from_server, /*datagram=*/true, view);
  }
}

}  // namespace

std::optional<std::string> WireView::PskIdentityUsed() const {
  if (version == TlsVersion::kTls12) {
    if (tls12_psk_identity.empty()) return std::nullopt;
    return tls12_psk_identity;
  }
  if (!psk_selected || selected_psk_index < 0 ||
      selected_psk_index >= static_cast<int>(offered_psk_identities.size())) {
    return std::nullopt;
  }
  return offered_psk_identities[static_cast<size_t>(selected_psk_index)];
}

bool WireView::ServerAcceptedPsk() const {
  if (!server_hello) return false;
  if (version == TlsVersion::kTls13) return psk_selected;
  return Tls12Abbreviated() || !Tls12PskKeyExchange(cipher_suite).empty();
}

absl::StatusOr<std::vector<HandshakeMessage>> PlaintextHandshakeMessages(absl::string_view records,
                                                                         absl::string_view* after) {
  std::string stream;
  Cursor cursor(records);
  while (cursor.left() >= 5) {
    const uint8_t type = static_cast<uint8_t>(cursor.Number(1));
    cursor.Number(2);  // record version
    const absl::string_view fragment = cursor.Prefixed(2);
    if (cursor.failed()) break;  // a truncated last record
    if (type == content_type::kChangeCipherSpec || type == content_type::kAlert) break;
    if (type == content_type::kHandshake) stream.append(fragment.data(), fragment.size());
  }
  if (after != nullptr) *after = records.substr(records.size() - cursor.left());
  std::vector<HandshakeMessage> messages;
  Cursor rest(stream);
  while (rest.left() >= 4) {
    const absl::string_view header =
        absl::string_view(stream).substr(stream.size() - rest.left(), 4);
    const uint8_t type = static_cast<uint8_t>(rest.Number(1));
    const absl::string_view body = rest.Prefixed(3);
    if (rest.failed()) return BadInput("handshake message longer than its records");
    messages.push_back({type, absl::StrCat(header, body)});
  }
  return messages;
}

WireView ViewHandshake(absl::string_view client_to_server, absl::string_view server_to_client) {
  WireView view;
  ReadDirection(server_to_client, /*from_server=*/true, view);
  ReadDirection(client_to_server, /*from_server=*/false, view);
  if (view.malformed.empty() && !view.server_hello) view.malformed = "no ServerHello in the clear";
  return view;
}

WireView ViewDatagramHandshake(const std::vector<std::vector<uint8_t>>& client_datagrams,
                               const std::vector<std::vector<uint8_t>>& server_datagrams) {
  WireView view;
  ReadDatagrams(server_datagrams, /*from_server=*/true, view);
  ReadDatagrams(client_datagrams, /*from_server=*/false, view);
  if (view.malformed.empty() && !view.server_hello) view.malformed = "no ServerHello in the clear";
  return view;
}

absl::string_view Tls12PskKeyExchange(uint16_t cipher_suite) {
  switch (cipher_suite) {
    case 0x008c:  // TLS_PSK_WITH_AES_128_CBC_SHA
    case 0x008d:  // TLS_PSK_WITH_AES_256_CBC_SHA
    case 0x00a8:  // TLS_PSK_WITH_AES_128_GCM_SHA256
    case 0x00a9:  // TLS_PSK_WITH_AES_256_GCM_SHA384
    case 0x00ae:  // TLS_PSK_WITH_AES_128_CBC_SHA256
    case 0x00af:  // TLS_PSK_WITH_AES_256_CBC_SHA384
    case 0xc0a4:  // TLS_PSK_WITH_AES_128_CCM
    case 0xc0a5:  // TLS_PSK_WITH_AES_256_CCM
    case 0xccab:  // TLS_PSK_WITH_CHACHA20_POLY1305_SHA256
      return "psk";
    case 0xc035:  // TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA
    case 0xc036:  // TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA
    case 0xc037:  // TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256
    case 0xc038:  // TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384
    case 0xccac:  // TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256
    case 0xd001:  // TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256
    case 0xd002:  // TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384
    case 0xd005:  // TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256
      return "ecdhe_psk";
    default:
      return "";
  }
}

absl::StatusOr<size_t> RecordingTransport::Write(absl::Span<const uint8_t> data) {
  absl::StatusOr<size_t> written = inner_.Write(data);
  if (written.ok()) written_.append(reinterpret_cast<const char*>(data.data()), *written);
  return written;
}

}  // namespace mtls
