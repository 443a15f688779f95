// Public-key primitives for wolfSSL, through wolfCrypt (mtls/primitives.h).
#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/wolfcrypt/curve25519.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/random.h>

#include "absl/strings/str_cat.h"
#include "mtls/primitives.h"
#include "mtls/status.h"
#include "mtls/x509_identity.h"
#include "wolfssl_keys.h"
#include "wolfssl_x509.h"

namespace mtls {
namespace {

using wolfssl_keys::KeyPair;

absl::Status CryptoError(absl::string_view what, int rc) {
  return MakeError(absl::StatusCode::kInternal, ErrorClass::kHandshakeFailure,
                   absl::StrCat(what, " failed (wolfCrypt error ", rc, ")"));
}

// A 130-byte message: what a TLS 1.3 CertificateVerify signs with a SHA-256 transcript hash.
constexpr uint8_t kMessage[130] = {0x20};

class WolfSignature : public SignatureOperation {
 public:
  explicit WolfSignature(std::unique_ptr<KeyPair> key) : key_(std::move(key)) { wc_InitRng(&rng_); }
  ~WolfSignature() override { wc_FreeRng(&rng_); }

  absl::Status Sign() override { return key_->Sign(kMessage, &signature_, &rng_); }
  // With the public half of the same pair, which the certificate was checked to hold.
  absl::Status Verify() override { return key_->Verify(kMessage, signature_); }

 private:
  std::unique_ptr<KeyPair> key_;
  WC_RNG rng_;
  std::string signature_;
};

class X25519Exchange : public KeyExchangeOperation {
 public:
  X25519Exchange() {
    wc_InitRng(&rng_);
    wc_curve25519_init(&peer_);
    wc_curve25519_make_key(&rng_, CURVE25519_KEYSIZE, &peer_);
  }
  ~X25519Exchange() override {
    wc_curve25519_free(&peer_);
    wc_FreeRng(&rng_);
  }
  absl::Status GenerateAndDerive() override {
    curve25519_key own;
    wc_curve25519_init(&own);
    byte secret[CURVE25519_KEYSIZE];
    word32 length = sizeof(secret);
    int rc = wc_curve25519_make_key(&rng_, CURVE25519_KEYSIZE, &own);
    if (rc == 0) rc = wc_curve25519_shared_secret(&own, &peer_, secret, &length);
    wc_curve25519_free(&own);
    return rc == 0 ? absl::OkStatus() : CryptoError("X25519", rc);
  }

 private:
  WC_RNG rng_;
  curve25519_key peer_;
};

class EcdhExchange : public KeyExchangeOperation {
 public:
  EcdhExchange(int curve, int size) : curve_(curve), size_(size) {
    wc_InitRng(&rng_);
    wc_ecc_init(&peer_);
    wc_ecc_make_key_ex(&rng_, size_, &peer_, curve_);
  }
  ~EcdhExchange() override {
    wc_ecc_free(&peer_);
    wc_FreeRng(&rng_);
  }
  absl::Status GenerateAndDerive() override {
    ecc_key own;
    wc_ecc_init(&own);
    byte secret[72];
    word32 length = sizeof(secret);
    int rc = wc_ecc_make_key_ex(&rng_, size_, &own, curve_);
    if (rc == 0) rc = wc_ecc_set_rng(&own, &rng_);  // timing-resistant builds blind with it
    if (rc == 0) rc = wc_ecc_shared_secret(&own, &peer_, secret, &length);
    wc_ecc_free(&own);
    return rc == 0 ? absl::OkStatus() : CryptoError("ECDH", rc);
  }

 private:
  int curve_;
  int size_;
  WC_RNG rng_;
  ecc_key peer_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SignatureOperation>> MakeSignatureOperation(
    const Credentials& credentials) {
  // wolfCrypt's generator needs the seed source wolfSSL_Init installs (WC_RNG_SEED_CB builds).
  wolfssl_x509::EnsureLibraryInitialised();
  if (credentials.chain_der.empty()) return BadInput("signature operation: no certificate");
  std::unique_ptr<KeyPair> key = KeyPair::Decode(credentials.key_der);
  if (!key) return BadInput("signature operation: unparsable or unsupported key");
  const std::optional<std::string> derived = key->PublicKeyBits();
  const absl::StatusOr<std::string> certified = CertificatePublicKeyBits(credentials.chain_der[0]);
  if (!certified.ok() || (derived && *derived != *certified) ||
      (!derived && !key->AdoptPublicKey(*certified).ok())) {
    return BadInput("signature operation: the key is not the certificate's");
  }
  auto operation = std::make_unique<WolfSignature>(std::move(key));
  MTLS_RETURN_IF_ERROR(operation->Sign());
  // Also what shows that a key without its own public half belongs to the certificate.
  if (!operation->Verify().ok()) {
    return BadInput("signature operation: the key is not the certificate's");
  }
  return std::unique_ptr<SignatureOperation>(std::move(operation));
}

absl::StatusOr<std::unique_ptr<KeyExchangeOperation>> MakeKeyExchangeOperation(Group group) {
  wolfssl_x509::EnsureLibraryInitialised();
  std::unique_ptr<KeyExchangeOperation> operation;
  switch (group) {
    case Group::kX25519:
      operation = std::make_unique<X25519Exchange>();
      break;
    case Group::kP256:
      operation = std::make_unique<EcdhExchange>(ECC_SECP256R1, 32);
      break;
    case Group::kP384:
      operation = std::make_unique<EcdhExchange>(ECC_SECP384R1, 48);
      break;
    case Group::kX25519MlKem768:
    case Group::kMlKem768:
    case Group::kKyber768:
    case Group::kP384Kyber768:
      return Unsupported("the public-key floor covers Diffie-Hellman groups, not KEMs");
  }
  MTLS_RETURN_IF_ERROR(operation->GenerateAndDerive());
  return operation;
}

}  // namespace mtls
