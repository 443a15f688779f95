// Status helpers shared by the core and the backends: the return macros Abseil 20220623 lacks,
// and the error class every failure carries so callers can tell *why* authentication failed.
#pragma once

#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mtls {

// Why a handshake or an endpoint setup failed. The conformance matrix asserts on these.
enum class ErrorClass {
  kNone,
  kUntrustedIssuer,    // chain does not lead to a trust anchor (incl. self-signed leaves), or a
                       // raw public key that is not a trusted one
  kExpired,            // a certificate's notAfter is in the past
  kNotYetValid,        // a certificate's notBefore is in the future
  kBadKeyUsage,        // keyUsage / extendedKeyUsage does not allow this role
  kNoPeerCertificate,  // authentication was required and the peer sent no certificate
  kNameMismatch,       // the peer certificate does not carry the expected name
  kChainTooLong,       // more intermediates than the configured maximum
  kKeyMismatch,        // a private key that does not belong to its certificate
  kPskRejected,        // the peer offered an unknown PSK identity or did not prove the key
  kPasswordRejected,   // TLS-SRP: unknown user name, or the peer did not prove the password
  kBadInput,           // unparsable PEM/DER, unreadable file, invalid configuration
  kHandshakeFailure,   // any other protocol failure (including an alert from the peer)
  kUnsupported,        // the backend cannot do what was asked
};

absl::string_view ErrorClassName(ErrorClass error_class);

// A status of code `code` carrying `error_class` as a payload.
absl::Status MakeError(absl::StatusCode code, ErrorClass error_class, absl::string_view message);
// The error class of `status`: kNone for OK, the payload when present, else derived from the code.
ErrorClass ErrorClassOf(const absl::Status& status);

inline absl::Status BadInput(absl::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorClass::kBadInput, message);
}
inline absl::Status Unsupported(absl::string_view reason) {
  return MakeError(absl::StatusCode::kUnimplemented, ErrorClass::kUnsupported, reason);
}

}  // namespace mtls

#define MTLS_STATUS_CONCAT_INNER(a, b) a##b
#define MTLS_STATUS_CONCAT(a, b) MTLS_STATUS_CONCAT_INNER(a, b)

#define MTLS_RETURN_IF_ERROR(expr)                                \
  do {                                                            \
    if (absl::Status _mtls_status = (expr); !_mtls_status.ok()) { \
      return _mtls_status;                                        \
    }                                                             \
  } while (0)

#define MTLS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return std::move(tmp).status();   \
  lhs = std::move(*tmp)

#define MTLS_ASSIGN_OR_RETURN(lhs, expr) \
  MTLS_ASSIGN_OR_RETURN_IMPL(MTLS_STATUS_CONCAT(_mtls_statusor_, __LINE__), lhs, expr)
