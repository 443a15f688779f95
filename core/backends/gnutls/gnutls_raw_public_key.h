// Raw public keys (RFC 7250) on GnuTLS: an endpoint's own key, and the check of its peer's.
#pragma once

#include <gnutls/gnutls.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "mtls/config.h"
#include "mtls/pki.h"

namespace mtls::gnutls_rpk {

// The leaf's key as this endpoint's raw public key (its SubjectPublicKeyInfo), with the private
// key, into `credentials`.
absl::Status UseOwnKey(gnutls_certificate_credentials_t credentials, const Credentials& own);

// Why the peer's raw public key is refused (none sent, not a trusted one), or nullopt when it is
// one of `trusted`'s.
std::optional<std::string> PeerKeyRejection(gnutls_session_t session, const RawPublicKeys& trusted);

}  // namespace mtls::gnutls_rpk
