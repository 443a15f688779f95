#include "attacker/crypto.h"

#include <gcrypt.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "mtls/der_reader.h"
#include "mtls/status.h"
#include "oracle/gcrypt_support.h"

namespace mtls::attacker {
namespace {

using oracle::InitialiseGcrypt;
using oracle::Sexp;

constexpr absl::string_view kEcPublicKeyOid = "\x2a\x86\x48\xce\x3d\x02\x01";
constexpr absl::string_view kP256Oid = "\x2a\x86\x48\xce\x3d\x03\x01\x07";

absl::Status KeyError(absl::string_view what) {
  return BadInput(absl::StrCat("attacker key: ", what));
}

// A DER INTEGER holding the unsigned big-endian `magnitude`.
std::string DerInteger(absl::string_view magnitude) {
  while (magnitude.size() > 1 && magnitude[0] == 0) magnitude.remove_prefix(1);
  std::string contents = (static_cast<uint8_t>(magnitude[0]) & 0x80) ? std::string(1, '\0') : "";
  absl::StrAppend(&contents, magnitude);
  return absl::StrCat(std::string(1, der::kInteger), std::string(1, char(contents.size())),
                      contents);
}

std::string SexpBytes(gcry_sexp_t sexp, const char* token) {
  Sexp part(gcry_sexp_find_token(sexp, token, 0));
  if (!part) return "";
  size_t size = 0;
  const char* data = gcry_sexp_nth_data(part.get(), 1, &size);
  return data ? std::string(data, size) : "";
}

}  // namespace

std::string Sha256(absl::string_view data) { return oracle::Hash(GCRY_MD_SHA256, data); }

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  InitialiseGcrypt();
  gcry_md_hd_t hmac = nullptr;
  gcry_md_open(&hmac, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC);
  gcry_md_setkey(hmac, key.data(), key.size());
  gcry_md_write(hmac, data.data(), data.size());
  std::string mac(reinterpret_cast<const char*>(gcry_md_read(hmac, GCRY_MD_SHA256)), 32);
  gcry_md_close(hmac);
  return mac;
}

std::string Prf(absl::string_view secret, absl::string_view label, absl::string_view seed,
                size_t size) {
  const std::string labelled_seed = absl::StrCat(label, seed);
  std::string output, a = labelled_seed;
  while (output.size() < size) {
    a = HmacSha256(secret, a);
    absl::StrAppend(&output, HmacSha256(secret, absl::StrCat(a, labelled_seed)));
  }
  output.resize(size);
  return output;
}

std::string HkdfExtract(absl::string_view salt, absl::string_view key_material) {
  return HmacSha256(salt.empty() ? std::string(32, '\0') : std::string(salt), key_material);
}

std::string HkdfExpandLabel(absl::string_view secret, absl::string_view label,
                            absl::string_view context, size_t size) {
  const std::string full_label = absl::StrCat("tls13 ", label);
  const std::string info =
      absl::StrCat(std::string{char(size >> 8), char(size & 0xff), char(full_label.size())},
                   full_label, std::string(1, char(context.size())), context);
  std::string output, block;
  for (uint8_t counter = 1; output.size() < size; ++counter) {
    block = HmacSha256(secret, absl::StrCat(block, info, std::string(1, char(counter))));
    absl::StrAppend(&output, block);
  }
  output.resize(size);
  return output;
}

namespace {

struct CipherDeleter {
  void operator()(gcry_cipher_hd_t handle) const { gcry_cipher_close(handle); }
};
using Cipher = std::unique_ptr<gcry_cipher_handle, CipherDeleter>;

Cipher GcmCipher(absl::string_view key, absl::string_view nonce, absl::string_view aad) {
  InitialiseGcrypt();
  gcry_cipher_hd_t handle = nullptr;
  gcry_cipher_open(&handle, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_GCM, 0);
  gcry_cipher_setkey(handle, key.data(), key.size());
  gcry_cipher_setiv(handle, nonce.data(), nonce.size());
  gcry_cipher_authenticate(handle, aad.data(), aad.size());
  return Cipher(handle);
}

constexpr size_t kTagSize = 16;

}  // namespace

std::string SealAesGcm(absl::string_view key, absl::string_view nonce, absl::string_view aad,
                       absl::string_view plaintext) {
  Cipher cipher = GcmCipher(key, nonce, aad);
  std::string sealed(plaintext.size() + kTagSize, '\0');
  gcry_cipher_final(cipher.get());
  gcry_cipher_encrypt(cipher.get(), sealed.data(), plaintext.size(), plaintext.data(),
                      plaintext.size());
  gcry_cipher_gettag(cipher.get(), sealed.data() + plaintext.size(), kTagSize);
  return sealed;
}

