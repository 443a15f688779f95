// TLS 1.3 certificate compression (RFC 8879) on GnuTLS 3.7.4+, with the zlib, brotli and zstd
// the library was built with (Debian's 3.7.9 has none of them; the source build of scripts/deps
// --fuzz links those it finds).
#pragma once

#include <gnutls/gnutls.h>

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "mtls/backend.h"
#include "mtls/types.h"

namespace mtls::gnutls_cert_compression {

// A manifest row for each algorithm this GnuTLS refuses, with the library's answer.
std::vector<Capability> UnsupportedRows();

// Offers `algorithms`, preferred first (nothing when empty: GnuTLS then neither asks nor sends).
absl::Status SetOn(gnutls_session_t session, const std::vector<CertificateCompression>& algorithms);

// The algorithm a received CompressedCertificate message's body names.
std::optional<CertificateCompression> AlgorithmOf(const gnutls_datum_t& body);

}  // namespace mtls::gnutls_cert_compression
