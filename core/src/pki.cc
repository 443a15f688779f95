#include "mtls/pki.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "mtls/status.h"

namespace mtls {
namespace {

constexpr absl::string_view kBegin = "-----BEGIN ";
constexpr absl::string_view kEnd = "-----END ";
constexpr absl::string_view kDashes = "-----";

// Checks that `der` is exactly one DER SEQUENCE with a definite length, so a truncated or
// garbled body is reported here with the block it came from, whatever the backend.
bool IsOneDerSequence(absl::string_view der) {
  if (der.size() < 2 || static_cast<uint8_t>(der[0]) != 0x30) return false;
  size_t length = static_cast<uint8_t>(der[1]);
  size_t header = 2;
  if (length & 0x80) {
    const size_t length_bytes = length & 0x7f;
    if (length_bytes == 0 || length_bytes > 4 || der.size() < 2 + length_bytes) return false;
    length = 0;
    for (size_t i = 0; i < length_bytes; ++i) {
      length = (length << 8) | static_cast<uint8_t>(der[2 + i]);
    }
    header += length_bytes;
  }
  return header + length == der.size();
}

}  // namespace

absl::StatusOr<std::vector<PemBlock>> ParsePem(absl::string_view text, absl::string_view source) {
  std::vector<PemBlock> blocks;
  absl::string_view label;
  std::string body;
  bool inside = false;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripTrailingAsciiWhitespace(line);
    const std::string where = absl::StrCat(source, ":", line_number);
    if (!inside) {
      if (!absl::StartsWith(line, kBegin))
        continue;  // text around blocks is allowed, as in openssl
      absl::string_view rest = line.substr(kBegin.size());
      if (!absl::ConsumeSuffix(&rest, kDashes) || rest.empty()) {
        return BadInput(absl::StrCat(where, ": malformed PEM BEGIN line"));
      }
      label = rest;
      body.clear();
      inside = true;
      continue;
    }
    if (absl::StartsWith(line, kEnd)) {
      absl::string_view rest = line.substr(kEnd.size());
      if (!absl::ConsumeSuffix(&rest, kDashes) || rest != label) {
        return BadInput(absl::StrCat(where, ": PEM END line does not match BEGIN ", label));
      }
      std::string der;
      if (!absl::Base64Unescape(body, &der) || der.empty()) {
        return BadInput(absl::StrCat(source, ": PEM block ", blocks.size() + 1, " (", label,
                                     ") is not valid base64"));
      }
      if (!IsOneDerSequence(der)) {
        return BadInput(absl::StrCat(source, ": PEM block ", blocks.size() + 1, " (", label,
                                     ") is not a well-formed DER structure"));
      }
      blocks.push_back({std::string(label), std::move(der)});
      inside = false;
      continue;
    }
    if (absl::StrContains(line, ":")) {
      return BadInput(absl::StrCat(where, ": PEM headers (encrypted keys) are not supported"));
    }
    absl::StrAppend(&body, line);
  }
  if (inside) return BadInput(absl::StrCat(source, ": PEM block ", label, " has no END line"));
  if (blocks.empty()) return BadInput(absl::StrCat(source, ": no PEM block found"));
  return blocks;
}

absl::StatusOr<std::vector<std::string>> ParseCertificates(absl::string_view pem,
                                                           absl::string_view source) {
  MTLS_ASSIGN_OR_RETURN(std::vector<PemBlock> blocks, ParsePem(pem, source));
  std::vector<std::string> certificates;
  for (auto& block : blocks) {
    if (block.label != "CERTIFICATE") {
      return BadInput(
          absl::StrCat(source, ": expected only CERTIFICATE blocks, found ", block.label));
    }
    certificates.push_back(std::move(block.der));
  }
  return certificates;
}

absl::StatusOr<std::string> ParsePrivateKey(absl::string_view pem, absl::string_view source) {
  MTLS_ASSIGN_OR_RETURN(std::vector<PemBlock> blocks, ParsePem(pem, source));
  if (blocks.size() != 1) {
    return BadInput(
        absl::StrCat(source, ": expected one private key, found ", blocks.size(), " PEM blocks"));
  }
  const std::string& label = blocks[0].label;
  if (label != "PRIVATE KEY" && label != "EC PRIVATE KEY" && label != "RSA PRIVATE KEY") {
    return BadInput(absl::StrCat(source, ": expected a private key, found ", label));
  }
  return std::move(blocks[0].der);
}

std::string PemEncode(absl::string_view label, absl::string_view der) {
  const std::string base64 = absl::Base64Escape(der);
  std::string pem = absl::StrCat(kBegin, label, kDashes, "\n");
  for (size_t i = 0; i < base64.size(); i += 64) absl::StrAppend(&pem, base64.substr(i, 64), "\n");
  absl::StrAppend(&pem, kEnd, label, kDashes, "\n");
  return pem;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(absl::StatusCode::kNotFound, ErrorClass::kBadInput,
                     absl::StrCat(path, ": cannot read: ", std::strerror(errno)));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return BadInput(absl::StrCat(path, ": read error"));
  return contents.str();
}

absl::StatusOr<std::vector<std::string>> LoadCertificates(const std::string& path) {
  MTLS_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseCertificates(text, path);
}

absl::StatusOr<Credentials> LoadCredentials(const std::string& chain_path,
                                            const std::string& key_path) {
  Credentials credentials;
  MTLS_ASSIGN_OR_RETURN(credentials.chain_der, LoadCertificates(chain_path));
  MTLS_ASSIGN_OR_RETURN(std::string key_text, ReadFile(key_path));
  MTLS_ASSIGN_OR_RETURN(credentials.key_der, ParsePrivateKey(key_text, key_path));
  return credentials;
}

}  // namespace mtls
