// Owning pointers for OpenSSL-API objects, shared by this directory's sources (OpenSSL and
// BoringSSL builds alike).
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>

namespace mtls::openssl_api {

template <auto FreeFunction>
struct Deleter {
  template <typename T>
  void operator()(T* pointer) const {
    FreeFunction(pointer);
  }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, Deleter<SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, Deleter<SSL_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using SessionPtr = std::unique_ptr<SSL_SESSION, Deleter<SSL_SESSION_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;

}  // namespace mtls::openssl_api
