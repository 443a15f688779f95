#include "gnutls_priority.h"

#include "absl/strings/str_cat.h"
#include "gnutls_dtls.h"
#include "gnutls_srp.h"
#include "gnutls_util.h"
#include "mtls/status.h"

namespace mtls::gnutls_priority {

std::string For(const EndpointConfig& config) {
  std::string priority = "NORMAL:-VERS-ALL";
  if (config.protocol == Protocol::kDtls) {
    absl::StrAppend(&priority, gnutls_dtls::kPriorityVersions);
  } else {
    if (config.min_version <= TlsVersion::kTls12) absl::StrAppend(&priority, ":+VERS-TLS1.2");
    if (config.max_version >= TlsVersion::kTls13) absl::StrAppend(&priority, ":+VERS-TLS1.3");
  }
  if (!config.groups.empty()) {
    absl::StrAppend(&priority, ":-GROUP-ALL");
    for (Group group : config.groups) {
      absl::StrAppend(&priority, ":+GROUP-", gnutls_util::GroupKeyword(group));
    }
  }
  if (!config.signature_algorithms.empty()) {
    absl::StrAppend(&priority, ":-SIGN-ALL");
    for (uint16_t code_point : config.signature_algorithms) {
      absl::StrAppend(&priority, ":+SIGN-", gnutls_util::SignatureKeyword(code_point));
    }
  }
  if (config.srp) absl::StrAppend(&priority, gnutls_srp::kPriority);
  if (config.raw_public_keys) {
    absl::StrAppend(&priority, ":-CTYPE-ALL:+CTYPE-RAWPK");  // raw keys only, both directions
  }
  if (config.psk) {
    // Only the PSK key exchange asked for, so nothing but the PSK can complete a handshake;
    // AES-128 suites with SHA-256 (the PSK's hash), as on the other backends.
    const bool dhe = config.psk->key_exchange == PskKeyExchange::kDhe;
    absl::StrAppend(&priority, ":-KX-ALL:", dhe ? "+ECDHE-PSK" : "+PSK", ":-CIPHER-ALL");
    if (dhe && gnutls_dtls::MaxVersion(config) == TlsVersion::kTls12) {
      absl::StrAppend(&priority, ":+AES-128-CBC:-MAC-ALL:+SHA256");
    } else {
      absl::StrAppend(&priority, ":+AES-128-GCM");
    }
  }
  return priority;
}

Priority::~Priority() {
  if (priority_ != nullptr) gnutls_priority_deinit(priority_);
}

absl::Status Priority::Configure(const EndpointConfig& config) {
  const std::string priority = For(config);
  const char* error_at = nullptr;
  if (int rc = gnutls_priority_init(&priority_, priority.c_str(), &error_at); rc < 0) {
    return Unsupported(absl::StrCat("priority string not accepted at '",
                                    error_at != nullptr ? error_at : "?", "': ", priority));
  }
  return absl::OkStatus();
}

void Priority::SetOn(gnutls_session_t session) const { gnutls_priority_set(session, priority_); }

}  // namespace mtls::gnutls_priority
