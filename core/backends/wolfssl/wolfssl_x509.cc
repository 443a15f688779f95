// Stand-alone certificate parsing and peer-chain verification (mtls/x509_check.h). A chain is
// verified the way a handshake verifies its peer's, by the handshake's own code under the
// handshake's policy: presented in an exchange held in memory (wolfssl_stand_in.h).
#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/determinism.h"
#include "mtls/x509_check.h"
#include "wolfssl_seams.h"
#include "wolfssl_stand_in.h"
#include "wolfssl_x509.h"

namespace mtls {
namespace wolfssl_x509 {

void EnsureLibraryInitialised() {
  static const int initialised = wolfSSL_Init();
  (void)initialised;
}

std::string ErrorText(int code) {
  char text[WOLFSSL_MAX_ERROR_SZ];
  wolfSSL_ERR_error_string_n(static_cast<unsigned long>(code), text, sizeof(text));
  return text;
}

ErrorClass ClassifyError(int code) {
  switch (code) {
    case ASN_AFTER_DATE_E:
      return ErrorClass::kExpired;
    case ASN_BEFORE_DATE_E:
      return ErrorClass::kNotYetValid;
    case EXTKEYUSAGE_E:
    case EXTKEYUSE_AUTH_E:
      return ErrorClass::kBadKeyUsage;
    case DOMAIN_NAME_MISMATCH:
      return ErrorClass::kNameMismatch;
    case MAX_CHAIN_ERROR:
      return ErrorClass::kChainTooLong;
    case ASN_NO_SIGNER_E:
    case ASN_SELF_SIGNED_E:
      return ErrorClass::kUntrustedIssuer;
    case NO_PEER_CERT:
      return ErrorClass::kNoPeerCertificate;
    default:
      return ErrorClass::kHandshakeFailure;
  }
}

}  // namespace wolfssl_x509

namespace {

struct X509Deleter {
  void operator()(WOLFSSL_X509* certificate) const { wolfSSL_X509_free(certificate); }
};
using X509Ptr = std::unique_ptr<WOLFSSL_X509, X509Deleter>;

const unsigned char* Bytes(absl::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

}  // namespace

absl::Status ParseCertificateWithBackend(absl::string_view data, CertificateEncoding encoding) {
  wolfssl_x509::EnsureLibraryInitialised();
  X509Ptr certificate(wolfSSL_X509_load_certificate_buffer(
      Bytes(data), static_cast<int>(data.size()),
      encoding == CertificateEncoding::kDer ? WOLFSSL_FILETYPE_ASN1 : WOLFSSL_FILETYPE_PEM));
  if (!certificate) return BadInput("not a certificate: wolfSSL rejected it");
  return absl::OkStatus();
}

absl::Status VerifyPeerChain(const ChainCheck& check) {
  wolfssl_x509::EnsureLibraryInitialised();
  if (check.chain_der.empty()) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kNoPeerCertificate,
                     "empty chain");
  }
  // The library's own date checks, at the check's time (wolfssl_seams.h).
  const wolfssl_seams::SeamScope clock(nullptr, check.unix_time);
  return wolfssl_stand_in::VerifyPresented(check);
}

// The fixed-point ECC cache (per thread with HAVE_THREAD_LS) changes which code a signature runs;
// a fresh thread, released after the run, starts without it.
bool ReplayNeedsFreshThread() {
#if defined(FP_ECC)
  return true;
#else
  return false;
#endif
}

absl::Status UseDeterministicRandom() {
  MTLS_RETURN_IF_ERROR(RequireCapability("seam:process-random"));
  // Initialise first, so that what initialisation draws does not depend on when it happens.
  wolfssl_x509::EnsureLibraryInitialised();
  wolfssl_seams::UseDeterministicSeeds();
  return absl::OkStatus();
}

}  // namespace mtls
