#include "gnutls_raw_public_key.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "gnutls_util.h"
#include "mtls/status.h"
#include "mtls/x509_identity.h"

namespace mtls::gnutls_rpk {

using gnutls_util::Datum;

absl::Status UseOwnKey(gnutls_certificate_credentials_t credentials, const Credentials& own) {
  auto spki = CertificateSpki(own.chain_der.front());
  if (!spki.ok()) return BadInput("certificate chain: leaf is not a valid X.509 certificate");
  gnutls_datum_t spki_der = Datum(*spki);
  gnutls_datum_t key_der = Datum(own.key_der);
  const int rc = gnutls_certificate_set_rawpk_key_mem(
      credentials, &spki_der, &key_der, GNUTLS_X509_FMT_DER, nullptr, 0, nullptr, 0, 0);
  if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorClass::kKeyMismatch,
                     "private key does not match the raw public key");
  }
  if (rc < 0) return BadInput(absl::StrCat("raw public key: ", gnutls_strerror(rc)));
  return absl::OkStatus();
}

std::optional<std::string> PeerKeyRejection(gnutls_session_t session,
                                            const RawPublicKeys& trusted) {
  unsigned count = 0;
  const gnutls_datum_t* peers = gnutls_certificate_get_peers(session, &count);
  if (gnutls_certificate_type_get2(session, GNUTLS_CTYPE_PEERS) != GNUTLS_CRT_RAWPK ||
      peers == nullptr || count == 0) {
    return "peer sent no raw public key";
  }
  const std::string key(gnutls_util::ToStringView(peers[0]));
  const auto& keys = trusted.trusted_peer_keys_der;
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
    return "peer raw public key is not a trusted one";
  }
  return std::nullopt;
}

}  // namespace mtls::gnutls_rpk
