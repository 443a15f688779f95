#include "wolfssl_keys.h"

#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/hash.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "mtls/status.h"
#include "mtls/x509_identity.h"

namespace mtls::wolfssl_keys {
namespace {

absl::Status CryptoError(absl::string_view what, int rc) {
  return MakeError(absl::StatusCode::kInternal, ErrorClass::kHandshakeFailure,
                   absl::StrCat(what, " failed (wolfCrypt error ", rc, ")"));
}

// The digest ECDSA with this curve (or RSA-PSS) signs in TLS 1.3.
std::string Digest(absl::Span<const uint8_t> message, bool sha384) {
  std::string digest(sha384 ? 48 : 32, '\0');
  auto* out = reinterpret_cast<byte*>(digest.data());
  const auto length = static_cast<word32>(message.size());
  if (sha384) {
    wc_Sha384Hash(message.data(), length, out);
  } else {
    wc_Sha256Hash(message.data(), length, out);
  }
  return digest;
}

const byte* Bytes(const std::string& text) { return reinterpret_cast<const byte*>(text.data()); }

}  // namespace

std::unique_ptr<KeyPair> KeyPair::Decode(const std::string& der) {
  std::vector<byte> key(der.begin(), der.end());
  const auto size = static_cast<word32>(key.size());
  word32 traditional = 0;  // where the key sits inside a PKCS#8 wrapper
  if (wc_GetPkcs8TraditionalOffset(key.data(), &traditional, size) < 0) traditional = 0;
  {
    auto pair = std::unique_ptr<KeyPair>(new KeyPair(Type::kEcc));
    wc_ecc_init(&pair->ecc_);
    word32 index = traditional;
    if (wc_EccPrivateKeyDecode(key.data(), &index, &pair->ecc_, size) == 0 &&
        wc_ecc_make_pub(&pair->ecc_, nullptr) == 0) {
      return pair;
    }
  }
  {
    auto pair = std::unique_ptr<KeyPair>(new KeyPair(Type::kEd25519));
    wc_ed25519_init(&pair->ed25519_);
    word32 index = 0;
    byte private_key[ED25519_KEY_SIZE];
    byte public_key[ED25519_PUB_KEY_SIZE];
    word32 private_size = sizeof(private_key);
    // Decoding leaves the public half unset; derive it and import both, as signing needs.
    if (wc_Ed25519PrivateKeyDecode(key.data(), &index, &pair->ed25519_, size) == 0 &&
        wc_ed25519_export_private_only(&pair->ed25519_, private_key, &private_size) == 0 &&
        wc_ed25519_make_public(&pair->ed25519_, public_key, sizeof(public_key)) == 0 &&
        wc_ed25519_import_private_key(private_key, private_size, public_key, sizeof(public_key),
                                      &pair->ed25519_) == 0) {
      return pair;
    }
  }
  {
    auto pair = std::unique_ptr<KeyPair>(new KeyPair(Type::kRsa));
    wc_InitRsaKey(&pair->rsa_, nullptr);
    word32 index = traditional;
    if (wc_RsaPrivateKeyDecode(key.data(), &index, &pair->rsa_, size) == 0) return pair;
  }
#if defined(HAVE_DILITHIUM)
  for (byte level : {2, 3, 5}) {
    auto pair = std::unique_ptr<KeyPair>(new KeyPair(Type::kDilithium));
    pair->dilithium_ = std::make_unique<dilithium_key>();
    wc_dilithium_init(pair->dilithium_.get());
    word32 index = 0;
    if (wc_dilithium_set_level(pair->dilithium_.get(), level) == 0 &&
        wc_Dilithium_PrivateKeyDecode(key.data(), &index, pair->dilithium_.get(), size) == 0) {
      return pair;
    }
  }
#endif
  return nullptr;
}

KeyPair::~KeyPair() {
  switch (type_) {
    case Type::kEcc:
      wc_ecc_free(&ecc_);
      break;
    case Type::kEd25519:
      wc_ed25519_free(&ed25519_);
      break;
    case Type::kRsa:
      wc_FreeRsaKey(&rsa_);
      break;
    case Type::kDilithium:
#if defined(HAVE_DILITHIUM)
      wc_dilithium_free(dilithium_.get());
#endif
      break;
  }
}

absl::Status KeyPair::AdoptPublicKey(const std::string& subject_public_key) {
#if defined(HAVE_DILITHIUM)
  if (type_ == Type::kDilithium) {
    const int rc = wc_dilithium_import_public(Bytes(subject_public_key),
                                              static_cast<word32>(subject_public_key.size()),
                                              dilithium_.get());
    if (rc != 0) return CryptoError("importing the certificate's public key", rc);
    return absl::OkStatus();
  }
#endif
  (void)subject_public_key;
  return absl::FailedPreconditionError("this key carries its own public key");
}

std::optional<std::string> KeyPair::PublicKeyBits() {
  byte out[1024];
  word32 length = sizeof(out);
  switch (type_) {
    case Type::kEcc:
      if (wc_ecc_export_x963(&ecc_, out, &length) != 0) return std::nullopt;
      return std::string(reinterpret_cast<char*>(out), length);
    case Type::kEd25519:
      if (wc_ed25519_export_public(&ed25519_, out, &length) != 0) return std::nullopt;
      return std::string(reinterpret_cast<char*>(out), length);
    case Type::kRsa: {
      const int spki = wc_RsaKeyToPublicDer(&rsa_, out, sizeof(out));
      if (spki <= 0) return std::nullopt;
      auto bits = SpkiPublicKeyBits(absl::string_view(reinterpret_cast<char*>(out), spki));
      if (!bits.ok()) return std::nullopt;
      return *bits;
    }
    case Type::kDilithium:
      break;
  }
  return std::nullopt;
}

absl::Status KeyPair::Sign(absl::Span<const uint8_t> message, std::string* signature, WC_RNG* rng) {
  byte out[8192];  // a Dilithium3 signature is 3293 bytes
  word32 length = sizeof(out);
  int rc = 0;
  switch (type_) {
    case Type::kEcc: {
      const std::string digest = Digest(message, wc_ecc_size(&ecc_) > 32);
      rc = wc_ecc_sign_hash(Bytes(digest), static_cast<word32>(digest.size()), out, &length, rng,
                            &ecc_);
      break;
    }
    case Type::kEd25519:
      rc = wc_ed25519_sign_msg(message.data(), static_cast<word32>(message.size()), out, &length,
                               &ed25519_);
      break;
    case Type::kRsa: {
      const std::string digest = Digest(message, false);
      rc = wc_RsaPSS_Sign(Bytes(digest), static_cast<word32>(digest.size()), out, length,
                          WC_HASH_TYPE_SHA256, WC_MGF1SHA256, &rsa_, rng);
      if (rc > 0) length = static_cast<word32>(rc);
      break;
    }
    case Type::kDilithium:
#if defined(HAVE_DILITHIUM)
      rc = wc_dilithium_sign_msg(message.data(), static_cast<word32>(message.size()), out, &length,
                                 dilithium_.get(), rng);
#endif
      break;
  }
  if (rc < 0) return CryptoError("sign", rc);
  signature->assign(reinterpret_cast<char*>(out), length);
  return absl::OkStatus();
}

absl::Status KeyPair::Verify(absl::Span<const uint8_t> message, const std::string& signature) {
  int valid = 0;
  int rc = 0;
  switch (type_) {
    case Type::kEcc: {
      const std::string digest = Digest(message, wc_ecc_size(&ecc_) > 32);
      rc = wc_ecc_verify_hash(Bytes(signature), static_cast<word32>(signature.size()),
                              Bytes(digest), static_cast<word32>(digest.size()), &valid, &ecc_);
      break;
    }
    case Type::kEd25519:
      rc = wc_ed25519_verify_msg(Bytes(signature), static_cast<word32>(signature.size()),
                                 message.data(), static_cast<word32>(message.size()), &valid,
                                 &ed25519_);
      break;
    case Type::kRsa: {
      const std::string digest = Digest(message, false);
      std::vector<byte> work(signature.begin(), signature.end());  // verified in place
      byte decoded[1024];
      rc = wc_RsaPSS_VerifyCheck(work.data(), static_cast<word32>(work.size()), decoded,
                                 sizeof(decoded), Bytes(digest), static_cast<word32>(digest.size()),
                                 WC_HASH_TYPE_SHA256, WC_MGF1SHA256, &rsa_);
      valid = rc >= 0;
      break;
    }
    case Type::kDilithium:
#if defined(HAVE_DILITHIUM)
      rc = wc_dilithium_verify_msg(Bytes(signature), static_cast<word32>(signature.size()),
                                   message.data(), static_cast<word32>(message.size()), &valid,
                                   dilithium_.get());
#endif
      break;
  }
  if (rc < 0 || valid != 1) return CryptoError("verify", rc);
  return absl::OkStatus();
}

}  // namespace mtls::wolfssl_keys
