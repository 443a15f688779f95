// What a completed handshake negotiated, read the way each library (version) lets it be read.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <optional>

#include "mtls/types.h"
#include "mtls/x509_identity.h"
#include "openssl_types.h"

namespace mtls::openssl_api {

std::optional<Group> NegotiatedGroup(SSL* ssl);

// The TLS SignatureScheme the peer signed its CertificateVerify (or key exchange) with; 0 when
// unknown.
uint16_t PeerSignatureAlgorithm(SSL* ssl);

X509Ptr PeerCertificate(SSL* ssl);

// The peer's identity from its DER, read by the core like for every backend.
std::optional<PeerIdentity> IdentityOf(X509* certificate);

}  // namespace mtls::openssl_api
