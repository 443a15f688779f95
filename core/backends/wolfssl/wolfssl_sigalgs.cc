// Signature algorithms on wolfSSL (see wolfssl_sigalgs.h).
#include "wolfssl_sigalgs.h"

#include <wolfssl/openssl/objects.h>
#include <wolfssl/version.h>
#include <wolfssl/wolfcrypt/asn.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mtls/status.h"
#include "mtls/types.h"

namespace mtls::wolfssl_sigalgs {
namespace {

// wolfSSL's list names a signature algorithm and a hash ("RSA-PSS+SHA256"), or EdDSA alone.
// Its "RSA-PSS" stands for both RSA-PSS code points of a hash (rsa_pss_rsae_* and rsa_pss_pss_*):
// wolfSSL adds the two together (SetSuitesHashSigAlgo), so either code point selects both.
struct Mapping {
  uint16_t code_point;
  const char* name;
};
constexpr Mapping kMappings[] = {
    {0x0401, "RSA+SHA256"},     {0x0501, "RSA+SHA384"},     {0x0601, "RSA+SHA512"},
    {0x0403, "ECDSA+SHA256"},   {0x0503, "ECDSA+SHA384"},   {0x0603, "ECDSA+SHA512"},
    {0x0804, "RSA-PSS+SHA256"}, {0x0805, "RSA-PSS+SHA384"}, {0x0806, "RSA-PSS+SHA512"},
    {0x0809, "RSA-PSS+SHA256"}, {0x080a, "RSA-PSS+SHA384"}, {0x080b, "RSA-PSS+SHA512"},
    {0x0807, "ED25519"},        {0x0808, "ED448"},          {0x0201, "RSA+SHA1"},
    {0x0203, "ECDSA+SHA1"},
};

#if LIBWOLFSSL_VERSION_HEX >= 0x05007000
// Whether the peer's certificate key is an RSASSA-PSS key (rsa_pss_pss_*), not rsaEncryption.
bool HasPssKey(absl::string_view leaf_der) {
  if (leaf_der.empty()) return false;
  DecodedCert decoded;
  wc_InitDecodedCert(&decoded, reinterpret_cast<const byte*>(leaf_der.data()),
                     static_cast<word32>(leaf_der.size()), nullptr);
  const bool pss =
      wc_ParseCert(&decoded, CERT_TYPE, NO_VERIFY, nullptr) == 0 && decoded.keyOID == RSAPSSk;
  wc_FreeDecodedCert(&decoded);
  return pss;
}
#endif

}  // namespace

absl::StatusOr<std::string> ListFor(const std::vector<uint16_t>& code_points) {
  std::vector<std::string> names;
  for (uint16_t code_point : code_points) {
    const Mapping* found = nullptr;
    for (const Mapping& mapping : kMappings) {
      if (mapping.code_point == code_point) found = &mapping;
    }
    if (found == nullptr) {
      return Unsupported(absl::StrCat(
          "signature algorithm ", SignatureAlgorithmName(code_point),
          ": wolfSSL's signature-algorithm list (wolfSSL_CTX_set1_sigalgs_list) has no name "
          "for it"));
    }
    // The two RSA-PSS code points of a hash are one entry in wolfSSL's list.
    if (std::find(names.begin(), names.end(), found->name) == names.end()) {
      names.push_back(found->name);
    }
  }
  return absl::StrJoin(names, ":");
}

absl::Status Configure(WOLFSSL_CTX* ctx, const std::vector<uint16_t>& code_points) {
  if (code_points.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> list = ListFor(code_points);
  if (!list.ok()) return list.status();
  if (wolfSSL_CTX_set1_sigalgs_list(ctx, list->c_str()) != WOLFSSL_SUCCESS) {
    return Unsupported(absl::StrCat("wolfSSL_CTX_set1_sigalgs_list refused '", *list,
                                    "' (an algorithm this build lacks)"));
  }
  return absl::OkStatus();
}

uint16_t PeerSignatureAlgorithm([[maybe_unused]] WOLFSSL* ssl,
                                [[maybe_unused]] absl::string_view peer_leaf_der) {
#if LIBWOLFSSL_VERSION_HEX >= 0x05007000
  int type = 0;
  int hash = 0;
  if (wolfSSL_get_peer_signature_type_nid(ssl, &type) != WOLFSSL_SUCCESS) return 0;
  if (type == NID_ED25519) return sigalg::kEd25519;
  if (type == NID_ED448) return 0x0808;
#if defined(HAVE_DILITHIUM)
  if (type == CTC_DILITHIUM_LEVEL2) return sigalg::kDilithium2;
  if (type == CTC_DILITHIUM_LEVEL3) return sigalg::kDilithium3;
#endif
  if (wolfSSL_get_peer_signature_nid(ssl, &hash) != WOLFSSL_SUCCESS) return 0;
  const int hash_index = hash == NID_sha256   ? 0
                         : hash == NID_sha384 ? 1
                         : hash == NID_sha512 ? 2
                                              : -1;
  if (hash_index < 0) return 0;
  const auto offset = static_cast<uint16_t>(hash_index);
  switch (type) {
    case NID_rsaEncryption:
      return static_cast<uint16_t>(0x0401 + 0x0100 * offset);
    case NID_X9_62_id_ecPublicKey:
      return static_cast<uint16_t>(0x0403 + 0x0100 * offset);
    case NID_rsassaPss:
      return static_cast<uint16_t>((HasPssKey(peer_leaf_der) ? 0x0809 : 0x0804) + offset);
    default:
      return 0;
  }
#else
  return 0;
#endif
}

}  // namespace mtls::wolfssl_sigalgs
