// Loading credentials from PEM: framing and base64 are checked here, once for every backend;
// the backend then parses the DER and reports what it cannot use.
#pragma once

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace mtls {

struct PemBlock {
  std::string label;  // "CERTIFICATE", "PRIVATE KEY", ...
  std::string der;
};

// Own credentials: the leaf first, then the intermediates to send; the private key as DER
// (PKCS#8 or the key type's traditional encoding).
struct Credentials {
  std::vector<std::string> chain_der;
  std::string key_der;
};

// Every PEM block in `text`. `source` names the input in error messages (e.g. a path).
absl::StatusOr<std::vector<PemBlock>> ParsePem(absl::string_view text, absl::string_view source);

// The certificates of a PEM bundle; fails unless it holds at least one and only certificates.
absl::StatusOr<std::vector<std::string>> ParseCertificates(absl::string_view pem,
                                                           absl::string_view source);
// The single private key of a PEM file.
absl::StatusOr<std::string> ParsePrivateKey(absl::string_view pem, absl::string_view source);

// One PEM block (64-column base64), for libraries whose loaders take PEM only.
std::string PemEncode(absl::string_view label, absl::string_view der);

absl::StatusOr<std::string> ReadFile(const std::string& path);
absl::StatusOr<std::vector<std::string>> LoadCertificates(const std::string& path);
absl::StatusOr<Credentials> LoadCredentials(const std::string& chain_path,
                                            const std::string& key_path);

}  // namespace mtls
