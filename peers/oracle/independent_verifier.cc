#include "oracle/independent_verifier.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "mtls/der_reader.h"
#include "mtls/status.h"
#include "mtls/types.h"
#include "oracle/gcrypt_support.h"

namespace mtls::oracle {
namespace {

constexpr absl::string_view kEcPublicKeyOid = "\x2a\x86\x48\xce\x3d\x02\x01";
constexpr absl::string_view kP256Oid = "\x2a\x86\x48\xce\x3d\x03\x01\x07";
constexpr absl::string_view kP384Oid("\x2b\x81\x04\x00\x22", 5);  // holds a zero byte
constexpr absl::string_view kRsaOid = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01";
constexpr absl::string_view kEd25519Oid = "\x2b\x65\x70";
// Certificate signature algorithms.
constexpr absl::string_view kEcdsaSha256Oid = "\x2a\x86\x48\xce\x3d\x04\x03\x02";
constexpr absl::string_view kEcdsaSha384Oid = "\x2a\x86\x48\xce\x3d\x04\x03\x03";
constexpr absl::string_view kRsaSha256Oid = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b";
constexpr absl::string_view kRsaSha384Oid = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0c";

absl::Status Mismatch(absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat("independent check: ", what));
}

enum class Kind { kEcdsa, kRsaPkcs1, kRsaPss, kEd25519 };
struct Method {
  Kind kind;
  int hash;  // GCRY_MD_*; unused for Ed25519
};

// SHA-512 schemes TLS 1.2 peers may pick (e.g. Mbed TLS signs its ServerKeyExchange so).
constexpr uint16_t kRsaPkcs1Sha512 = 0x0601;
constexpr uint16_t kEcdsaSha512 = 0x0603;
constexpr uint16_t kRsaPssRsaeSha512 = 0x0806;

std::optional<Method> MethodOfScheme(uint16_t scheme) {
  switch (scheme) {
    case kRsaPkcs1Sha512:
      return Method{Kind::kRsaPkcs1, GCRY_MD_SHA512};
    case kEcdsaSha512:
      return Method{Kind::kEcdsa, GCRY_MD_SHA512};
    case kRsaPssRsaeSha512:
      return Method{Kind::kRsaPss, GCRY_MD_SHA512};
    case sigalg::kEcdsaSecp256r1Sha256:
      return Method{Kind::kEcdsa, GCRY_MD_SHA256};
    case sigalg::kEcdsaSecp384r1Sha384:
      return Method{Kind::kEcdsa, GCRY_MD_SHA384};
    case sigalg::kRsaPkcs1Sha256:
      return Method{Kind::kRsaPkcs1, GCRY_MD_SHA256};
    case sigalg::kRsaPkcs1Sha384:
      return Method{Kind::kRsaPkcs1, GCRY_MD_SHA384};
    case sigalg::kRsaPssRsaeSha256:
      return Method{Kind::kRsaPss, GCRY_MD_SHA256};
    case sigalg::kRsaPssRsaeSha384:
      return Method{Kind::kRsaPss, GCRY_MD_SHA384};
    case sigalg::kEd25519:
      return Method{Kind::kEd25519, 0};
    default:
      return std::nullopt;
  }
}

std::optional<Method> MethodOfCertificateSignature(absl::string_view oid) {
  if (oid == kEcdsaSha256Oid) return Method{Kind::kEcdsa, GCRY_MD_SHA256};
  if (oid == kEcdsaSha384Oid) return Method{Kind::kEcdsa, GCRY_MD_SHA384};
  if (oid == kRsaSha256Oid) return Method{Kind::kRsaPkcs1, GCRY_MD_SHA256};
  if (oid == kRsaSha384Oid) return Method{Kind::kRsaPkcs1, GCRY_MD_SHA384};
  if (oid == kEd25519Oid) return Method{Kind::kEd25519, 0};
  return std::nullopt;
}

// Leading zero bytes of a DER INTEGER go: libgcrypt wants the magnitude.
absl::string_view Magnitude(absl::string_view integer) {
  while (integer.size() > 1 && integer[0] == 0) integer.remove_prefix(1);
  return integer;
}

absl::StatusOr<Sexp> PublicKey(const CertificateFields& key, Kind kind) {
  gcry_sexp_t sexp = nullptr;
  gcry_error_t error = 1;
  const std::string& bits = key.public_key;
  if (key.key_algorithm == kEcPublicKeyOid && kind == Kind::kEcdsa) {
    const char* curve = key.key_parameters == kP256Oid   ? "NIST P-256"
                        : key.key_parameters == kP384Oid ? "NIST P-384"
                                                         : nullptr;
    if (curve == nullptr) return absl::UnimplementedError("independent check: curve not covered");
    error = gcry_sexp_build(&sexp, nullptr, "(public-key(ecc(curve %s)(q %b)))", curve,
                            static_cast<int>(bits.size()), bits.data());
  } else if (key.key_algorithm == kEd25519Oid && kind == Kind::kEd25519) {
    error = gcry_sexp_build(&sexp, nullptr, "(public-key(ecc(curve Ed25519)(flags eddsa)(q %b)))",
                            static_cast<int>(bits.size()), bits.data());
  } else if (key.key_algorithm == kRsaOid && (kind == Kind::kRsaPkcs1 || kind == Kind::kRsaPss)) {
    der::Reader outer(bits);
    MTLS_ASSIGN_OR_RETURN(absl::string_view rsa_key, outer.Expect(der::kSequence));
    der::Reader parts(rsa_key);
    MTLS_ASSIGN_OR_RETURN(absl::string_view modulus, parts.Expect(der::kInteger));
    MTLS_ASSIGN_OR_RETURN(absl::string_view exponent, parts.Expect(der::kInteger));
    modulus = Magnitude(modulus);
    exponent = Magnitude(exponent);
    error = gcry_sexp_build(&sexp, nullptr, "(public-key(rsa(n %b)(e %b)))",
                            static_cast<int>(modulus.size()), modulus.data(),
                            static_cast<int>(exponent.size()), exponent.data());
  } else {
    return Mismatch("the signature algorithm does not fit the signer's key");
  }
  if (error) return Mismatch("unusable public key");
  return Sexp(sexp);
}

absl::Status Verify(const CertificateFields& signer, Method method, absl::string_view message,
                    absl::string_view signature) {
  InitialiseGcrypt();
  MTLS_ASSIGN_OR_RETURN(Sexp key, PublicKey(signer, method.kind));
  gcry_sexp_t data = nullptr, value = nullptr;
  gcry_error_t built = 1;
  const std::string digest = method.kind == Kind::kEd25519 ? "" : Hash(method.hash, message);
  const char* hash_name = gcry_md_algo_name(method.hash);  // "SHA256", ...
  const int digest_size = static_cast<int>(digest.size());
  switch (method.kind) {
    case Kind::kEcdsa: {
      der::Reader outer(signature);
      auto sequence = outer.Expect(der::kSequence);
      if (!sequence.ok() || !outer.empty()) return Mismatch("malformed ECDSA signature");
      der::Reader parts(*sequence);
      auto r = parts.Expect(der::kInteger);
      auto s = r.ok() ? parts.Expect(der::kInteger) : r;
      if (!s.ok() || !parts.empty()) return Mismatch("malformed ECDSA signature");
      const absl::string_view r_value = Magnitude(*r), s_value = Magnitude(*s);
      // ECDSA signs the digest's leftmost bits up to the order's size (TLS 1.2 lets a P-256
      // key sign a SHA-512 digest); libgcrypt wants it cut already.
      const int order_size = signer.key_parameters == kP384Oid ? 48 : 32;
      built = gcry_sexp_build(&value, nullptr, "(sig-val(ecdsa(r %b)(s %b)))",
                              static_cast<int>(r_value.size()), r_value.data(),
                              static_cast<int>(s_value.size()), s_value.data()) ||
              gcry_sexp_build(&data, nullptr, "(data(flags raw)(value %b))",
                              std::min(digest_size, order_size), digest.data());
      break;
    }
    case Kind::kRsaPkcs1:
    case Kind::kRsaPss:
      built =
          gcry_sexp_build(&value, nullptr, "(sig-val(rsa(s %b)))",
                          static_cast<int>(signature.size()), signature.data()) ||
          (method.kind == Kind::kRsaPkcs1
               ? gcry_sexp_build(&data, nullptr, "(data(flags pkcs1)(hash %s %b))", hash_name,
                                 digest_size, digest.data())
               : gcry_sexp_build(&data, nullptr, "(data(flags pss)(salt-length %d)(hash %s %b))",
                                 digest_size, hash_name, digest_size, digest.data()));
      break;
    case Kind::kEd25519:
      if (signature.size() != 64) return Mismatch("Ed25519 signature of the wrong size");
      built = gcry_sexp_build(&value, nullptr, "(sig-val(eddsa(r %b)(s %b)))", 32, signature.data(),
                              32, signature.data() + 32) ||
              gcry_sexp_build(&data, nullptr, "(data(flags eddsa)(hash-algo sha512)(value %b))",
                              static_cast<int>(message.size()), message.data());
      break;
  }
  Sexp owned_data(data), owned_value(value);
  if (built) return Mismatch("signature not representable");
  if (gcry_pk_verify(value, data, key.get()) != 0) return Mismatch("the signature does not verify");
  return absl::OkStatus();
}

}  // namespace

