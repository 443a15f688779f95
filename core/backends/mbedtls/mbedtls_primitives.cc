// Public-key primitives for Mbed TLS (2.28 and 3.6; MBEDTLS_VERSION_MAJOR marks the differences):
// signatures through its pk layer, (EC)DHE through ecp/ecdh, as its TLS code does.
#include <mbedtls/version.h>
#if MBEDTLS_VERSION_MAJOR >= 3
#include <psa/crypto.h>
#endif
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/x509_crt.h>

#include "absl/strings/str_cat.h"
#include "mtls/primitives.h"
#include "mtls/status.h"

namespace mtls {
namespace {

absl::Status CryptoError(absl::string_view what, int rc) {
  return MakeError(absl::StatusCode::kInternal, ErrorClass::kHandshakeFailure,
                   absl::StrCat(what, " failed (Mbed TLS error ", rc, ")"));
}

// A seeded CTR-DRBG, the random source Mbed TLS's own operations take.
class Random {
 public:
  Random() {
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
    seeded_ = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, nullptr, 0) == 0;
  }
  ~Random() {
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
  }
  bool seeded() const { return seeded_; }
  mbedtls_ctr_drbg_context* drbg() { return &drbg_; }

 private:
  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
  bool seeded_ = false;
};

absl::Status EnsurePsa() {
#if MBEDTLS_VERSION_MAJOR >= 3
  static const psa_status_t ready = psa_crypto_init();
  if (ready != PSA_SUCCESS) return absl::InternalError("psa_crypto_init failed");
#endif
  return absl::OkStatus();
}

// A 130-byte message: what a TLS 1.3 CertificateVerify signs with a SHA-256 transcript hash.
constexpr unsigned char kMessage[130] = {0x20};

class MbedSignature : public SignatureOperation {
 public:
  MbedSignature() {
    mbedtls_pk_init(&key_);
    mbedtls_x509_crt_init(&certificate_);
  }
  ~MbedSignature() override {
    mbedtls_pk_free(&key_);
    mbedtls_x509_crt_free(&certificate_);
  }

  absl::Status Init(const Credentials& credentials) {
    if (!random_.seeded()) return absl::InternalError("random generator not seeded");
    const std::string& certificate = credentials.chain_der.at(0);
    const std::string& key = credentials.key_der;
    const auto* key_bytes = reinterpret_cast<const unsigned char*>(key.data());
#if MBEDTLS_VERSION_MAJOR >= 3
    const int parsed = mbedtls_pk_parse_key(&key_, key_bytes, key.size(), nullptr, 0,
                                            mbedtls_ctr_drbg_random, random_.drbg());
#else
    const int parsed = mbedtls_pk_parse_key(&key_, key_bytes, key.size(), nullptr, 0);
#endif
    if (parsed != 0 ||
        mbedtls_x509_crt_parse_der(&certificate_,
                                   reinterpret_cast<const unsigned char*>(certificate.data()),
                                   certificate.size()) != 0) {
      return BadInput(
          "signature operation: unparsable certificate or key (or a type Mbed TLS lacks)");
    }
#if MBEDTLS_VERSION_MAJOR >= 3
    const int paired =
        mbedtls_pk_check_pair(&certificate_.pk, &key_, mbedtls_ctr_drbg_random, random_.drbg());
#else
    const int paired = mbedtls_pk_check_pair(&certificate_.pk, &key_);
#endif
    if (paired != 0) return BadInput("signature operation: the key is not the certificate's");
    const bool ecdsa = mbedtls_pk_get_type(&key_) == MBEDTLS_PK_ECKEY;
    digest_ = ecdsa && mbedtls_pk_get_bitlen(&key_) > 256 ? MBEDTLS_MD_SHA384 : MBEDTLS_MD_SHA256;
    if (mbedtls_pk_get_type(&key_) == MBEDTLS_PK_RSA) {  // TLS 1.3 signs with RSA-PSS
      mbedtls_rsa_set_padding(mbedtls_pk_rsa(key_), MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
      mbedtls_rsa_set_padding(mbedtls_pk_rsa(certificate_.pk), MBEDTLS_RSA_PKCS_V21,
                              MBEDTLS_MD_SHA256);
    }
    return absl::OkStatus();
  }

  absl::Status Sign() override {
    unsigned char hash[64];
    const mbedtls_md_info_t* md = mbedtls_md_info_from_type(digest_);
    if (int rc = mbedtls_md(md, kMessage, sizeof(kMessage), hash); rc != 0)
      return CryptoError("hash", rc);
#if MBEDTLS_VERSION_MAJOR >= 3
    const int rc = mbedtls_pk_sign(&key_, digest_, hash, mbedtls_md_get_size(md), signature_,
                                   sizeof(signature_), &signature_length_, mbedtls_ctr_drbg_random,
                                   random_.drbg());
#else
    const int rc = mbedtls_pk_sign(&key_, digest_, hash, mbedtls_md_get_size(md), signature_,
                                   &signature_length_, mbedtls_ctr_drbg_random, random_.drbg());
#endif
    return rc == 0 ? absl::OkStatus() : CryptoError("sign", rc);
  }

  absl::Status Verify() override {
    unsigned char hash[64];
    const mbedtls_md_info_t* md = mbedtls_md_info_from_type(digest_);
    if (int rc = mbedtls_md(md, kMessage, sizeof(kMessage), hash); rc != 0)
      return CryptoError("hash", rc);
    const int rc = mbedtls_pk_verify(&certificate_.pk, digest_, hash, mbedtls_md_get_size(md),
                                     signature_, signature_length_);
    return rc == 0 ? absl::OkStatus() : CryptoError("verify", rc);
  }

 private:
  Random random_;
  mbedtls_pk_context key_;
  mbedtls_x509_crt certificate_;
  mbedtls_md_type_t digest_ = MBEDTLS_MD_SHA256;
  unsigned char signature_[1024];
  size_t signature_length_ = 0;
};

class MbedExchange : public KeyExchangeOperation {
 public:
  MbedExchange() {
    mbedtls_ecp_group_init(&group_);
    mbedtls_mpi_init(&peer_private_);
    mbedtls_ecp_point_init(&peer_public_);
  }
  ~MbedExchange() override {
    mbedtls_ecp_point_free(&peer_public_);
    mbedtls_mpi_free(&peer_private_);
    mbedtls_ecp_group_free(&group_);
  }

