#include "mtls/status.h"

#include <array>

#include "absl/strings/cord.h"
#include "mtls/result.h"

namespace mtls {
namespace {

constexpr absl::string_view kErrorClassPayload = "type.mtls-bench/error_class";

constexpr std::array<absl::string_view, 14> kErrorClassNames = {
    "none",
    "untrusted_issuer",
    "expired",
    "not_yet_valid",
    "bad_key_usage",
    "no_peer_certificate",
    "name_mismatch",
    "chain_too_long",
    "key_mismatch",
    "psk_rejected",
    "password_rejected",
    "bad_input",
    "handshake_failure",
    "unsupported",
};

}  // namespace

absl::string_view ErrorClassName(ErrorClass error_class) {
  return kErrorClassNames[static_cast<size_t>(error_class)];
}

absl::Status MakeError(absl::StatusCode code, ErrorClass error_class, absl::string_view message) {
  absl::Status status(code, message);
  status.SetPayload(kErrorClassPayload, absl::Cord(ErrorClassName(error_class)));
  return status;
}

ErrorClass ErrorClassOf(const absl::Status& status) {
  if (status.ok()) return ErrorClass::kNone;
  if (auto payload = status.GetPayload(kErrorClassPayload)) {
    for (size_t i = 0; i < kErrorClassNames.size(); ++i) {
      if (*payload == kErrorClassNames[i]) return static_cast<ErrorClass>(i);
    }
  }
  switch (status.code()) {
    case absl::StatusCode::kUnimplemented:
      return ErrorClass::kUnsupported;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
      return ErrorClass::kBadInput;
    default:
      return ErrorClass::kHandshakeFailure;
  }
}

HandshakeResult ResultOfSession(const absl::Status& failure, bool done) {
  HandshakeResult result;
  if (!failure.ok()) {
    result.status = failure;
  } else if (!done) {
    result.status = MakeError(absl::StatusCode::kFailedPrecondition, ErrorClass::kHandshakeFailure,
                              "handshake not complete");
  }
  return result;
}

}  // namespace mtls
