// Stand-alone certificate parsing and peer-chain verification (mtls/x509_check.h) with wolfSSL's
// certificate manager, the verifier its handshake uses: anchors loaded, each intermediate
// verified and then loaded as a CA from the anchor down, the leaf verified last. The handshake's
// other checks (depth, extended key usage, name) are applied the way the handshake applies them.
#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/random.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/determinism.h"
#include "mtls/x509_check.h"
#include "wolfssl_seams.h"
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

using wolfssl_x509::ClassifyError;
using wolfssl_x509::ErrorText;

struct CertManagerDeleter {
  void operator()(WOLFSSL_CERT_MANAGER* manager) const { wolfSSL_CertManagerFree(manager); }
};
struct X509Deleter {
  void operator()(WOLFSSL_X509* certificate) const { wolfSSL_X509_free(certificate); }
};
using X509Ptr = std::unique_ptr<WOLFSSL_X509, X509Deleter>;

const unsigned char* Bytes(absl::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

absl::Status Rejected(int code, absl::string_view what) {
  return MakeError(absl::StatusCode::kPermissionDenied, ClassifyError(code),
                   absl::StrCat(what, ": ", ErrorText(code)));
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
  // The library's own date checks, at the check's time (wolfssl_seams.h).
  const wolfssl_seams::SeamScope clock(nullptr, check.unix_time);
  if (check.chain_der.empty()) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kNoPeerCertificate,
                     "empty chain");
  }
  std::unique_ptr<WOLFSSL_CERT_MANAGER, CertManagerDeleter> manager(wolfSSL_CertManagerNew());
  if (!manager) return absl::InternalError("wolfSSL_CertManagerNew failed");
  for (size_t i = 0; i < check.trust_anchors_der.size(); ++i) {
    const std::string& der = check.trust_anchors_der[i];
    if (wolfSSL_CertManagerLoadCABuffer(manager.get(), Bytes(der), static_cast<long>(der.size()),
                                        WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
      return BadInput(absl::StrCat("trust anchor ", i + 1, " is not a certificate"));
    }
  }
  // The handshake's verify depth counts the intermediates the peer sends.
  if (check.chain_der.size() > static_cast<size_t>(check.max_chain_depth) + 1) {
    return Rejected(MAX_CHAIN_ERROR, "chain");
  }
  for (size_t i = check.chain_der.size() - 1; i >= 1; --i) {
    const std::string& der = check.chain_der[i];
    const long size = static_cast<long>(der.size());
    int rc =
        wolfSSL_CertManagerVerifyBuffer(manager.get(), Bytes(der), size, WOLFSSL_FILETYPE_ASN1);
    if (rc != WOLFSSL_SUCCESS) return Rejected(rc, absl::StrCat("intermediate ", i));
    rc = wolfSSL_CertManagerLoadCABuffer(manager.get(), Bytes(der), size, WOLFSSL_FILETYPE_ASN1);
    if (rc != WOLFSSL_SUCCESS) return Rejected(rc, absl::StrCat("intermediate ", i, " as a CA"));
  }
  const std::string& leaf_der = check.chain_der.front();
  const int rc = wolfSSL_CertManagerVerifyBuffer(
      manager.get(), Bytes(leaf_der), static_cast<long>(leaf_der.size()), WOLFSSL_FILETYPE_ASN1);
  if (rc != WOLFSSL_SUCCESS) return Rejected(rc, "leaf");
  // Like the handshake: an extendedKeyUsage extension must allow the peer's role.
  DecodedCert decoded;
  wc_InitDecodedCert(&decoded, Bytes(leaf_der), static_cast<word32>(leaf_der.size()), nullptr);
  const int parsed = wc_ParseCert(&decoded, CERT_TYPE, NO_VERIFY, nullptr);
  const unsigned usage = decoded.extExtKeyUsage;
  wc_FreeDecodedCert(&decoded);
  if (parsed != 0) return Rejected(parsed, "leaf");
  const unsigned wanted =
      check.peer_role == Role::kClient ? EXTKEYUSE_CLIENT_AUTH : EXTKEYUSE_SERVER_AUTH;
  if (usage != 0 && (usage & (wanted | EXTKEYUSE_ANY)) == 0) {
    return Rejected(EXTKEYUSE_AUTH_E, "leaf");
  }
  if (!check.expected_peer_name.empty()) {
    X509Ptr leaf(wolfSSL_X509_load_certificate_buffer(
        Bytes(leaf_der), static_cast<int>(leaf_der.size()), WOLFSSL_FILETYPE_ASN1));
    if (!leaf) {
      return Unsupported(
          "wolfSSL's X509 object does not take this certificate (seen: Ed25519 keys), so its "
          "name check cannot run on it");
    }
    if (wolfSSL_X509_check_host(leaf.get(), check.expected_peer_name.data(),
                                check.expected_peer_name.size(), 0, nullptr) != WOLFSSL_SUCCESS) {
      return Rejected(DOMAIN_NAME_MISMATCH, "leaf");
    }
  }
  return absl::OkStatus();
}

absl::Status UseDeterministicRandom() {
  MTLS_RETURN_IF_ERROR(RequireCapability("seam:process-random"));
  // Initialise first, so that what initialisation draws does not depend on when it happens.
  wolfssl_x509::EnsureLibraryInitialised();
  wolfssl_seams::UseDeterministicSeeds();
  return absl::OkStatus();
}

}  // namespace mtls
