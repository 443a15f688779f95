// External PSKs on GnuTLS: why a PSK handshake failed, from what the library's server callback
// saw offered and the error the handshake ended with.
#pragma once

#include <optional>
#include <string>

#include "mtls/config.h"

namespace mtls::gnutls_psk {

// Why the peer was refused (an unknown identity, a key it did not prove), or nullopt when `rc`
// is no PSK rejection. `offered` is the identity the server callback saw; empty on a client.
std::optional<std::string> Rejection(const ExternalPsk& psk, const std::string& offered, int rc);

}  // namespace mtls::gnutls_psk
