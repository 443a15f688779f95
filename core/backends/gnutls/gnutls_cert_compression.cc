#include "gnutls_cert_compression.h"

#include <iterator>

#include "absl/strings/str_cat.h"
#include "mtls/status.h"

namespace mtls::gnutls_cert_compression {
namespace {

gnutls_compression_method_t MethodOf(CertificateCompression algorithm) {
  switch (algorithm) {
    case CertificateCompression::kZlib:
      return GNUTLS_COMP_ZLIB;
    case CertificateCompression::kBrotli:
      return GNUTLS_COMP_BROTLI;
    case CertificateCompression::kZstd:
      return GNUTLS_COMP_ZSTD;
  }
  return GNUTLS_COMP_UNKNOWN;
}

}  // namespace

std::vector<Capability> UnsupportedRows() {
  std::vector<Capability> rows;
  gnutls_session_t session = nullptr;
  if (gnutls_init(&session, GNUTLS_CLIENT) < 0) return rows;
  for (CertificateCompression algorithm : kAllCertificateCompressions) {
    const gnutls_compression_method_t method = MethodOf(algorithm);
    if (int rc = gnutls_compress_certificate_set_methods(session, &method, 1); rc < 0) {
      rows.push_back(NotSupported(
          CertificateCompressionFeature(algorithm),
          absl::StrCat("this GnuTLS build has no ", CertificateCompressionName(algorithm),
                       " (gnutls_compress_certificate_set_methods: ", gnutls_strerror(rc),
                       "): GnuTLS compresses with the libraries it was configured with, and "
                       "Debian configures 3.7.9 with none")));
    }
  }
  gnutls_deinit(session);
  if (rows.size() == std::size(kAllCertificateCompressions)) {
    rows.push_back(NotSupported("cert-compression:client-certificate",
                                "this GnuTLS build has none of zlib, brotli and zstd"));
  }
  return rows;
}

absl::Status SetOn(gnutls_session_t session,
                   const std::vector<CertificateCompression>& algorithms) {
  if (algorithms.empty()) return absl::OkStatus();
  std::vector<gnutls_compression_method_t> methods;
  for (CertificateCompression algorithm : algorithms) methods.push_back(MethodOf(algorithm));
  if (int rc = gnutls_compress_certificate_set_methods(session, methods.data(), methods.size());
      rc < 0) {
    return Unsupported(
        absl::StrCat("gnutls_compress_certificate_set_methods: ", gnutls_strerror(rc)));
  }
  return absl::OkStatus();
}

std::optional<CertificateCompression> AlgorithmOf(const gnutls_datum_t& body) {
  if (body.size < 2) return std::nullopt;  // RFC 8879 section 4: the algorithm comes first
  const int code_point = body.data[0] << 8 | body.data[1];
  for (CertificateCompression algorithm : kAllCertificateCompressions) {
    if (code_point == static_cast<int>(algorithm)) return algorithm;
  }
  return std::nullopt;
}

}  // namespace mtls::gnutls_cert_compression
