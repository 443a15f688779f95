#include "mtls/certificate_codec.h"

#include "absl/strings/str_cat.h"
#include "mtls/status.h"

#if defined(MTLS_HAVE_ZLIB)
#include <zlib.h>
#endif
#if defined(MTLS_HAVE_BROTLI)
#include <brotli/decode.h>
#include <brotli/encode.h>
#endif
#if defined(MTLS_HAVE_ZSTD)
#include <zstd.h>
#include <zstd_errors.h>
#endif

namespace mtls {
namespace {

absl::Status Unavailable(CertificateCompression algorithm) {
  return Unsupported(absl::StrCat("certificate compression ", CertificateCompressionName(algorithm),
                                  ": this build links no ", CertificateCompressionName(algorithm),
                                  " library"));
}

absl::Status Malformed(CertificateCompression algorithm, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(CertificateCompressionName(algorithm), "-compressed certificate: ", why));
}

#if defined(MTLS_HAVE_ZLIB)
absl::StatusOr<std::string> ZlibCompress(absl::string_view in) {
  uLongf size = compressBound(static_cast<uLong>(in.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(in.data()), static_cast<uLong>(in.size()),
                Z_DEFAULT_COMPRESSION) != Z_OK) {
    return absl::InternalError("zlib: compress2 failed");
  }
  out.resize(size);
  return out;
}

absl::StatusOr<std::string> ZlibDecompress(absl::string_view in, size_t length) {
  std::string out(length, '\0');
  z_stream stream = {};
  if (inflateInit(&stream) != Z_OK) return absl::InternalError("zlib: inflateInit failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  stream.avail_in = static_cast<uInt>(in.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&stream, Z_FINISH);
  const size_t produced = stream.total_out;
  const size_t left_in = stream.avail_in;
  inflateEnd(&stream);
  if (rc == Z_BUF_ERROR && produced == length) {
    return Malformed(CertificateCompression::kZlib, "longer than the announced length");
  }
  if (rc != Z_STREAM_END)
    return Malformed(CertificateCompression::kZlib, "not a complete zlib stream");
  if (produced != length) {
    return Malformed(CertificateCompression::kZlib, "shorter than the announced length");
  }
  if (left_in != 0) return Malformed(CertificateCompression::kZlib, "bytes after the stream");
  return out;
}
#endif

#if defined(MTLS_HAVE_BROTLI)
absl::StatusOr<std::string> BrotliCompress(absl::string_view in) {
  size_t size = BrotliEncoderMaxCompressedSize(in.size());
  std::string out(size, '\0');
  if (!BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_DEFAULT_MODE,
                             in.size(), reinterpret_cast<const uint8_t*>(in.data()), &size,
                             reinterpret_cast<uint8_t*>(out.data()))) {
    return absl::InternalError("brotli: BrotliEncoderCompress failed");
  }
  out.resize(size);
  return out;
}

absl::StatusOr<std::string> BrotliDecompress(absl::string_view in, size_t length) {
  std::string out(length, '\0');
  BrotliDecoderState* state = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
  if (state == nullptr) return absl::InternalError("brotli: no decoder");
  size_t available_in = in.size();
  const auto* next_in = reinterpret_cast<const uint8_t*>(in.data());
  size_t available_out = out.size();
  auto* next_out = reinterpret_cast<uint8_t*>(out.data());
  const BrotliDecoderResult result = BrotliDecoderDecompressStream(
      state, &available_in, &next_in, &available_out, &next_out, nullptr);
  BrotliDecoderDestroyInstance(state);
  switch (result) {
    case BROTLI_DECODER_RESULT_SUCCESS:
      if (available_out != 0) {
        return Malformed(CertificateCompression::kBrotli, "shorter than the announced length");
      }
      if (available_in != 0)
        return Malformed(CertificateCompression::kBrotli, "bytes after the stream");
      return out;
    case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
      return Malformed(CertificateCompression::kBrotli, "longer than the announced length");
    default:
      return Malformed(CertificateCompression::kBrotli, "not a brotli stream");
  }
}
#endif

#if defined(MTLS_HAVE_ZSTD)
absl::StatusOr<std::string> ZstdCompress(absl::string_view in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  const size_t size =
      ZSTD_compress(out.data(), out.size(), in.data(), in.size(), ZSTD_CLEVEL_DEFAULT);
  if (ZSTD_isError(size))
    return absl::InternalError(absl::StrCat("zstd: ", ZSTD_getErrorName(size)));
  out.resize(size);
  return out;
}

absl::StatusOr<std::string> ZstdDecompress(absl::string_view in, size_t length) {
  std::string out(length, '\0');
  const size_t size = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
  if (ZSTD_isError(size)) {
    return Malformed(CertificateCompression::kZstd,
                     ZSTD_getErrorCode(size) == ZSTD_error_dstSize_tooSmall
                         ? "longer than the announced length"
                         : ZSTD_getErrorName(size));
  }
  if (size != length) {
    return Malformed(CertificateCompression::kZstd, "shorter than the announced length");
  }
  return out;
}
#endif

}  // namespace

bool CertificateCodecAvailable(CertificateCompression algorithm) {
  switch (algorithm) {
    case CertificateCompression::kZlib:
#if defined(MTLS_HAVE_ZLIB)
      return true;
#else
      return false;
#endif
    case CertificateCompression::kBrotli:
#if defined(MTLS_HAVE_BROTLI)
      return true;
#else
      return false;
#endif
    case CertificateCompression::kZstd:
#if defined(MTLS_HAVE_ZSTD)
      return true;
#else
      return false;
#endif
  }
  return false;
}

absl::StatusOr<std::string> CompressCertificate(CertificateCompression algorithm,
                                                absl::string_view message) {
  switch (algorithm) {
#if defined(MTLS_HAVE_ZLIB)
    case CertificateCompression::kZlib:
      return ZlibCompress(message);
#endif
#if defined(MTLS_HAVE_BROTLI)
    case CertificateCompression::kBrotli:
      return BrotliCompress(message);
#endif
#if defined(MTLS_HAVE_ZSTD)
    case CertificateCompression::kZstd:
      return ZstdCompress(message);
#endif
    default:
      return Unavailable(algorithm);
  }
}

absl::StatusOr<std::string> DecompressCertificate(CertificateCompression algorithm,
                                                  absl::string_view compressed,
                                                  size_t uncompressed_length) {
  switch (algorithm) {
#if defined(MTLS_HAVE_ZLIB)
    case CertificateCompression::kZlib:
      return ZlibDecompress(compressed, uncompressed_length);
#endif
#if defined(MTLS_HAVE_BROTLI)
    case CertificateCompression::kBrotli:
      return BrotliDecompress(compressed, uncompressed_length);
#endif
#if defined(MTLS_HAVE_ZSTD)
    case CertificateCompression::kZstd:
      return ZstdDecompress(compressed, uncompressed_length);
#endif
    default:
      return Unavailable(algorithm);
  }
}

}  // namespace mtls
