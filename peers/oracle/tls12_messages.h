// The certificate lists of TLS 1.2 and TLS 1.3 Certificate messages (the messages themselves come
// from mtls/wire_view.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/wire_view.h"

namespace mtls::oracle {

// The certificates of a TLS 1.2 Certificate message body, leaf first.
absl::StatusOr<std::vector<std::string>> CertificateList(absl::string_view body);
// The same of a TLS 1.3 one (request context, then entries with their extensions).
absl::StatusOr<std::vector<std::string>> Tls13CertificateList(absl::string_view body);

}  // namespace mtls::oracle
