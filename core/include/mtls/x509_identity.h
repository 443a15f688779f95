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

}  // namespace mtls
