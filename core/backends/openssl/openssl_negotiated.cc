#include "openssl_negotiated.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mtls::openssl_api {

std::optional<Group> NegotiatedGroup(SSL* ssl) {
#if defined(OPENSSL_IS_BORINGSSL)
  return GroupFromCodePoint(SSL_get_curve_id(ssl));
#else
  const int negotiated = SSL_get_negotiated_group(ssl);
  // Groups without a NID (ML-KEM and its hybrids, OpenSSL 3.5) come back as their code point.
  if ((negotiated & TLSEXT_nid_unknown) != 0) return GroupFromCodePoint(negotiated & 0xffff);
  switch (negotiated) {
    case NID_X25519:
      return Group::kX25519;
    case NID_X9_62_prime256v1:
      return Group::kP256;
    case NID_secp384r1:
      return Group::kP384;
    default:
      return std::nullopt;
  }
#endif
}

uint16_t PeerSignatureAlgorithm(SSL* ssl) {
#if defined(OPENSSL_IS_BORINGSSL)
  return SSL_get_peer_signature_algorithm(ssl);
#elif defined(SSL_get0_peer_signature_name)
  // OpenSSL 3.5 names the scheme (IANA name), ML-DSA included.
  const char* name = nullptr;
  if (SSL_get0_peer_signature_name(ssl, &name) != 1 || name == nullptr) return 0;
  absl::StatusOr<uint16_t> code_point = ParseSignatureAlgorithm(name);
  return code_point.ok() ? *code_point : 0;
#else
  // OpenSSL 3.0 has no code-point getter: rebuild it from key type and hash. PSS is reported
  // as rsae since every RSA key this project uses is an rsaEncryption key.
  int type = NID_undef;
  int hash = NID_undef;
  if (SSL_get_peer_signature_type_nid(ssl, &type) != 1) return 0;
  SSL_get_peer_signature_nid(ssl, &hash);
  const bool sha384 = hash == NID_sha384;
  switch (type) {
    case EVP_PKEY_ED25519:
      return sigalg::kEd25519;
    case EVP_PKEY_EC:
      return sha384 ? sigalg::kEcdsaSecp384r1Sha384 : sigalg::kEcdsaSecp256r1Sha256;
    case EVP_PKEY_RSA_PSS:
      return sha384 ? sigalg::kRsaPssRsaeSha384 : sigalg::kRsaPssRsaeSha256;
    case EVP_PKEY_RSA:
      return sha384 ? sigalg::kRsaPkcs1Sha384 : sigalg::kRsaPkcs1Sha256;
    default:
      return 0;
  }
#endif
}

X509Ptr PeerCertificate(SSL* ssl) {
#if defined(OPENSSL_IS_BORINGSSL)
  return X509Ptr(SSL_get_peer_certificate(ssl));
#else
  return X509Ptr(SSL_get1_peer_certificate(ssl));
#endif
}

std::optional<PeerIdentity> IdentityOf(X509* certificate) {
  uint8_t* der = nullptr;
  const int length = i2d_X509(certificate, &der);
  if (length <= 0) return std::nullopt;
  auto identity = IdentityFromCertificate(
      absl::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(length)));
  OPENSSL_free(der);
  if (!identity.ok()) return std::nullopt;
  return *std::move(identity);
}

}  // namespace mtls::openssl_api