  absl::Status Init(mbedtls_ecp_group_id id) {
    if (int rc = mbedtls_ecp_group_load(&group_, id); rc != 0) return CryptoError("group", rc);
    const int rc = mbedtls_ecp_gen_keypair(&group_, &peer_private_, &peer_public_,
                                           mbedtls_ctr_drbg_random, random_.drbg());
    return rc == 0 ? absl::OkStatus() : CryptoError("peer key", rc);
  }

  absl::Status GenerateAndDerive() override {
    mbedtls_mpi own_private, secret;
    mbedtls_ecp_point own_public;
    mbedtls_mpi_init(&own_private);
    mbedtls_mpi_init(&secret);
    mbedtls_ecp_point_init(&own_public);
    int rc = mbedtls_ecp_gen_keypair(&group_, &own_private, &own_public, mbedtls_ctr_drbg_random,
                                     random_.drbg());
    if (rc == 0) {
      rc = mbedtls_ecdh_compute_shared(&group_, &secret, &peer_public_, &own_private,
                                       mbedtls_ctr_drbg_random, random_.drbg());
    }
    mbedtls_ecp_point_free(&own_public);
    mbedtls_mpi_free(&secret);
    mbedtls_mpi_free(&own_private);
    return rc == 0 ? absl::OkStatus() : CryptoError("ECDH", rc);
  }

 private:
  Random random_;
  mbedtls_ecp_group group_;
  mbedtls_mpi peer_private_;
  mbedtls_ecp_point peer_public_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SignatureOperation>> MakeSignatureOperation(
    const Credentials& credentials) {
  if (credentials.chain_der.empty()) return BadInput("signature operation: no certificate");
  MTLS_RETURN_IF_ERROR(EnsurePsa());
  auto operation = std::make_unique<MbedSignature>();
  MTLS_RETURN_IF_ERROR(operation->Init(credentials));
  MTLS_RETURN_IF_ERROR(operation->Sign());
  MTLS_RETURN_IF_ERROR(operation->Verify());
  return std::unique_ptr<SignatureOperation>(std::move(operation));
}

absl::StatusOr<std::unique_ptr<KeyExchangeOperation>> MakeKeyExchangeOperation(Group group) {
  MTLS_RETURN_IF_ERROR(EnsurePsa());
  mbedtls_ecp_group_id id = MBEDTLS_ECP_DP_CURVE25519;
  if (group == Group::kP256) id = MBEDTLS_ECP_DP_SECP256R1;
  if (group == Group::kP384) id = MBEDTLS_ECP_DP_SECP384R1;
  auto operation = std::make_unique<MbedExchange>();
  MTLS_RETURN_IF_ERROR(operation->Init(id));
  MTLS_RETURN_IF_ERROR(operation->GenerateAndDerive());
  return std::unique_ptr<KeyExchangeOperation>(std::move(operation));
}

}  // namespace mtls
