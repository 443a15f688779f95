// Small conversions between GnuTLS types and the core's, shared by this directory's sources.
#pragma once

#include <gnutls/gnutls.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "mtls/status.h"
#include "mtls/types.h"

namespace mtls::gnutls_util {

inline gnutls_datum_t Datum(const std::string& bytes) {
  return {reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data())),
          static_cast<unsigned>(bytes.size())};
}
inline absl::string_view ToStringView(const gnutls_datum_t& datum) {
  return {reinterpret_cast<const char*>(datum.data), datum.size};
}
inline std::string ToString(const gnutls_datum_t& datum) {
  return std::string(ToStringView(datum));
}

absl::Status LibraryError(absl::string_view what, int rc);

// Priority-string keywords: "X25519", "SECP256R1", ...; "ECDSA-SECP256R1-SHA256", ...
absl::string_view GroupKeyword(Group group);
std::string SignatureKeyword(uint16_t code_point);

// The error class of a certificate verification status (gnutls_certificate_status_t bits).
ErrorClass ClassifyVerifyStatus(unsigned status);

std::optional<Group> GroupOf(gnutls_group_t group);
uint16_t CodePointOf(gnutls_sign_algorithm_t algorithm);  // 0 when unknown or none

}  // namespace mtls::gnutls_util
