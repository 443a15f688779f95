// TLS 1.3 certificate compression (RFC 8879): OpenSSL 3.2+ compresses with the zlib, brotli and
// zstd it was built with (and does so by default), BoringSSL with codecs the application
// registers (the project's, mtls/certificate_codec.h).
#pragma once

#include <openssl/ssl.h>

#include <optional>

#include "absl/status/status.h"
#include "mtls/config.h"
#include "mtls/types.h"

namespace mtls::openssl_cert_compression {

// Offers exactly `config.certificate_compression`, preferred first; none when it is empty.
absl::Status Configure(SSL_CTX* ctx, const EndpointConfig& config);

// The algorithm the library decompressed the peer's Certificate with, if it came compressed.
std::optional<CertificateCompression> PeerAlgorithm(const SSL* ssl);

}  // namespace mtls::openssl_cert_compression
