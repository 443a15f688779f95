#include "attacker/record_layer.h"

#include "absl/strings/str_cat.h"
#include "attacker/crypto.h"
#include "attacker/wire.h"
#include "mtls/status.h"

namespace mtls::attacker {
namespace {

constexpr size_t kHeaderSize = 5;
constexpr size_t kExplicitNonceSize = 8;

std::string RecordHeader(uint8_t type, size_t length) {
  return absl::StrCat(std::string(1, char(type)), "\x03\x03", Uint(length, 2));
}

absl::Status Rejected(absl::string_view what) {
  return MakeError(absl::StatusCode::kAborted, ErrorClass::kHandshakeFailure,
                   absl::StrCat("attacker: ", what));
}

}  // namespace

void RecordLayer::ProtectWrites(TrafficKeys keys) { write_ = {std::move(keys), 0}; }

void RecordLayer::ProtectReads(TrafficKeys keys) {
  if (version_ == TlsVersion::kTls12) {
    pending_read_keys_ = std::move(keys);
  } else {
    read_ = {std::move(keys), 0};
  }
}

std::string RecordLayer::Nonce(const Direction& direction, absl::string_view explicit_part) const {
  if (version_ == TlsVersion::kTls12) return absl::StrCat(direction.keys->iv, explicit_part);
  std::string nonce = direction.keys->iv;
  const std::string sequence = Uint(direction.sequence, 8);
  for (size_t i = 0; i < 8; ++i) nonce[4 + i] = char(nonce[4 + i] ^ sequence[i]);
  return nonce;
}

absl::Status RecordLayer::Write(uint8_t type, absl::string_view fragment) {
  std::string record;
  if (!write_.keys) {
    record = absl::StrCat(RecordHeader(type, fragment.size()), fragment);
  } else if (version_ == TlsVersion::kTls12) {
    const std::string explicit_nonce = Uint(write_.sequence, kExplicitNonceSize);
    const std::string aad =
        absl::StrCat(Uint(write_.sequence, 8), RecordHeader(type, fragment.size()));
    const std::string sealed =
        SealAesGcm(write_.keys->key, Nonce(write_, explicit_nonce), aad, fragment);
    record = absl::StrCat(RecordHeader(type, kExplicitNonceSize + sealed.size()), explicit_nonce,
                          sealed);
  } else {
    const std::string inner = absl::StrCat(fragment, std::string(1, char(type)));
    const std::string header =
        RecordHeader(content_type::kApplicationData, inner.size() + 16 /* tag */);
    record = absl::StrCat(header, SealAesGcm(write_.keys->key, Nonce(write_, ""), header, inner));
  }
  if (write_.keys) ++write_.sequence;
  auto written = transport_.Write(
      absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(record.data()), record.size()));
  return written.ok() ? absl::OkStatus() : written.status();
}

absl::Status RecordLayer::ReadAvailable() {
  uint8_t buffer[4096];
  for (;;) {
    auto read = transport_.Read(absl::MakeSpan(buffer));
    if (!read.ok()) return Rejected(absl::StrCat("connection closed: ", read.status().message()));
    if (*read == 0) return absl::OkStatus();
    inbox_.append(reinterpret_cast<const char*>(buffer), *read);
  }
}

absl::Status RecordLayer::TakeRecord(uint8_t type, absl::string_view payload) {
  std::string plaintext(payload);
  if (read_.keys && type != content_type::kChangeCipherSpec) {
    if (version_ == TlsVersion::kTls12) {
      if (payload.size() < kExplicitNonceSize) return Rejected("short protected record");
      const absl::string_view sealed = payload.substr(kExplicitNonceSize);
      const std::string aad =
          absl::StrCat(Uint(read_.sequence, 8), RecordHeader(type, sealed.size() - 16));
      MTLS_ASSIGN_OR_RETURN(
          plaintext, OpenAesGcm(read_.keys->key,
                                Nonce(read_, payload.substr(0, kExplicitNonceSize)), aad, sealed));
    } else {
      MTLS_ASSIGN_OR_RETURN(plaintext, OpenAesGcm(read_.keys->key, Nonce(read_, ""),
                                                  RecordHeader(type, payload.size()), payload));
      while (!plaintext.empty() && plaintext.back() == '\0') plaintext.pop_back();
      if (plaintext.empty()) return Rejected("protected record without a content type");
      type = static_cast<uint8_t>(plaintext.back());
      plaintext.pop_back();
    }
    ++read_.sequence;
  }
  switch (type) {
    case content_type::kHandshake:
      handshake_bytes_ += plaintext;
      return absl::OkStatus();
    case content_type::kChangeCipherSpec:
      // TLS 1.3 sends it for middleboxes only; in TLS 1.2 it starts the server's protection.
      if (version_ == TlsVersion::kTls12 && pending_read_keys_) {
        read_ = {*std::move(pending_read_keys_), 0};
        pending_read_keys_.reset();
      }
      return absl::OkStatus();
    case content_type::kAlert:
      return Rejected(absl::StrCat("the server sent alert ",
                                   plaintext.size() == 2 ? static_cast<uint8_t>(plaintext[1]) : 0));
    default:
      return Rejected(absl::StrCat("unexpected record type ", type));
  }
}

absl::StatusOr<std::optional<std::string>> RecordLayer::NextHandshakeMessage() {
  MTLS_RETURN_IF_ERROR(ReadAvailable());
  for (;;) {
    if (handshake_bytes_.size() >= 4) {
      const size_t length = Cursor(absl::string_view(handshake_bytes_).substr(1, 3)).Int(3);
      if (handshake_bytes_.size() >= 4 + length) {
        std::string message = handshake_bytes_.substr(0, 4 + length);
        handshake_bytes_.erase(0, 4 + length);
        return message;
      }
    }
    if (inbox_.size() < kHeaderSize) return std::nullopt;
    const size_t length = Cursor(absl::string_view(inbox_).substr(3, 2)).Int(2);
    if (inbox_.size() < kHeaderSize + length) return std::nullopt;
    const uint8_t type = static_cast<uint8_t>(inbox_[0]);
    const std::string payload = inbox_.substr(kHeaderSize, length);
    inbox_.erase(0, kHeaderSize + length);
    MTLS_RETURN_IF_ERROR(TakeRecord(type, payload));
  }
}

}  // namespace mtls::attacker
