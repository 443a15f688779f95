// A BIO whose reads and writes go to an mtls::Transport, so the library talks to the core's
// transports (in-memory duplex, TCP) without knowing them.
#pragma once

#include <openssl/bio.h>

#include "mtls/transport.h"

namespace mtls::openssl_api {

// A new BIO over `transport` (which must outlive it); "0 bytes" from the transport is a retry.
BIO* NewTransportBio(Transport& transport);

}  // namespace mtls::openssl_api
