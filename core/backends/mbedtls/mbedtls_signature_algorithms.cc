// EndpointConfig::signature_algorithms (TLS code points) on Mbed TLS: 3.x takes the code points
// themselves (mbedtls_ssl_conf_sig_algs); 2.28's TLS 1.2 takes a list of hashes
// (mbedtls_ssl_conf_sig_hashes) that applies to RSA and ECDSA alike.
#include "mbedtls_signature_algorithms.h"

#include <mbedtls/md.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "mtls/status.h"
#include "mtls/types.h"

namespace mtls::mbedtls_adapter {
namespace {

absl::Status NotInLibrary(uint16_t code_point, absl::string_view why) {
  return Unsupported(absl::StrFormat("signature algorithm 0x%04x (%s): %s", code_point,
                                     SignatureAlgorithmName(code_point), why));
}

}  // namespace

absl::Status ConfigureSignatureAlgorithms(mbedtls_ssl_config* conf,
                                          const std::vector<uint16_t>& code_points,
                                          SignatureAlgorithmList& list) {
  if (code_points.empty()) return absl::OkStatus();
#if MBEDTLS_VERSION_MAJOR >= 3
  for (uint16_t code_point : code_points) {
    switch (code_point) {
      case MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA1:
      case MBEDTLS_TLS1_3_SIG_ECDSA_SHA1:
      case 0x0301:  // rsa_pkcs1_sha224 (TLS 1.2)
      case 0x0303:  // ecdsa_sha224 (TLS 1.2)
      case MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA256:
      case MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA384:
      case MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA512:
      case MBEDTLS_TLS1_3_SIG_ECDSA_SECP256R1_SHA256:
      case MBEDTLS_TLS1_3_SIG_ECDSA_SECP384R1_SHA384:
      case MBEDTLS_TLS1_3_SIG_ECDSA_SECP521R1_SHA512:
      case MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256:
      case MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA384:
      case MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA512:
        list.code_points.push_back(code_point);
        break;
      default:
        return NotInLibrary(code_point,
                            "Mbed TLS 3.6 signs and verifies only RSA PKCS#1 v1.5, RSA-PSS "
                            "(rsaEncryption keys) and ECDSA in TLS");
    }
  }
  list.code_points.push_back(MBEDTLS_TLS1_3_SIG_NONE);
  mbedtls_ssl_conf_sig_algs(conf, list.code_points.data());
#else
  for (uint16_t code_point : code_points) {
    const int signature = code_point & 0xff;
    if (signature != 1 && signature != 3) {  // rsa(1), ecdsa(3): RFC 5246 7.4.1.4.1
      return NotInLibrary(code_point,
                          "Mbed TLS 2.28's TLS 1.2 signs and verifies only RSA PKCS#1 v1.5 and "
                          "ECDSA");
    }
    int hash = MBEDTLS_MD_NONE;
    switch (code_point >> 8) {
      case 2:
        hash = MBEDTLS_MD_SHA1;
        break;
      case 3:
        hash = MBEDTLS_MD_SHA224;
        break;
      case 4:
        hash = MBEDTLS_MD_SHA256;
        break;
      case 5:
        hash = MBEDTLS_MD_SHA384;
        break;
      case 6:
        hash = MBEDTLS_MD_SHA512;
        break;
      default:
        return NotInLibrary(code_point, "a hash Mbed TLS 2.28's TLS 1.2 does not sign with");
    }
    list.hashes.push_back(hash);
  }
  list.hashes.push_back(MBEDTLS_MD_NONE);
  mbedtls_ssl_conf_sig_hashes(conf, list.hashes.data());
#endif
  return absl::OkStatus();
}

}  // namespace mtls::mbedtls_adapter
