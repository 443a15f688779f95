#include "gnutls_alert.h"

namespace mtls::gnutls_alert {

gnutls_alert_description_t ForVerifyStatus(unsigned status) {
  if (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED)) {
    return GNUTLS_A_CERTIFICATE_EXPIRED;  // "has expired or is not currently valid"
  }
  if (status & GNUTLS_CERT_PURPOSE_MISMATCH) return GNUTLS_A_UNSUPPORTED_CERTIFICATE;
  if (status & GNUTLS_CERT_UNEXPECTED_OWNER) return GNUTLS_A_BAD_CERTIFICATE;
  if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA)) {
    return GNUTLS_A_UNKNOWN_CA;
  }
  if (status & GNUTLS_CERT_REVOKED) return GNUTLS_A_CERTIFICATE_REVOKED;
  // A signature that does not verify, an insecure algorithm, a constraint: "corrupt, contained
  // signatures that did not verify correctly, etc."
  return GNUTLS_A_BAD_CERTIFICATE;
}

std::optional<gnutls_alert_description_t> For(gnutls_session_t session, bool is_server, int rc,
                                              unsigned verify_status) {
  switch (rc) {
    case GNUTLS_E_FATAL_ALERT_RECEIVED:   // the peer ended it and said why
    case GNUTLS_E_PREMATURE_TERMINATION:  // the peer closed the connection
    case GNUTLS_E_PUSH_ERROR:             // the connection is gone
    case GNUTLS_E_PULL_ERROR:
    case GNUTLS_E_TIMEDOUT:  // DTLS: the peer stopped answering
      return std::nullopt;
    case GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR:
      if (verify_status != 0) return ForVerifyStatus(verify_status);
      break;
    case GNUTLS_E_NO_CERTIFICATE_FOUND:
    case GNUTLS_E_CERTIFICATE_REQUIRED:
      // A server that required a certificate and got none (the library maps the first to
      // decode_error): RFC 8446 §4.4.2.4 certificate_required, RFC 5246 §7.4.6 handshake_failure.
      if (!is_server) break;
      if (gnutls_protocol_get_version(session) == GNUTLS_TLS1_3) {
        return GNUTLS_A_CERTIFICATE_REQUIRED;
      }
      return GNUTLS_A_HANDSHAKE_FAILURE;
    default:
      break;
  }
  if (!gnutls_error_is_fatal(rc)) return std::nullopt;
  int level = GNUTLS_AL_FATAL;
  const int alert = gnutls_error_to_alert(rc, &level);
  if (level != GNUTLS_AL_FATAL) return std::nullopt;
  return static_cast<gnutls_alert_description_t>(alert);
}

std::optional<gnutls_alert_description_t> SendFor(gnutls_session_t session, bool is_server, int rc,
                                                  unsigned verify_status) {
  const std::optional<gnutls_alert_description_t> alert =
      For(session, is_server, rc, verify_status);
  if (!alert) return std::nullopt;
  if (gnutls_alert_send(session, GNUTLS_AL_FATAL, *alert) < 0) return std::nullopt;
  return alert;
}

}  // namespace mtls::gnutls_alert
