// Stand-alone certificate parsing and peer-chain verification (mtls/x509_check.h) with Mbed
// TLS, with the checks its handshake makes: chain verification, the depth limit the adapter
// adds, and the extendedKeyUsage of the peer's role.
#include <mbedtls/error.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "mbedtls_x509.h"
#include "mtls/backend.h"
#include "mtls/x509_check.h"

namespace mtls {
namespace mbedtls_x509 {

ErrorClass ClassifyVerifyFlags(uint32_t flags) {
  if (flags & MBEDTLS_X509_BADCERT_MISSING) return ErrorClass::kNoPeerCertificate;
  if (flags & MBEDTLS_X509_BADCERT_EXPIRED) return ErrorClass::kExpired;
  if (flags & MBEDTLS_X509_BADCERT_FUTURE) return ErrorClass::kNotYetValid;
  if (flags & (MBEDTLS_X509_BADCERT_EXT_KEY_USAGE | MBEDTLS_X509_BADCERT_KEY_USAGE)) {
    return ErrorClass::kBadKeyUsage;
  }
  if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) return ErrorClass::kNameMismatch;
  if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) return ErrorClass::kUntrustedIssuer;
  return ErrorClass::kHandshakeFailure;
}

}  // namespace mbedtls_x509

namespace {

// An mbedtls_x509_crt list that frees itself.
struct CertificateList {
  CertificateList() { mbedtls_x509_crt_init(&list); }
  ~CertificateList() { mbedtls_x509_crt_free(&list); }
  mbedtls_x509_crt list;
};

const unsigned char* Bytes(const std::string& data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

struct DepthLimit {
  int max_chain_depth;
  bool exceeded = false;
};

// `depth` counts from the leaf (0); the trust anchor is the deepest certificate.
int CheckDepth(void* limit, mbedtls_x509_crt*, int depth, uint32_t* flags) {
  auto* depth_limit = static_cast<DepthLimit*>(limit);
  if (depth > depth_limit->max_chain_depth + 1) {
    depth_limit->exceeded = true;
    *flags |= MBEDTLS_X509_BADCERT_OTHER;
  }
  return 0;
}

}  // namespace

absl::Status ParseCertificateWithBackend(absl::string_view data, CertificateEncoding encoding) {
  CertificateList certificate;
  const std::string copy(data);  // PEM parsing wants the terminating NUL counted
  const int rc = encoding == CertificateEncoding::kDer
                     ? mbedtls_x509_crt_parse_der(&certificate.list, Bytes(copy), copy.size())
                     : mbedtls_x509_crt_parse(&certificate.list, Bytes(copy), copy.size() + 1);
  if (rc != 0) {
    char text[256];
    mbedtls_strerror(rc, text, sizeof(text));
    return BadInput(absl::StrCat("not a certificate: ", text));
  }
  if (certificate.list.next != nullptr) return BadInput("more than one certificate");
  return absl::OkStatus();
}

absl::Status VerifyPeerChain(const ChainCheck& check) {
  if (check.unix_time) MTLS_RETURN_IF_ERROR(RequireCapability("verify:fixed-time"));
  if (check.chain_der.empty()) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kNoPeerCertificate,
                     "empty chain");
  }
  CertificateList anchors;
  for (size_t i = 0; i < check.trust_anchors_der.size(); ++i) {
    const std::string& der = check.trust_anchors_der[i];
    if (int rc = mbedtls_x509_crt_parse_der(&anchors.list, Bytes(der), der.size()); rc != 0) {
      const int high_level = -(-rc & 0xff80);  // the X.509/PK part of a combined error code
      if (high_level == MBEDTLS_ERR_X509_UNKNOWN_SIG_ALG ||
          high_level == MBEDTLS_ERR_PK_UNKNOWN_PK_ALG) {
        return Unsupported(absl::StrCat("Mbed TLS cannot decode trust anchor ", i + 1,
                                        " (an algorithm it lacks, e.g. Ed25519)"));
      }
      return BadInput(absl::StrCat("trust anchor ", i + 1, " is not a certificate"));
    }
  }
  CertificateList chain;
  for (size_t i = 0; i < check.chain_der.size(); ++i) {
    const std::string& der = check.chain_der[i];
    if (int rc = mbedtls_x509_crt_parse_der(&chain.list, Bytes(der), der.size()); rc != 0) {
      char text[256];
      mbedtls_strerror(rc, text, sizeof(text));
      return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kHandshakeFailure,
                       absl::StrCat("chain certificate ", i + 1, ": ", text));
    }
  }
  DepthLimit limit{check.max_chain_depth};
  uint32_t flags = 0;
  const char* name = check.expected_peer_name.empty() ? nullptr : check.expected_peer_name.c_str();
  const int rc = mbedtls_x509_crt_verify(&chain.list, &anchors.list, nullptr, name, &flags,
                                         CheckDepth, &limit);
  if (limit.exceeded) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kChainTooLong,
                     "more intermediates than allowed");
  }
  // Like the handshake: the leaf's extendedKeyUsage, when present, must allow the peer's role.
  const bool client = check.peer_role == Role::kClient;
  if (mbedtls_x509_crt_check_extended_key_usage(
          &chain.list, client ? MBEDTLS_OID_CLIENT_AUTH : MBEDTLS_OID_SERVER_AUTH,
          MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)) != 0) {
    flags |= MBEDTLS_X509_BADCERT_EXT_KEY_USAGE;
  }
  if (rc == 0 && flags == 0) return absl::OkStatus();
  char text[512];
  mbedtls_x509_crt_verify_info(text, sizeof(text), "", flags);
  return MakeError(absl::StatusCode::kPermissionDenied, mbedtls_x509::ClassifyVerifyFlags(flags),
                   absl::StrReplaceAll(text, {{"\n", "; "}}));
}

}  // namespace mtls
