#include "mtls/x509_identity.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mtls/der_reader.h"
#include "mtls/status.h"

namespace mtls {
namespace {

using der::kOctetString;
using der::kOid;
using der::kSequence;
using der::kSet;
using DerReader = der::Reader;

constexpr uint8_t kExtensions = 0xa3;  // [3] EXPLICIT
constexpr uint8_t kDnsName = 0x82;     // GeneralName [2] IMPLICIT IA5String
constexpr uint8_t kUri = 0x86;         // GeneralName [6] IMPLICIT IA5String
constexpr absl::string_view kSubjectAltNameOid = "\x55\x1d\x11";  // 2.5.29.17

std::string AttributeName(absl::string_view oid) {
  struct Known {
    absl::string_view oid, name;
  };
  static constexpr Known kKnown[] = {{"\x55\x04\x03", "CN"}, {"\x55\x04\x0a", "O"},
                                     {"\x55\x04\x0b", "OU"}, {"\x55\x04\x06", "C"},
                                     {"\x55\x04\x07", "L"},  {"\x55\x04\x08", "ST"}};
  for (const Known& known : kKnown) {
    if (known.oid == oid) return std::string(known.name);
  }
  // Dotted form for the rest.
  if (oid.empty()) return "?";
  std::vector<std::string> arcs = {absl::StrCat(static_cast<uint8_t>(oid[0]) / 40),
                                   absl::StrCat(static_cast<uint8_t>(oid[0]) % 40)};
  uint64_t value = 0;
  for (size_t i = 1; i < oid.size(); ++i) {
    value = (value << 7) | (static_cast<uint8_t>(oid[i]) & 0x7f);
    if (!(static_cast<uint8_t>(oid[i]) & 0x80)) {
      arcs.push_back(absl::StrCat(value));
      value = 0;
    }
  }
  return absl::StrJoin(arcs, ".");
}

// RFC 4514 escaping of an attribute value.
std::string Escape(absl::string_view value) {
  std::string escaped;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' ||
                         c == ';' || (i == 0 && (c == '#' || c == ' ')) ||
                         (i + 1 == value.size() && c == ' ');
    if (special) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

absl::StatusOr<std::string> NameToString(absl::string_view name) {
  std::vector<std::string> rdns;
  DerReader reader(name);
  while (!reader.empty()) {
    auto set = reader.Expect(kSet);
    if (!set.ok()) return set.status();
    std::vector<std::string> attributes;
    DerReader in_set(*set);
    while (!in_set.empty()) {
      auto attribute = in_set.Expect(kSequence);
      if (!attribute.ok()) return attribute.status();
      DerReader fields(*attribute);
      auto oid = fields.Expect(kOid);
      auto value = oid.ok() ? fields.Next() : oid.status();
      if (!value.ok()) return value.status();
      attributes.push_back(absl::StrCat(AttributeName(*oid), "=", Escape(value->contents)));
    }
    rdns.push_back(absl::StrJoin(attributes, "+"));
  }
  std::reverse(rdns.begin(), rdns.end());  // RFC 4514: the last RDN comes first
  return absl::StrJoin(rdns, ",");
}

absl::Status ReadSubjectAltNames(absl::string_view extension_value, PeerIdentity& identity) {
  DerReader outer(extension_value);
  auto names = outer.Expect(kSequence);
  if (!names.ok()) return names.status();
  DerReader reader(*names);
  while (!reader.empty()) {
    auto name = reader.Next();
    if (!name.ok()) return name.status();
    if (name->tag == kDnsName) identity.dns_names.emplace_back(name->contents);
    if (name->tag == kUri) identity.uris.emplace_back(name->contents);
  }
  return absl::OkStatus();
}

// The TBSCertificate fields this file needs; `rest` reads on after the public key.
struct TbsFields {
  absl::string_view subject;
  absl::string_view spki;           // contents of the SubjectPublicKeyInfo SEQUENCE
  absl::string_view spki_encoding;  // the whole SEQUENCE
  DerReader rest{absl::string_view()};
};

absl::StatusOr<TbsFields> ReadTbs(absl::string_view der) {
  DerReader certificate(der);
  auto outer = certificate.Expect(kSequence);
  if (!outer.ok()) return outer.status();
  DerReader cert_fields(*outer);
  auto tbs = cert_fields.Expect(kSequence);
  if (!tbs.ok()) return tbs.status();
  DerReader fields(*tbs);
  auto first = fields.Next();  // [0] version, or the serial number of a v1 certificate
  if (!first.ok()) return first.status();
  if (first->tag == 0xa0) {
    if (absl::Status skipped = fields.Next().status(); !skipped.ok()) return skipped;  // serial
  }
  for (int skip = 0; skip < 3; ++skip) {  // signature algorithm, issuer, validity
    if (absl::Status skipped = fields.Next().status(); !skipped.ok()) return skipped;
  }
  TbsFields tbs_fields;
  auto subject = fields.Expect(kSequence);
  if (!subject.ok()) return subject.status();
  tbs_fields.subject = *subject;
  auto spki = fields.Next();
  if (!spki.ok()) return spki.status();
  if (spki->tag != kSequence) return BadInput("certificate: malformed DER");
  tbs_fields.spki = spki->contents;
  tbs_fields.spki_encoding = spki->encoding;
  tbs_fields.rest = fields;
  return tbs_fields;
}

absl::StatusOr<std::string> PublicKeyBitsOf(absl::string_view spki_contents) {
  DerReader parts(spki_contents);
  if (absl::Status skipped = parts.Expect(kSequence).status(); !skipped.ok()) return skipped;
  auto bits = parts.Expect(0x03);  // BIT STRING: unused-bits byte, then the key
  if (!bits.ok()) return bits.status();
  if (bits->empty()) return BadInput("certificate: empty public key");
  return std::string(bits->substr(1));
}

}  // namespace

absl::StatusOr<std::string> CertificatePublicKeyBits(absl::string_view certificate_der) {
  auto tbs = ReadTbs(certificate_der);
  if (!tbs.ok()) return tbs.status();
  return PublicKeyBitsOf(tbs->spki);
}

absl::StatusOr<std::string> CertificateSpki(absl::string_view certificate_der) {
  auto tbs = ReadTbs(certificate_der);
  if (!tbs.ok()) return tbs.status();
  return std::string(tbs->spki_encoding);
}

absl::StatusOr<std::string> SpkiPublicKeyBits(absl::string_view spki_der) {
  DerReader reader(spki_der);
  auto spki = reader.Expect(kSequence);
  if (!spki.ok()) return spki.status();
  return PublicKeyBitsOf(*spki);
}

absl::StatusOr<PeerIdentity> IdentityFromCertificate(absl::string_view der) {
  auto tbs = ReadTbs(der);
  if (!tbs.ok()) return tbs.status();
  PeerIdentity identity;
  auto subject_text = NameToString(tbs->subject);
  if (!subject_text.ok()) return subject_text.status();
  identity.subject = *subject_text;
  DerReader& fields = tbs->rest;
  while (!fields.empty()) {
    auto element = fields.Next();
    if (!element.ok()) return element.status();
    if (element->tag != kExtensions) continue;
    DerReader wrapper(element->contents);
    auto extensions = wrapper.Expect(kSequence);
    if (!extensions.ok()) return extensions.status();
    DerReader list(*extensions);
    while (!list.empty()) {
      auto extension = list.Expect(kSequence);
      if (!extension.ok()) return extension.status();
      DerReader parts(*extension);
      auto oid = parts.Expect(kOid);
      if (!oid.ok()) return oid.status();
      auto next = parts.Next();  // critical flag (optional) or the value
      if (next.ok() && next->tag == 0x01) next = parts.Next();
      if (!next.ok() || next->tag != kOctetString)
        return BadInput("certificate: malformed extension");
      if (*oid == kSubjectAltNameOid) {
        if (absl::Status read = ReadSubjectAltNames(next->contents, identity); !read.ok())
          return read;
      }
    }
  }
  return identity;
}

}  // namespace mtls
