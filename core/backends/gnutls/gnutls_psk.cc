#include "gnutls_psk.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "gnutls_util.h"
#include "mtls/backend.h"
#include "mtls/status.h"

namespace mtls::gnutls_psk {

using gnutls_util::Datum;
using gnutls_util::LibraryError;

Credentials::~Credentials() {
  if (client_ != nullptr) gnutls_psk_free_client_credentials(client_);
  if (server_ != nullptr) gnutls_psk_free_server_credentials(server_);
}

absl::Status Credentials::Configure(const ExternalPsk& psk, Role role, TlsVersion max_version,
                                    gnutls_psk_server_credentials_function2* find) {
  MTLS_RETURN_IF_ERROR(RequireCapability(PskFeature(psk.key_exchange, max_version)));
  if (role == Role::kServer) {
    if (int rc = gnutls_psk_allocate_server_credentials(&server_); rc < 0) {
      return LibraryError("PSK credentials", rc);
    }
    gnutls_psk_set_server_credentials_function2(server_, find);
    return absl::OkStatus();
  }
  if (int rc = gnutls_psk_allocate_client_credentials(&client_); rc < 0) {
    return LibraryError("PSK credentials", rc);
  }
  gnutls_datum_t identity = Datum(psk.identity);
  gnutls_datum_t key = Datum(psk.key);
  if (int rc = gnutls_psk_set_client_credentials2(client_, &identity, &key, GNUTLS_PSK_KEY_RAW);
      rc < 0) {
    return LibraryError("PSK", rc);
  }
  return absl::OkStatus();
}

void Credentials::SetOn(gnutls_session_t session) const {
  gnutls_credentials_set(session, GNUTLS_CRD_PSK,
                         client_ != nullptr ? static_cast<void*>(client_) : server_);
}

int FindKey(const ExternalPsk& psk, absl::string_view offered, gnutls_datum_t* key) {
  // 1: "no such identity"; the library then goes on with a random key, so the client learns
  // only that the handshake failed (RFC 4279 §2), not which identities exist.
  if (offered != psk.identity) return 1;
  key->data = static_cast<unsigned char*>(gnutls_malloc(psk.key.size()));
  if (key->data == nullptr) return -1;
  key->size = static_cast<unsigned>(psk.key.size());
  std::copy(psk.key.begin(), psk.key.end(), key->data);
  return 0;
}

std::string AuthenticatedIdentity(gnutls_session_t session, const ExternalPsk& psk, Role role) {
  if (role == Role::kClient) {
    // A GnuTLS client offers the one identity of its credentials (no getter reports it back);
    // the PSK authentication is the library's word that the server took it.
    return psk.identity;
  }
  // The identity the handshake authenticated, as the library recorded it.
  gnutls_datum_t identity{};
  if (gnutls_psk_server_get_username2(session, &identity) != 0) return "";
  return gnutls_util::ToString(identity);
}

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
