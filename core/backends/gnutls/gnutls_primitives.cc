// Public-key primitives for GnuTLS: signatures through its abstract key API; key exchange through
// nettle/hogweed, the crypto library GnuTLS performs its own (EC)DHE with (GnuTLS 3.7 has no
// public key-agreement call).
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nettle/curve25519.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "gnutls_util.h"
#include "mtls/primitives.h"
#include "mtls/status.h"

namespace mtls {
namespace {

using gnutls_util::Datum;
using gnutls_util::LibraryError;

gnutls_sign_algorithm_t SignatureAlgorithmFor(gnutls_pubkey_t key) {
  unsigned bits = 0;
  switch (gnutls_pubkey_get_pk_algorithm(key, &bits)) {
    case GNUTLS_PK_ECDSA:
      return bits > 256 ? GNUTLS_SIGN_ECDSA_SECP384R1_SHA384 : GNUTLS_SIGN_ECDSA_SECP256R1_SHA256;
    case GNUTLS_PK_EDDSA_ED25519:
      return GNUTLS_SIGN_EDDSA_ED25519;
    default:
      return GNUTLS_SIGN_RSA_PSS_RSAE_SHA256;
  }
}

class GnutlsSignature : public SignatureOperation {
 public:
  ~GnutlsSignature() override {
    gnutls_privkey_deinit(private_key_);
    gnutls_pubkey_deinit(public_key_);
    gnutls_free(signature_.data);
  }

  absl::Status Init(const Credentials& credentials) {
    gnutls_privkey_init(&private_key_);
    gnutls_pubkey_init(&public_key_);
    gnutls_datum_t key = Datum(credentials.key_der);
    gnutls_datum_t certificate = Datum(credentials.chain_der.at(0));
    if (gnutls_privkey_import_x509_raw(private_key_, &key, GNUTLS_X509_FMT_DER, nullptr,
                                       GNUTLS_PKCS_PLAIN) < 0 ||
        gnutls_pubkey_import_x509_raw(public_key_, &certificate, GNUTLS_X509_FMT_DER, 0) < 0) {
      return BadInput("signature operation: unparsable certificate or key");
    }
    algorithm_ = SignatureAlgorithmFor(public_key_);
    return absl::OkStatus();
  }

  absl::Status Sign() override {
    gnutls_free(signature_.data);
    signature_ = {nullptr, 0};
    const gnutls_datum_t message{const_cast<unsigned char*>(kMessage), sizeof(kMessage)};
    if (int rc = gnutls_privkey_sign_data2(private_key_, algorithm_, 0, &message, &signature_);
        rc < 0) {
      return LibraryError("sign", rc);
    }
    return absl::OkStatus();
  }

  absl::Status Verify() override {
    const gnutls_datum_t message{const_cast<unsigned char*>(kMessage), sizeof(kMessage)};
    if (int rc = gnutls_pubkey_verify_data2(public_key_, algorithm_, 0, &message, &signature_);
        rc < 0) {
      return LibraryError("verify", rc);
    }
    return absl::OkStatus();
  }

 private:
  static constexpr unsigned char kMessage[130] = {0x20};  // CertificateVerify-sized
  gnutls_privkey_t private_key_ = nullptr;
  gnutls_pubkey_t public_key_ = nullptr;
  gnutls_sign_algorithm_t algorithm_ = GNUTLS_SIGN_UNKNOWN;
  gnutls_datum_t signature_{nullptr, 0};
};

void GnutlsRandom(void*, size_t length, uint8_t* out) { gnutls_rnd(GNUTLS_RND_KEY, out, length); }

class X25519Exchange : public KeyExchangeOperation {
 public:
  X25519Exchange() {
    uint8_t peer_private[CURVE25519_SIZE];
    GnutlsRandom(nullptr, sizeof(peer_private), peer_private);
    curve25519_mul_g(peer_public_, peer_private);
  }
  absl::Status GenerateAndDerive() override {
    uint8_t own_private[CURVE25519_SIZE], own_public[CURVE25519_SIZE], secret[CURVE25519_SIZE];
    GnutlsRandom(nullptr, sizeof(own_private), own_private);
    curve25519_mul_g(own_public, own_private);
    curve25519_mul(secret, own_private, peer_public_);
    return absl::OkStatus();
  }

 private:
  uint8_t peer_public_[CURVE25519_SIZE];
};

class EcdhExchange : public KeyExchangeOperation {
 public:
  explicit EcdhExchange(const ecc_curve* curve) : curve_(curve) {
    ecc_point_init(&peer_, curve_);
    ecc_scalar peer_private;
    ecc_scalar_init(&peer_private, curve_);
    ecc_scalar_random(&peer_private, nullptr, GnutlsRandom);
    ecc_point_mul_g(&peer_, &peer_private);
    ecc_scalar_clear(&peer_private);
  }
  ~EcdhExchange() override { ecc_point_clear(&peer_); }

  absl::Status GenerateAndDerive() override {
    ecc_scalar own_private;
    ecc_point own_public, secret;
    ecc_scalar_init(&own_private, curve_);
    ecc_point_init(&own_public, curve_);
    ecc_point_init(&secret, curve_);
    ecc_scalar_random(&own_private, nullptr, GnutlsRandom);
    ecc_point_mul_g(&own_public, &own_private);
    ecc_point_mul(&secret, &own_private, &peer_);
    ecc_point_clear(&secret);
    ecc_point_clear(&own_public);
    ecc_scalar_clear(&own_private);
    return absl::OkStatus();
  }

 private:
  const ecc_curve* curve_;
  ecc_point peer_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SignatureOperation>> MakeSignatureOperation(
    const Credentials& credentials) {
  if (credentials.chain_der.empty()) return BadInput("signature operation: no certificate");
  auto operation = std::make_unique<GnutlsSignature>();
  MTLS_RETURN_IF_ERROR(operation->Init(credentials));
  MTLS_RETURN_IF_ERROR(operation->Sign());
  MTLS_RETURN_IF_ERROR(operation->Verify());
  return std::unique_ptr<SignatureOperation>(std::move(operation));
}

absl::StatusOr<std::unique_ptr<KeyExchangeOperation>> MakeKeyExchangeOperation(Group group) {
  switch (group) {
    case Group::kX25519:
      return std::unique_ptr<KeyExchangeOperation>(std::make_unique<X25519Exchange>());
    case Group::kP256:
      return std::unique_ptr<KeyExchangeOperation>(
          std::make_unique<EcdhExchange>(nettle_get_secp_256r1()));
    case Group::kP384:
      return std::unique_ptr<KeyExchangeOperation>(
          std::make_unique<EcdhExchange>(nettle_get_secp_384r1()));
    case Group::kX25519MlKem768:
    case Group::kMlKem768:
    case Group::kKyber768:
    case Group::kP384Kyber768:
      break;
  }
  return Unsupported("unknown group");
}

}  // namespace mtls