absl::StatusOr<std::string> OpenAesGcm(absl::string_view key, absl::string_view nonce,
                                       absl::string_view aad, absl::string_view sealed) {
  if (sealed.size() < kTagSize) return BadInput("record shorter than its tag");
  Cipher cipher = GcmCipher(key, nonce, aad);
  const size_t size = sealed.size() - kTagSize;
  std::string plaintext(size, '\0');
  gcry_cipher_final(cipher.get());
  gcry_cipher_decrypt(cipher.get(), plaintext.data(), size, sealed.data(), size);
  if (gcry_cipher_checktag(cipher.get(), sealed.data() + size, kTagSize) != 0) {
    return BadInput("record does not authenticate");
  }
  return plaintext;
}

absl::StatusOr<std::string> X25519(absl::string_view private_key, absl::string_view peer) {
  InitialiseGcrypt();
  if (private_key.size() != 32 || (!peer.empty() && peer.size() != 32)) {
    return BadInput("X25519: keys are 32 bytes");
  }
  std::string scalar(private_key);
  scalar[0] = char(scalar[0] & 248);
  scalar[31] = char((scalar[31] & 127) | 64);
  std::string base(32, '\0');
  base[0] = 9;
  std::string result(32, '\0');
  const std::string point = peer.empty() ? base : std::string(peer);
  if (gcry_ecc_mul_point(GCRY_ECC_CURVE25519, reinterpret_cast<unsigned char*>(result.data()),
                         reinterpret_cast<const unsigned char*>(scalar.data()),
                         reinterpret_cast<const unsigned char*>(point.data())) != 0) {
    return BadInput("X25519: bad point");
  }
  if (result == std::string(32, '\0')) return BadInput("X25519: low-order point");
  return result;
}

absl::StatusOr<EcdsaKey> EcdsaKey::FromPkcs8(absl::string_view der) {
  der::Reader outer(der);
  auto info = outer.Expect(der::kSequence);
  if (!info.ok()) return KeyError("not PKCS#8");
  der::Reader fields(*info);
  auto version = fields.Expect(der::kInteger);
  auto algorithm = version.ok() ? fields.Expect(der::kSequence) : version;
  auto wrapped = algorithm.ok() ? fields.Expect(der::kOctetString) : algorithm;
  if (!wrapped.ok()) return KeyError("not PKCS#8");
  der::Reader identifiers(*algorithm);
  auto type = identifiers.Expect(der::kOid);
  auto curve = type.ok() ? identifiers.Expect(der::kOid) : type;
  if (!curve.ok() || *type != kEcPublicKeyOid || *curve != kP256Oid) {
    return KeyError("not an ECDSA P-256 key");
  }
  der::Reader inner(*wrapped);
  auto ec_key = inner.Expect(der::kSequence);
  der::Reader ec_fields(ec_key.ok() ? *ec_key : "");
  auto ec_version = ec_fields.Expect(der::kInteger);
  auto scalar = ec_version.ok() ? ec_fields.Expect(der::kOctetString) : ec_version;
  if (!scalar.ok() || scalar->size() != 32) return KeyError("malformed ECPrivateKey");
  EcdsaKey key;
  key.scalar_ = std::string(*scalar);
  return key;
}

absl::StatusOr<std::string> EcdsaKey::Sign(absl::string_view message, int hash_algorithm) const {
  InitialiseGcrypt();
  const std::string digest = oracle::Hash(hash_algorithm, message);
  gcry_sexp_t key = nullptr, data = nullptr, signature = nullptr;
  gcry_sexp_build(&key, nullptr, "(private-key(ecc(curve \"NIST P-256\")(d %b)))",
                  static_cast<int>(scalar_.size()), scalar_.data());
  // libgcrypt signs the digest's leftmost 256 bits (FIPS 186-4) when it is longer.
  gcry_sexp_build(&data, nullptr, "(data(flags rfc6979)(hash %s %b))",
                  gcry_md_algo_name(hash_algorithm), static_cast<int>(digest.size()),
                  digest.data());
  Sexp owned_key(key), owned_data(data);
  if (!key || !data || gcry_pk_sign(&signature, data, key) != 0) {
    return KeyError("ECDSA signing failed");
  }
  Sexp owned_signature(signature);
  const std::string r = SexpBytes(signature, "r"), s = SexpBytes(signature, "s");
  if (r.empty() || s.empty()) return KeyError("ECDSA signing failed");
  const std::string body = absl::StrCat(DerInteger(r), DerInteger(s));
  return absl::StrCat(std::string{char(der::kSequence), char(body.size())}, body);
}

}  // namespace mtls::attacker
