#include "openssl_cert_compression.h"

#include <openssl/err.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mtls/certificate_codec.h"
#include "mtls/status.h"

// OpenSSL 3.2+ with at least one of zlib, brotli, zstd.
#if !defined(OPENSSL_IS_BORINGSSL) && defined(TLSEXT_comp_cert_zlib) && \
    !defined(OPENSSL_NO_COMP_ALG)
#define MTLS_OPENSSL_CERT_COMPRESSION 1
#endif

namespace mtls::openssl_cert_compression {
namespace {

// Where a session keeps the code point of the algorithm its peer's Certificate came in (0: none).
int PeerAlgorithmIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

[[maybe_unused]] void RecordPeerAlgorithm(SSL* ssl, uint16_t code_point) {
  SSL_set_ex_data(ssl, PeerAlgorithmIndex(), reinterpret_cast<void*>(uintptr_t{code_point}));
}

#if defined(OPENSSL_IS_BORINGSSL)
// BoringSSL compresses at every handshake, and an endpoint sends the same Certificate each time:
// its compressed form is kept per context, as OpenSSL's SSL_CTX_compress_certs keeps it.
struct CompressedForms {
  std::mutex mutex;
  std::vector<std::tuple<CertificateCompression, std::string, std::string>> entries;
};

void FreeCompressedForms(void*, void* forms, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<CompressedForms*>(forms);
}

int CompressedFormsIndex() {
  static const int index =
      SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, FreeCompressedForms);
  return index;
}

// BoringSSL calls these when it sends or receives a CompressedCertificate with the algorithm;
// the decompression it asked for is what marks the peer's Certificate as compressed.
template <CertificateCompression kAlgorithm>
int Compress(SSL* ssl, CBB* out, const uint8_t* in, size_t in_len) {
  const absl::string_view message(reinterpret_cast<const char*>(in), in_len);
  auto* forms = static_cast<CompressedForms*>(
      SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), CompressedFormsIndex()));
  std::lock_guard<std::mutex> lock(forms->mutex);
  auto known = std::find_if(forms->entries.begin(), forms->entries.end(), [&](const auto& entry) {
    return std::get<0>(entry) == kAlgorithm && std::get<1>(entry) == message;
  });
  if (known == forms->entries.end()) {
    absl::StatusOr<std::string> compressed = CompressCertificate(kAlgorithm, message);
    if (!compressed.ok()) return 0;
    known = forms->entries.emplace(forms->entries.end(), kAlgorithm, std::string(message),
                                   *std::move(compressed));
  }
  const std::string& compressed = std::get<2>(*known);
  return CBB_add_bytes(out, reinterpret_cast<const uint8_t*>(compressed.data()), compressed.size());
}

template <CertificateCompression kAlgorithm>
int Decompress(SSL* ssl, CRYPTO_BUFFER** out, size_t uncompressed_len, const uint8_t* in,
               size_t in_len) {
  auto message = DecompressCertificate(kAlgorithm, {reinterpret_cast<const char*>(in), in_len},
                                       uncompressed_len);
  if (!message.ok()) return 0;  // BoringSSL fails the handshake: CERT_DECOMPRESSION_FAILED
  *out = CRYPTO_BUFFER_new(reinterpret_cast<const uint8_t*>(message->data()), message->size(),
                           nullptr);
  if (*out == nullptr) return 0;
  RecordPeerAlgorithm(ssl, static_cast<uint16_t>(kAlgorithm));
  return 1;
}

template <CertificateCompression kAlgorithm>
bool Register(SSL_CTX* ctx) {
  return SSL_CTX_add_cert_compression_alg(ctx, static_cast<uint16_t>(kAlgorithm),
                                          Compress<kAlgorithm>, Decompress<kAlgorithm>) == 1;
}
#elif defined(MTLS_OPENSSL_CERT_COMPRESSION)
// OpenSSL decompresses by itself: its message callback shows the CompressedCertificate
// (RFC 8879 section 4: type 25, then the 2-byte algorithm) as it reads it.
void OnMessage(int write_p, int, int content_type, const void* buf, size_t len, SSL* ssl, void*) {
  const auto* message = static_cast<const uint8_t*>(buf);
  if (write_p == 0 && content_type == SSL3_RT_HANDSHAKE && len >= 6 &&
      message[0] == SSL3_MT_COMPRESSED_CERTIFICATE) {
    RecordPeerAlgorithm(ssl, static_cast<uint16_t>(message[4] << 8 | message[5]));
  }
}
#endif

}  // namespace

absl::Status Configure(SSL_CTX* ctx, const EndpointConfig& config) {
  const std::vector<CertificateCompression>& algorithms = config.certificate_compression;
#if defined(OPENSSL_IS_BORINGSSL)
  if (algorithms.empty()) return absl::OkStatus();
  SSL_CTX_set_ex_data(ctx, CompressedFormsIndex(), new CompressedForms);
  // Registered in preference order: BoringSSL compresses with the first its peer offers.
  for (CertificateCompression algorithm : algorithms) {
    bool registered = false;
    switch (algorithm) {
      case CertificateCompression::kZlib:
        registered = Register<CertificateCompression::kZlib>(ctx);
        break;
      case CertificateCompression::kBrotli:
        registered = Register<CertificateCompression::kBrotli>(ctx);
        break;
      case CertificateCompression::kZstd:
        registered = Register<CertificateCompression::kZstd>(ctx);
        break;
    }
    if (!registered) {
      return absl::InternalError(
          absl::StrCat("SSL_CTX_add_cert_compression_alg ", CertificateCompressionName(algorithm)));
    }
  }
  return absl::OkStatus();
#elif defined(MTLS_OPENSSL_CERT_COMPRESSION)
  if (algorithms.empty()) {
    // OpenSSL offers and uses every algorithm it was built with unless told not to.
    SSL_CTX_set_options(
        ctx, SSL_OP_NO_TX_CERTIFICATE_COMPRESSION | SSL_OP_NO_RX_CERTIFICATE_COMPRESSION);
    return absl::OkStatus();
  }
  std::vector<int> preference;
  for (CertificateCompression algorithm : algorithms) {
    preference.push_back(static_cast<int>(algorithm));
  }
  if (SSL_CTX_set1_cert_comp_preference(ctx, preference.data(), preference.size()) != 1) {
    return absl::InternalError("SSL_CTX_set1_cert_comp_preference failed");
  }
  SSL_CTX_set_msg_callback(ctx, OnMessage);
  // Compressed once per context, not at every handshake (as a server would serve it). OpenSSL
  // keeps no compressed form that is not smaller, says so by failing, and then sends the
  // Certificate uncompressed: the handshake reports that.
  if (config.credentials && SSL_CTX_compress_certs(ctx, 0) != 1) ERR_clear_error();
  return absl::OkStatus();
#else
  // Validate() refused any algorithm this build lacks (the manifest says why).
  (void)ctx;
  (void)algorithms;
  return absl::OkStatus();
#endif
}

std::optional<CertificateCompression> PeerAlgorithm(const SSL* ssl) {
  const auto code_point = reinterpret_cast<uintptr_t>(SSL_get_ex_data(ssl, PeerAlgorithmIndex()));
  for (CertificateCompression algorithm : kAllCertificateCompressions) {
    if (code_point == static_cast<uintptr_t>(algorithm)) return algorithm;
  }
  return std::nullopt;
}

}  // namespace mtls::openssl_cert_compression
