// DTLS in the OpenSSL-API adapter (OpenSSL and BoringSSL): the method and versions, the path MTU
// from the datagram transport, the retransmission timer in the transport's time.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mtls/config.h"
#include "mtls/transport.h"

namespace mtls::openssl_dtls {

// DTLS_method() for a DTLS endpoint, TLS_method() otherwise.
const SSL_METHOD* Method(Protocol protocol);

// The protocol versions to set on the context: the configured range, mapped onto DTLS's where
// the endpoint is DTLS, capped at the newest version the library has; Unsupported when the range
// holds none it has.
struct VersionRange {
  int min;
  int max;
};
absl::StatusOr<VersionRange> Versions(const EndpointConfig& config);

// Context set-up for DTLS: the clock BoringSSL's timers (and its server random) read.
absl::Status ConfigureContext(SSL_CTX* ctx, const EndpointConfig& config);

// Session set-up for DTLS: the transport must carry datagrams; the library is told its MTU.
absl::Status ConfigureSession(SSL* ssl, Transport& transport);

// Microseconds until the session's retransmission timer fires; none while none runs.
std::optional<int64_t> RetransmissionTimeoutUs(SSL* ssl);

// Lets the library act on its expired timer: resend its last flight, or fail after its last try.
absl::Status HandleTimeout(SSL* ssl);

}  // namespace mtls::openssl_dtls
