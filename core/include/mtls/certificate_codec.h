// The certificate compression algorithms of RFC 8879 (zlib, brotli, zstd), from their own
// libraries: for TLS libraries that take the codec from the application (BoringSSL) and for the
// attacking peers that send compressed certificates of their own making.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/types.h"

namespace mtls {

// Whether this build links the library that implements `algorithm` (the project links each one
// it finds; a cross sysroot may lack some).
bool CertificateCodecAvailable(CertificateCompression algorithm);

// `message` (a Certificate message's body) compressed at the library's default level.
absl::StatusOr<std::string> CompressCertificate(CertificateCompression algorithm,
                                                absl::string_view message);

// Exactly `uncompressed_length` bytes decompressed from `compressed`, or an error: RFC 8879
// section 4 makes a length that differs from the announced one a bad_certificate, and the output
// never grows past it (a small input that expands without bound is cut off there).
absl::StatusOr<std::string> DecompressCertificate(CertificateCompression algorithm,
                                                  absl::string_view compressed,
                                                  size_t uncompressed_length);

}  // namespace mtls
