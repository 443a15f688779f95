// The X.509 fields the acceptance oracle checks a chain with, read by the project's own DER
// reader rather than the backend under test.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mtls::oracle {

struct CertificateFields {
  std::string tbs;                        // the signed TBSCertificate, whole
  std::string signature_algorithm;        // OID (contents) of the outer signatureAlgorithm
  std::string signature;                  // the signature value (BIT STRING without its pad byte)
  std::string issuer, subject;            // Name encodings, compared byte for byte
  int64_t not_before = 0, not_after = 0;  // Unix time
  std::string key_algorithm;              // SubjectPublicKeyInfo algorithm OID (contents)
  std::string key_parameters;             // its parameters' contents (the curve OID for EC)
  std::string public_key;                 // subjectPublicKey (BIT STRING without its pad byte)
  bool is_ca = false;                     // basicConstraints cA
  bool has_extended_key_usage = false;
  std::vector<std::string> extended_key_usages;  // OIDs (contents)
};

absl::StatusOr<CertificateFields> ReadCertificateFields(absl::string_view der);

// RFC 5280 extended key usage purposes (OID contents).
inline constexpr absl::string_view kServerAuthOid = "\x2b\x06\x01\x05\x05\x07\x03\x01";
inline constexpr absl::string_view kClientAuthOid = "\x2b\x06\x01\x05\x05\x07\x03\x02";

}  // namespace mtls::oracle