bool SchemeFitsKey(const CertificateFields& signer, uint16_t scheme) {
  // By the code point's structure (RFC 8446 section 4.2.3), so that schemes this verifier does
  // not implement (ecdsa_sha1, ...) are still classified.
  const uint8_t high = scheme >> 8, low = scheme & 0xff;
  if (high <= 0x06 && low == 0x03) return signer.key_algorithm == kEcPublicKeyOid;
  const bool rsa_pss_rsae = high == 0x08 && low >= 0x04 && low <= 0x06;
  if ((high <= 0x06 && low == 0x01) || rsa_pss_rsae) return signer.key_algorithm == kRsaOid;
  if (scheme == sigalg::kEd25519) return signer.key_algorithm == kEd25519Oid;
  return false;
}

absl::Status VerifyTlsSignature(const CertificateFields& signer, uint16_t scheme,
                                absl::string_view message, absl::string_view signature) {
  const std::optional<Method> method = MethodOfScheme(scheme);
  if (!method) {
    return absl::UnimplementedError(absl::StrCat("independent check: signature scheme ",
                                                 SignatureAlgorithmName(scheme), " not covered"));
  }
  return Verify(signer, *method, message, signature);
}

absl::Status VerifyChain(const std::vector<std::string>& chain,
                         const std::vector<std::string>& anchors, int64_t unix_time,
                         absl::string_view purpose) {
  if (chain.empty()) return Mismatch("no peer certificate");
  std::vector<CertificateFields> sent, roots;
  for (const std::string& der : chain) {
    auto fields = ReadCertificateFields(der);
    if (!fields.ok())
      return Mismatch(absl::StrCat("unreadable peer certificate: ", fields.status().message()));
    sent.push_back(*std::move(fields));
  }
  for (const std::string& der : anchors) {
    MTLS_ASSIGN_OR_RETURN(CertificateFields fields, ReadCertificateFields(der));
    roots.push_back(std::move(fields));
  }
  const CertificateFields& leaf = sent.front();
  if (leaf.has_extended_key_usage) {
    bool allowed = false;
    for (const std::string& usage : leaf.extended_key_usages) allowed |= usage == purpose;
    if (!allowed) return Mismatch("the leaf's extended key usage does not allow its role");
  }
  const CertificateFields* current = &leaf;
  for (size_t depth = 0; depth <= sent.size(); ++depth) {
    if (unix_time < current->not_before || unix_time > current->not_after) {
      return Mismatch("a certificate of the chain is not valid at the check's time");
    }
    const std::optional<Method> method = MethodOfCertificateSignature(current->signature_algorithm);
    if (!method)
      return absl::UnimplementedError(
          "independent check: certificate signature "
          "algorithm not covered");
    auto signed_by = [&](const CertificateFields& issuer) {
      return issuer.subject == current->issuer &&
             Verify(issuer, *method, current->tbs, current->signature).ok();
    };
    for (const CertificateFields& root : roots) {
      if (signed_by(root)) return absl::OkStatus();
    }
    const CertificateFields* next = nullptr;
    for (size_t i = 1; i < sent.size() && next == nullptr; ++i) {
      if (&sent[i] != current && sent[i].is_ca && signed_by(sent[i])) next = &sent[i];
    }
    if (next == nullptr) return Mismatch("the chain does not lead to a trust anchor");
    current = next;
  }
  return Mismatch("the chain does not lead to a trust anchor");
}

}  // namespace mtls::oracle
