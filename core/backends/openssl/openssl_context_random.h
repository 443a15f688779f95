// The per-context random seam (EndpointConfig::seams.random, manifest "seam:random") on
// OpenSSL 3: a context with the seam gets a library context (OSSL_LIB_CTX) of its own, with the
// default provider for the algorithms and, for every generator of that library context (primary,
// public and private DRBGs and their seed source), an EVP_RAND that a small built-in provider
// implements by calling the seam. Key shares, signatures, hello randoms and session tickets of
// its SSL_CTX all draw from there. Contexts without the seam stay in the default library context.
// BoringSSL has no library contexts (its manifest refuses the seam before it gets here).
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "mtls/config.h"

namespace mtls::openssl_random {

#if defined(OPENSSL_IS_BORINGSSL)

class SeamLibraryContext {};

inline absl::StatusOr<std::unique_ptr<SeamLibraryContext>> LibraryContextFor(
    const DeterminismSeams&) {
  return nullptr;
}

inline SSL_CTX* NewSslContext(const SeamLibraryContext*, const SSL_METHOD* method) {
  return SSL_CTX_new(method);
}

#else

class SeamLibraryContext {
 public:
  using RandomSeam = std::function<void(absl::Span<uint8_t>)>;

  explicit SeamLibraryContext(RandomSeam seam) : seam_(std::move(seam)) {}
  SeamLibraryContext(const SeamLibraryContext&) = delete;
  SeamLibraryContext& operator=(const SeamLibraryContext&) = delete;
  ~SeamLibraryContext();

  // Creates the library context, loads the providers and selects the seam's generator.
  absl::Status Start();
  OSSL_LIB_CTX* library_context() const { return library_context_; }
  // What the generators return: the seam's bytes, one call at a time (the primary generator is
  // shared between threads, and the seam need not be thread-safe).
  void Generate(absl::Span<uint8_t> out);

 private:
  RandomSeam seam_;
  std::mutex mutex_;
  OSSL_LIB_CTX* library_context_ = nullptr;
  OSSL_PROVIDER* seam_provider_ = nullptr;
  OSSL_PROVIDER* default_provider_ = nullptr;
};

// A library context for `seams.random`; null when there is no random seam.
absl::StatusOr<std::unique_ptr<SeamLibraryContext>> LibraryContextFor(
    const DeterminismSeams& seams);

// An SSL_CTX of `method` in `library`'s library context, or in the default one when `library`
// is null.
SSL_CTX* NewSslContext(const SeamLibraryContext* library, const SSL_METHOD* method);

#endif

}  // namespace mtls::openssl_random
