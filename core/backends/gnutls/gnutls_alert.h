// Alerts after a failure: GnuTLS sends one only when the application asks it to.
#pragma once

#include <gnutls/gnutls.h>

#include <optional>

namespace mtls::gnutls_alert {

// The alert RFC 8446 §6.2 / RFC 5246 §7.2 names for a certificate the verification rejected with
// `status` (gnutls_certificate_status_t bits), in the order ClassifyVerifyStatus reads them.
gnutls_alert_description_t ForVerifyStatus(unsigned status);

// What to tell the peer after `rc` ended the handshake or a record operation: the alert for the
// verification status when the certificate was rejected (`verify_status`), certificate_required
// (TLS 1.3) or handshake_failure (TLS 1.2) when a server got no certificate, otherwise what the
// library deems appropriate (gnutls_error_to_alert). Nothing when the peer already sent a fatal
// alert or the connection is gone.
std::optional<gnutls_alert_description_t> For(gnutls_session_t session, bool is_server, int rc,
                                              unsigned verify_status);

// Sends For(...) as a fatal alert; returns what was sent.
std::optional<gnutls_alert_description_t> SendFor(gnutls_session_t session, bool is_server, int rc,
                                                  unsigned verify_status);

}  // namespace mtls::gnutls_alert
