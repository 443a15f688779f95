// The identity a certificate names (subject and subjectAltName entries), read from its DER by
// the core itself, so every backend reports it in the same form.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/result.h"

namespace mtls {

// Subject in RFC 4514 form (most significant RDN last, e.g. "CN=client.mtls.test,O=Example"),
// dNSName and URI subjectAltName entries. Fails on DER that is not a certificate.
absl::StatusOr<PeerIdentity> IdentityFromCertificate(absl::string_view der);

// The subjectPublicKey bits (the key itself, without its algorithm identifier) of a certificate
// or of a SubjectPublicKeyInfo; lets an adapter check a private key against its certificate.
absl::StatusOr<std::string> CertificatePublicKeyBits(absl::string_view certificate_der);
absl::StatusOr<std::string> SpkiPublicKeyBits(absl::string_view spki_der);
// The whole SubjectPublicKeyInfo (DER) of a certificate: what RFC 7250 sends as a raw public key.
absl::StatusOr<std::string> CertificateSpki(absl::string_view certificate_der);

}  // namespace mtls
