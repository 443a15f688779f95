#include "gnutls_psk.h"

#include <gnutls/gnutls.h>

#include "absl/strings/str_cat.h"

namespace mtls::gnutls_psk {

std::optional<std::string> Rejection(const ExternalPsk& psk, const std::string& offered, int rc) {
  if (!offered.empty() && offered != psk.identity) {
    return absl::StrCat("unknown PSK identity '", offered, "'");
  }
  // TLS 1.2: Finished under other keys. TLS 1.3: GnuTLS reports a binder that does not verify,
  // for an identity it knows, as an illegal parameter.
  const bool binder_failed = rc == GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER && offered == psk.identity;
  if (rc == GNUTLS_E_DECRYPTION_FAILED || rc == GNUTLS_E_ERROR_IN_FINISHED_PACKET ||
      binder_failed) {
    return "the peer did not prove the PSK";
  }
  return std::nullopt;
}

}  // namespace mtls::gnutls_psk
