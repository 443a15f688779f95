#include "oracle/certificate_fields.h"

#include "absl/strings/str_cat.h"
#include "mtls/der_reader.h"
#include "mtls/status.h"

namespace mtls::oracle {
namespace {

constexpr uint8_t kVersion = 0xa0;     // [0] EXPLICIT
constexpr uint8_t kExtensions = 0xa3;  // [3] EXPLICIT
constexpr absl::string_view kBasicConstraintsOid = "\x55\x1d\x13";
constexpr absl::string_view kExtendedKeyUsageOid = "\x55\x1d\x25";

absl::Status Malformed(absl::string_view what) {
  return BadInput(absl::StrCat("certificate: malformed ", what));
}

absl::StatusOr<std::string> BitStringBytes(absl::string_view contents) {
  if (contents.empty() || contents[0] != 0) return Malformed("bit string");
  return std::string(contents.substr(1));
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

absl::StatusOr<int64_t> ReadTime(const der::Element& element) {
  const absl::string_view text = element.contents;
  const bool utc = element.tag == der::kUtcTime;
  if ((!utc && element.tag != der::kGeneralizedTime) || text.size() != (utc ? 13u : 15u) ||
      text.back() != 'Z') {
    return Malformed("time");
  }
  int64_t digits[7] = {};
  size_t at = 0;
  auto number = [&](int width) -> int64_t {
    int64_t value = 0;
    for (int i = 0; i < width; ++i, ++at) {
      if (text[at] < '0' || text[at] > '9') return -1;
      value = value * 10 + (text[at] - '0');
    }
    return value;
  };
  int64_t year = number(utc ? 2 : 4);
  if (utc && year >= 0) year += year < 50 ? 2000 : 1900;  // RFC 5280 section 4.1.2.5.1
  digits[0] = year;
  for (int i = 1; i < 6; ++i) digits[i] = number(2);
  for (int i = 0; i < 6; ++i) {
    if (digits[i] < 0) return Malformed("time");
  }
  return DaysFromCivil(digits[0], digits[1], digits[2]) * 86400 + digits[3] * 3600 +
         digits[4] * 60 + digits[5];
}

absl::Status ReadExtension(absl::string_view extension, CertificateFields& fields) {
  der::Reader parts(extension);
  MTLS_ASSIGN_OR_RETURN(absl::string_view oid, parts.Expect(der::kOid));
  MTLS_ASSIGN_OR_RETURN(der::Element value, parts.Next());
  if (value.tag == der::kBoolean) {
    MTLS_ASSIGN_OR_RETURN(value, parts.Next());
  }
  if (value.tag != der::kOctetString) return Malformed("extension");
  der::Reader inner(value.contents);
  if (oid == kBasicConstraintsOid) {
    MTLS_ASSIGN_OR_RETURN(absl::string_view constraints, inner.Expect(der::kSequence));
    der::Reader items(constraints);
    if (!items.empty()) {
      MTLS_ASSIGN_OR_RETURN(der::Element first, items.Next());
      fields.is_ca = first.tag == der::kBoolean && first.contents == absl::string_view("\xff", 1);
    }
  } else if (oid == kExtendedKeyUsageOid) {
    fields.has_extended_key_usage = true;
    MTLS_ASSIGN_OR_RETURN(absl::string_view usages, inner.Expect(der::kSequence));
    der::Reader list(usages);
    while (!list.empty()) {
      MTLS_ASSIGN_OR_RETURN(absl::string_view usage, list.Expect(der::kOid));
      fields.extended_key_usages.emplace_back(usage);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CertificateFields> ReadCertificateFields(absl::string_view der) {
  CertificateFields fields;
  der::Reader outer(der);
  MTLS_ASSIGN_OR_RETURN(absl::string_view certificate, outer.Expect(der::kSequence));
  der::Reader parts(certificate);
  MTLS_ASSIGN_OR_RETURN(der::Element tbs, parts.Next());
  if (tbs.tag != der::kSequence) return Malformed("TBSCertificate");
  fields.tbs = std::string(tbs.encoding);
  MTLS_ASSIGN_OR_RETURN(absl::string_view algorithm, parts.Expect(der::kSequence));
  MTLS_ASSIGN_OR_RETURN(absl::string_view signature_oid, der::Reader(algorithm).Expect(der::kOid));
  fields.signature_algorithm = std::string(signature_oid);
  MTLS_ASSIGN_OR_RETURN(absl::string_view signature, parts.Expect(der::kBitString));
  MTLS_ASSIGN_OR_RETURN(fields.signature, BitStringBytes(signature));

  der::Reader items(tbs.contents);
  MTLS_ASSIGN_OR_RETURN(der::Element first, items.Next());
  if (first.tag == kVersion) {
    MTLS_ASSIGN_OR_RETURN(first, items.Next());  // the serial number
  }
  MTLS_ASSIGN_OR_RETURN(der::Element inner_algorithm, items.Next());
  MTLS_ASSIGN_OR_RETURN(der::Element issuer, items.Next());
  fields.issuer = std::string(issuer.encoding);
  MTLS_ASSIGN_OR_RETURN(absl::string_view validity, items.Expect(der::kSequence));
  der::Reader times(validity);
  MTLS_ASSIGN_OR_RETURN(der::Element not_before, times.Next());
  MTLS_ASSIGN_OR_RETURN(fields.not_before, ReadTime(not_before));
  MTLS_ASSIGN_OR_RETURN(der::Element not_after, times.Next());
  MTLS_ASSIGN_OR_RETURN(fields.not_after, ReadTime(not_after));
  MTLS_ASSIGN_OR_RETURN(der::Element subject, items.Next());
  fields.subject = std::string(subject.encoding);
  MTLS_ASSIGN_OR_RETURN(absl::string_view spki, items.Expect(der::kSequence));
  der::Reader key(spki);
  MTLS_ASSIGN_OR_RETURN(absl::string_view key_algorithm, key.Expect(der::kSequence));
  der::Reader key_algorithm_parts(key_algorithm);
  MTLS_ASSIGN_OR_RETURN(absl::string_view key_oid, key_algorithm_parts.Expect(der::kOid));
  fields.key_algorithm = std::string(key_oid);
  if (!key_algorithm_parts.empty()) {
    MTLS_ASSIGN_OR_RETURN(der::Element parameters, key_algorithm_parts.Next());
    fields.key_parameters = std::string(parameters.contents);
  }
  MTLS_ASSIGN_OR_RETURN(absl::string_view public_key, key.Expect(der::kBitString));
  MTLS_ASSIGN_OR_RETURN(fields.public_key, BitStringBytes(public_key));
  while (!items.empty()) {
    MTLS_ASSIGN_OR_RETURN(der::Element element, items.Next());
    if (element.tag != kExtensions) continue;
    MTLS_ASSIGN_OR_RETURN(absl::string_view extensions,
                          der::Reader(element.contents).Expect(der::kSequence));
    der::Reader list(extensions);
    while (!list.empty()) {
      MTLS_ASSIGN_OR_RETURN(absl::string_view extension, list.Expect(der::kSequence));
      MTLS_RETURN_IF_ERROR(ReadExtension(extension, fields));
    }
  }
  (void)inner_algorithm;
  return fields;
}

}  // namespace mtls::oracle
