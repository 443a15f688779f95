// Stand-alone certificate parsing and peer-chain verification (mtls/x509_check.h) with the
// OpenSSL API (OpenSSL and BoringSSL), and the X.509 helpers the handshake shares with them.
#include "openssl_x509.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mtls/status.h"
#include "mtls/x509_check.h"

namespace mtls {
namespace openssl_api {

std::string DrainErrors(std::vector<unsigned long>* codes) {
  std::vector<std::string> errors;
  while (unsigned long code = ERR_get_error()) {
    if (codes != nullptr) codes->push_back(code);
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    errors.emplace_back(text);
  }
  return absl::StrJoin(errors, "; ");
}

X509Ptr ParseCertificate(const std::string& der) {
  const auto* cursor = reinterpret_cast<const uint8_t*>(der.data());
  X509* certificate = d2i_X509(nullptr, &cursor, static_cast<long>(der.size()));
  if (certificate != nullptr &&
      cursor != reinterpret_cast<const uint8_t*>(der.data()) + der.size()) {
    X509_free(certificate);  // trailing bytes: not one certificate
    return nullptr;
  }
  return X509Ptr(certificate);
}

bool VerificationRan([[maybe_unused]] long verify_result) {
#if defined(OPENSSL_IS_BORINGSSL)
  return verify_result != X509_V_ERR_INVALID_CALL;
#else
  return true;
#endif
}

ErrorClass ClassifyVerifyError(long verify_result) {
  switch (verify_result) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return ErrorClass::kExpired;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return ErrorClass::kNotYetValid;
    case X509_V_ERR_INVALID_PURPOSE:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
      return ErrorClass::kBadKeyUsage;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
    case X509_V_ERR_EMAIL_MISMATCH:
      return ErrorClass::kNameMismatch;
    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
      return ErrorClass::kChainTooLong;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
#if defined(X509_V_ERR_RPK_UNTRUSTED)
    case X509_V_ERR_RPK_UNTRUSTED:
    case X509_V_ERR_DANE_NO_MATCH:  // how a raw public key that is not trusted is reported
#endif
      return ErrorClass::kUntrustedIssuer;
    default:
      return ErrorClass::kHandshakeFailure;
  }
}

void ApplyPeerChecks(X509_VERIFY_PARAM* param, Role peer_role, int max_chain_depth,
                     const std::string& expected_peer_name, std::optional<int64_t> unix_time) {
  X509_VERIFY_PARAM_set_purpose(
      param, peer_role == Role::kClient ? X509_PURPOSE_SSL_CLIENT : X509_PURPOSE_SSL_SERVER);
#if defined(OPENSSL_IS_BORINGSSL)
  // BoringSSL keeps OpenSSL 1.0.2's depth semantics, which count one certificate more than
  // OpenSSL 1.1+ ("depth" = intermediates) for the same chain (pinned by the conformance matrix).
  X509_VERIFY_PARAM_set_depth(param, max_chain_depth + 1);
#else
  X509_VERIFY_PARAM_set_depth(param, max_chain_depth);
#endif
  if (!expected_peer_name.empty()) {
    // Pass the length: BoringSSL does not read 0 as "use strlen".
    X509_VERIFY_PARAM_set1_host(param, expected_peer_name.data(), expected_peer_name.size());
  }
  if (unix_time) X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(*unix_time));
}

}  // namespace openssl_api

using namespace openssl_api;  // NOLINT: this directory's types and helpers

namespace {
using X509StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
void FreeCertificateStack(STACK_OF(X509) * stack) { sk_X509_pop_free(stack, X509_free); }
using X509StackPtr = std::unique_ptr<STACK_OF(X509), Deleter<FreeCertificateStack>>;
}  // namespace

absl::Status ParseCertificateWithBackend(absl::string_view data, CertificateEncoding encoding) {
  X509Ptr certificate;
  if (encoding == CertificateEncoding::kDer) {
    certificate = ParseCertificate(std::string(data));
  } else {
    BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    certificate.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  }
  if (!certificate) {
    const std::string errors = DrainErrors();
    return BadInput(absl::StrCat("not a certificate: ", errors.empty() ? "rejected" : errors));
  }
  return absl::OkStatus();
}

absl::Status VerifyPeerChain(const ChainCheck& check) {
  if (check.chain_der.empty()) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kNoPeerCertificate,
                     "empty chain");
  }
  X509StorePtr store(X509_STORE_new());
  for (size_t i = 0; i < check.trust_anchors_der.size(); ++i) {
    X509Ptr anchor = ParseCertificate(check.trust_anchors_der[i]);
    if (!anchor) return BadInput(absl::StrCat("trust anchor ", i + 1, " is not a certificate"));
    X509_STORE_add_cert(store.get(), anchor.get());
  }
  X509StackPtr untrusted(sk_X509_new_null());
  X509Ptr leaf;
  for (size_t i = 0; i < check.chain_der.size(); ++i) {
    X509Ptr certificate = ParseCertificate(check.chain_der[i]);
    if (!certificate) {
      DrainErrors();
      return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kHandshakeFailure,
                       absl::StrCat("chain certificate ", i + 1, " does not decode"));
    }
    if (i == 0) {
      leaf = std::move(certificate);
    } else {
      sk_X509_push(untrusted.get(), certificate.release());
    }
  }
  X509StoreCtxPtr context(X509_STORE_CTX_new());
  if (!X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), untrusted.get())) {
    return absl::InternalError(absl::StrCat("X509_STORE_CTX_init: ", DrainErrors()));
  }
  ApplyPeerChecks(X509_STORE_CTX_get0_param(context.get()), check.peer_role, check.max_chain_depth,
                  check.expected_peer_name, check.unix_time);
  if (X509_verify_cert(context.get()) == 1) return absl::OkStatus();
  DrainErrors();
  const int error = X509_STORE_CTX_get_error(context.get());
  return MakeError(absl::StatusCode::kPermissionDenied, ClassifyVerifyError(error),
                   X509_verify_cert_error_string(error));
}

}  // namespace mtls
