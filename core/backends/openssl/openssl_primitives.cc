// The public-key primitives (mtls/primitives.h) with the OpenSSL API; compiled for OpenSSL and
// BoringSSL alike (their EVP interfaces agree on everything used here).
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "mtls/primitives.h"
#include "mtls/status.h"
#include "openssl_types.h"

namespace mtls {
namespace {

using namespace openssl_api;  // NOLINT: the owning pointer types of this directory

absl::Status CryptoError(absl::string_view what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  char text[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, text, sizeof(text));
  return MakeError(absl::StatusCode::kInternal, ErrorClass::kHandshakeFailure,
                   absl::StrCat(what, ": ", text));
}

// The digest TLS 1.3 pairs with this key (nullptr for Ed25519 and ML-DSA, which sign the message
// itself).
const EVP_MD* DigestFor(EVP_PKEY* key) {
  if (EVP_PKEY_id(key) == EVP_PKEY_EC)
    return EVP_PKEY_bits(key) == 384 ? EVP_sha384() : EVP_sha256();
  return EVP_PKEY_id(key) == EVP_PKEY_RSA ? EVP_sha256() : nullptr;
}

class EvpSignature : public SignatureOperation {
 public:
  EvpSignature(EvpPkeyPtr private_key, EvpPkeyPtr public_key)
      : private_key_(std::move(private_key)), public_key_(std::move(public_key)) {}

  absl::Status Sign() override {
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestSignInit(ctx.get(), &pctx, DigestFor(private_key_.get()), nullptr,
                           private_key_.get()) != 1 ||
        !UsePss(pctx)) {
      return CryptoError("sign init");
    }
    size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, kMessage, sizeof(kMessage)) != 1) {
      return CryptoError("sign size");
    }
    signature_.resize(length);
    if (EVP_DigestSign(ctx.get(), signature_.data(), &length, kMessage, sizeof(kMessage)) != 1) {
      return CryptoError("sign");
    }
    signature_.resize(length);
    return absl::OkStatus();
  }

  absl::Status Verify() override {
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestVerifyInit(ctx.get(), &pctx, DigestFor(public_key_.get()), nullptr,
                             public_key_.get()) != 1 ||
        !UsePss(pctx)) {
      return CryptoError("verify init");
    }
    if (EVP_DigestVerify(ctx.get(), signature_.data(), signature_.size(), kMessage,
                         sizeof(kMessage)) != 1) {
      return CryptoError("verify");
    }
    return absl::OkStatus();
  }

 private:
  // 64 spaces + context string + SHA-256 transcript hash: the size TLS 1.3 signs.
  static constexpr uint8_t kMessage[130] = {0x20};

  bool UsePss(EVP_PKEY_CTX* pctx) const {
    if (EVP_PKEY_id(private_key_.get()) != EVP_PKEY_RSA) return true;
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, -1 /* digest length */) == 1;
  }

  EvpPkeyPtr private_key_;
  EvpPkeyPtr public_key_;
  std::vector<uint8_t> signature_;
};

absl::StatusOr<EvpPkeyPtr> GenerateKey(Group group) {
  const int type = group == Group::kX25519 ? EVP_PKEY_X25519 : EVP_PKEY_EC;
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(type, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) return CryptoError("keygen init");
  if (type == EVP_PKEY_EC &&
      EVP_PKEY_CTX_set_ec_paramgen_curve_nid(
          ctx.get(), group == Group::kP256 ? NID_X9_62_prime256v1 : NID_secp384r1) != 1) {
    return CryptoError("keygen curve");
  }
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_keygen(ctx.get(), &key) != 1) return CryptoError("keygen");
  return EvpPkeyPtr(key);
}

class EvpKeyExchange : public KeyExchangeOperation {
 public:
  EvpKeyExchange(Group group, EvpPkeyPtr peer) : group_(group), peer_(std::move(peer)) {}

  absl::Status GenerateAndDerive() override {
    auto own = GenerateKey(group_);
    if (!own.ok()) return own.status();
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(own->get(), nullptr));
    uint8_t secret[64];
    size_t length = sizeof(secret);
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
        EVP_PKEY_derive_set_peer(ctx.get(), peer_.get()) != 1 ||
        EVP_PKEY_derive(ctx.get(), secret, &length) != 1) {
      return CryptoError("derive");
    }
    return absl::OkStatus();
  }

 private:
  Group group_;
  EvpPkeyPtr peer_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SignatureOperation>> MakeSignatureOperation(
    const Credentials& credentials) {
  if (credentials.chain_der.empty()) return BadInput("signature operation: no certificate");
  const auto* cert_cursor = reinterpret_cast<const uint8_t*>(credentials.chain_der[0].data());
  X509Ptr leaf(d2i_X509(nullptr, &cert_cursor, static_cast<long>(credentials.chain_der[0].size())));
  const auto* key_cursor = reinterpret_cast<const uint8_t*>(credentials.key_der.data());
  EvpPkeyPtr key(
      d2i_AutoPrivateKey(nullptr, &key_cursor, static_cast<long>(credentials.key_der.size())));
  if (!leaf || !key) {
    ERR_clear_error();
    return BadInput("signature operation: unparsable certificate or key");
  }
  auto operation =
      std::make_unique<EvpSignature>(std::move(key), EvpPkeyPtr(X509_get_pubkey(leaf.get())));
  // One round trip proves the pair works before anything is timed.
  if (absl::Status status = operation->Sign(); !status.ok()) return status;
  if (absl::Status status = operation->Verify(); !status.ok()) return status;
  return std::unique_ptr<SignatureOperation>(std::move(operation));
}

absl::StatusOr<std::unique_ptr<KeyExchangeOperation>> MakeKeyExchangeOperation(Group group) {
  if (IsPostQuantum(group)) {
    return Unsupported("the public-key floor covers Diffie-Hellman groups, not KEMs");
  }
  auto peer = GenerateKey(group);
  if (!peer.ok()) return peer.status();
  auto operation = std::make_unique<EvpKeyExchange>(group, *std::move(peer));
  if (absl::Status status = operation->GenerateAndDerive(); !status.ok()) return status;
  return std::unique_ptr<KeyExchangeOperation>(std::move(operation));
}

}  // namespace mtls
