// Stand-alone certificate parsing and peer-chain verification (mtls/x509_check.h) with Mbed
// TLS, and the peer policy the handshake applies too (mbedtls_x509.h): chain verification under
// one profile, the depth limit and verification clock of ApplyPeerPolicy, and the leaf's usage.
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

namespace {

// Seconds since the Unix epoch of a certificate time (UTC; proleptic Gregorian calendar).
int64_t UnixTimeOf(const mbedtls_x509_time& t) {
  const int64_t y = t.year - (t.mon <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;
  const int64_t day_of_year = (153 * (t.mon + (t.mon > 2 ? -3 : 9)) + 2) / 5 + t.day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  const int64_t days = era * 146097 + day_of_era - 719468;
  return days * 86400 + t.hour * 3600 + t.min * 60 + t.sec;
}

}  // namespace

int ApplyPeerPolicy(void* policy, mbedtls_x509_crt* certificate, int depth, uint32_t* flags) {
  auto* peer_policy = static_cast<PeerPolicy*>(policy);
  // `depth` counts from the leaf (0); the trust anchor is the deepest certificate.
  if (depth > peer_policy->max_chain_depth + 1) {
    peer_policy->chain_too_long = true;
    *flags |= MBEDTLS_X509_BADCERT_OTHER;
  }
  if (peer_policy->unix_time) {
    // The library compares with the same strictness: expired after notAfter, future before
    // notBefore.
    *flags &= ~(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE);
    if (UnixTimeOf(certificate->valid_to) < *peer_policy->unix_time) {
      *flags |= MBEDTLS_X509_BADCERT_EXPIRED;
    }
    if (UnixTimeOf(certificate->valid_from) > *peer_policy->unix_time) {
      *flags |= MBEDTLS_X509_BADCERT_FUTURE;
    }
  }
  return 0;
}

const mbedtls_x509_crt_profile& PeerProfile() { return mbedtls_x509_crt_profile_default; }

uint32_t LeafUsageFlags(const mbedtls_x509_crt& leaf, Role peer_role) {
  uint32_t flags = 0;
  if (mbedtls_x509_crt_check_key_usage(&leaf, MBEDTLS_X509_KU_DIGITAL_SIGNATURE) != 0) {
    flags |= MBEDTLS_X509_BADCERT_KEY_USAGE;
  }
  const bool client = peer_role == Role::kClient;
  if (mbedtls_x509_crt_check_extended_key_usage(
          &leaf, client ? MBEDTLS_OID_CLIENT_AUTH : MBEDTLS_OID_SERVER_AUTH,
          MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)) != 0) {
    flags |= MBEDTLS_X509_BADCERT_EXT_KEY_USAGE;
  }
  return flags;
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
  mbedtls_x509::PeerPolicy policy{check.max_chain_depth, check.unix_time};
  uint32_t flags = 0;
  const char* name = check.expected_peer_name.empty() ? nullptr : check.expected_peer_name.c_str();
  const int rc = mbedtls_x509_crt_verify_with_profile(&chain.list, &anchors.list, nullptr,
                                                      &mbedtls_x509::PeerProfile(), name, &flags,
                                                      mbedtls_x509::ApplyPeerPolicy, &policy);
  if (policy.chain_too_long) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kChainTooLong,
                     "more intermediates than allowed");
  }
  // Like the handshake, which checks the leaf's usage after verifying the chain.
  flags |= mbedtls_x509::LeafUsageFlags(chain.list, check.peer_role);
  if (rc == 0 && flags == 0) return absl::OkStatus();
  char text[512];
  mbedtls_x509_crt_verify_info(text, sizeof(text), "", flags);
  return MakeError(absl::StatusCode::kPermissionDenied, mbedtls_x509::ClassifyVerifyFlags(flags),
                   absl::StrReplaceAll(text, {{"\n", "; "}}));
}

}  // namespace mtls
