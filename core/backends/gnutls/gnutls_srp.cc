#include "gnutls_srp.h"

#include <gnutls/crypto.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "gnutls_util.h"
#include "mtls/backend.h"
#include "mtls/status.h"

namespace mtls::gnutls_srp {
namespace {

int Copy(absl::string_view bytes, gnutls_datum_t* out) {
  out->data = static_cast<unsigned char*>(gnutls_malloc(bytes.size()));
  if (out->data == nullptr) return -1;
  out->size = static_cast<unsigned>(bytes.size());
  std::memcpy(out->data, bytes.data(), bytes.size());
  return 0;
}

}  // namespace

absl::StatusOr<Account> DeriveAccount(const SrpPassword& srp) {
  Account account;
  account.username = srp.username;
  account.salt.resize(16);
  if (int rc = gnutls_rnd(GNUTLS_RND_NONCE, account.salt.data(), account.salt.size()); rc < 0) {
    return gnutls_util::LibraryError("SRP salt", rc);
  }
  gnutls_datum_t salt = gnutls_util::Datum(account.salt);
  gnutls_datum_t verifier{};
  if (int rc = gnutls_srp_verifier(srp.username.c_str(), srp.password.c_str(), &salt,
                                   &gnutls_srp_2048_group_generator, &gnutls_srp_2048_group_prime,
                                   &verifier);
      rc < 0) {
    return gnutls_util::LibraryError("SRP verifier", rc);
  }
  account.verifier = gnutls_util::ToString(verifier);
  gnutls_free(verifier.data);
  return account;
}

Credentials::~Credentials() {
  if (client_ != nullptr) gnutls_srp_free_client_credentials(client_);
  if (server_ != nullptr) gnutls_srp_free_server_credentials(server_);
}

absl::Status Credentials::Configure(const SrpPassword& srp, Role role,
                                    gnutls_srp_server_credentials_function* find) {
  MTLS_RETURN_IF_ERROR(RequireCapability("srp:tls1.2"));
  if (role == Role::kClient) {
    if (int rc = gnutls_srp_allocate_client_credentials(&client_); rc < 0) {
      return gnutls_util::LibraryError("SRP credentials", rc);
    }
    if (int rc =
            gnutls_srp_set_client_credentials(client_, srp.username.c_str(), srp.password.c_str());
        rc < 0) {
      return gnutls_util::LibraryError("SRP user", rc);
    }
    return absl::OkStatus();
  }
  MTLS_ASSIGN_OR_RETURN(account_, DeriveAccount(srp));
  if (int rc = gnutls_srp_allocate_server_credentials(&server_); rc < 0) {
    return gnutls_util::LibraryError("SRP credentials", rc);
  }
  gnutls_srp_set_server_credentials_function(server_, find);
  return absl::OkStatus();
}

void Credentials::SetOn(gnutls_session_t session) const {
  gnutls_credentials_set(session, GNUTLS_CRD_SRP,
                         client_ != nullptr ? static_cast<void*>(client_) : server_);
}

int Lookup(const Account& account, const char* username, gnutls_datum_t* salt,
           gnutls_datum_t* verifier, gnutls_datum_t* generator, gnutls_datum_t* prime) {
  if (username != account.username) return -1;
  if (Copy(account.salt, salt) < 0 || Copy(account.verifier, verifier) < 0 ||
      Copy(gnutls_util::ToStringView(gnutls_srp_2048_group_generator), generator) < 0 ||
      Copy(gnutls_util::ToStringView(gnutls_srp_2048_group_prime), prime) < 0) {
    return -1;
  }
  return 0;
}

std::optional<std::string> Rejection(const SrpPassword& srp, const std::string& offered_user,
                                     int rc) {
  if (!offered_user.empty() && offered_user != srp.username) {
    return absl::StrCat("unknown SRP user '", offered_user, "'");
  }
  if (rc == GNUTLS_E_DECRYPTION_FAILED || rc == GNUTLS_E_ERROR_IN_FINISHED_PACKET) {
    return "the peer did not prove the password";  // its Finished is under other keys
  }
  return std::nullopt;
}

}  // namespace mtls::gnutls_srp
