#include "openssl_raw_public_key.h"

#if defined(TLSEXT_cert_type_rpk)

#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "mtls/status.h"
#include "openssl_x509.h"

namespace mtls::openssl_rpk {

using openssl_api::DrainErrors;

absl::Status TrustedKeys::Configure(SSL_CTX* ctx, const RawPublicKeys& config) {
  MTLS_RETURN_IF_ERROR(RequireCapability("rpk"));
  // Raw keys only, both directions: a peer that insists on certificates fails the handshake.
  static constexpr unsigned char kRawKeysOnly[] = {TLSEXT_cert_type_rpk};
  if (SSL_CTX_dane_enable(ctx) <= 0 || SSL_CTX_set1_client_cert_type(ctx, kRawKeysOnly, 1) != 1 ||
      SSL_CTX_set1_server_cert_type(ctx, kRawKeysOnly, 1) != 1) {
    return absl::InternalError(absl::StrCat("certificate type extension: ", DrainErrors()));
  }
  const auto& keys = config.trusted_peer_keys_der;
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto* cursor = reinterpret_cast<const uint8_t*>(keys[i].data());
    openssl_api::EvpPkeyPtr key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(keys[i].size())));
    if (!key) {
      DrainErrors();
      return BadInput(
          absl::StrCat("trusted raw public key ", i + 1, ": not a valid SubjectPublicKeyInfo"));
    }
    keys_.push_back(std::move(key));
  }
  return absl::OkStatus();
}

absl::Status TrustedKeys::ExpectIn(SSL* ssl) const {
  // OpenSSL matches raw keys as DANE-EE(3) SPKI(1) Full(0) records of the session.
  if (!keys_.empty() && SSL_dane_enable(ssl, nullptr) <= 0) {
    return absl::InternalError(absl::StrCat("SSL_dane_enable: ", DrainErrors()));
  }
  for (const openssl_api::EvpPkeyPtr& key : keys_) {
    if (SSL_add_expected_rpk(ssl, key.get()) != 1) {
      return absl::InternalError(absl::StrCat("SSL_add_expected_rpk: ", DrainErrors()));
    }
  }
  return absl::OkStatus();
}

std::string PeerKey(SSL* ssl) {
  EVP_PKEY* key = SSL_get0_peer_rpk(ssl);
  if (key == nullptr) return "";
  const int length = i2d_PUBKEY(key, nullptr);
  if (length <= 0) return "";
  std::string der(static_cast<size_t>(length), '\0');
  auto* cursor = reinterpret_cast<uint8_t*>(der.data());
  i2d_PUBKEY(key, &cursor);
  return der;
}

}  // namespace mtls::openssl_rpk

#endif  // TLSEXT_cert_type_rpk
