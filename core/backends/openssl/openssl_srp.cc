#define OPENSSL_SUPPRESS_DEPRECATED  // the SRP API is deprecated in OpenSSL 3 (see the header)

#include "openssl_srp.h"

#if !defined(OPENSSL_IS_BORINGSSL) && !defined(OPENSSL_NO_SRP)

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/srp.h>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/status.h"

namespace mtls::openssl_srp {

class ServerAccount {
 public:
  std::string username;
  BIGNUM* salt = nullptr;
  BIGNUM* verifier = nullptr;
  const BIGNUM* prime = nullptr;  // RFC 5054's 2048-bit group: owned by OpenSSL
  const BIGNUM* generator = nullptr;

  ~ServerAccount() {
    BN_free(salt);
    BN_clear_free(verifier);
  }
};

namespace {

constexpr char kSrpSuite[] = "SRP-AES-128-CBC-SHA";  // password only, no certificate

// Answers for the configured user; any other name ends the handshake.
int FindUser(SSL* ssl, int* alert, void* arg) {
  const auto* account = static_cast<const ServerAccount*>(arg);
  const char* user = SSL_get_srp_username(ssl);
  if (user == nullptr || account->username != user) {
    *alert = SSL_AD_UNKNOWN_PSK_IDENTITY;
    return SSL3_AL_FATAL;
  }
  if (SSL_set_srp_server_param(ssl, account->prime, account->generator, account->salt,
                               account->verifier, nullptr) != 1) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL3_AL_FATAL;
  }
  return SSL_ERROR_NONE;
}

}  // namespace

absl::Status Configure(SSL_CTX* ctx, const SrpPassword& srp, Role role,
                       std::shared_ptr<ServerAccount>& account) {
  MTLS_RETURN_IF_ERROR(RequireCapability("srp:tls1.2"));
  if (SSL_CTX_set_cipher_list(ctx, kSrpSuite) != 1) {
    return Unsupported(absl::StrCat("this OpenSSL build lacks ", kSrpSuite));
  }
  if (role == Role::kClient) {
    std::string user = srp.username, password = srp.password;  // the API takes char*
    if (SSL_CTX_set_srp_username(ctx, user.data()) != 1 ||
        SSL_CTX_set_srp_password(ctx, password.data()) != 1) {
      return absl::InternalError("SRP user name / password not accepted");
    }
    return absl::OkStatus();
  }
  const SRP_gN* group = SRP_get_default_gN("2048");
  auto server = std::make_shared<ServerAccount>();
  server->username = srp.username;
  if (group == nullptr ||
      SRP_create_verifier_BN(srp.username.c_str(), srp.password.c_str(), &server->salt,
                             &server->verifier, group->N, group->g) != 1) {
    return absl::InternalError("SRP verifier could not be derived");
  }
  server->prime = group->N;
  server->generator = group->g;
  SSL_CTX_set_srp_cb_arg(ctx, server.get());
  SSL_CTX_set_srp_username_callback(ctx, FindUser);
  account = std::move(server);
  return absl::OkStatus();
}

std::string Username(SSL* ssl) {
  const char* user = SSL_get_srp_username(ssl);
  return user != nullptr ? user : "";
}

bool Used(SSL* ssl) {
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  return cipher != nullptr && SSL_CIPHER_get_kx_nid(cipher) == NID_kx_srp;
}

std::optional<std::string> Rejection(SSL* ssl, const SrpPassword& srp, Role role,
                                     const std::vector<unsigned long>& errors) {
  const char* offered = SSL_get_srp_username(ssl);
  if (role == Role::kServer && offered != nullptr && *offered != '\0' && offered != srp.username) {
    return absl::StrCat("unknown SRP user '", offered, "'");
  }
  for (unsigned long error : errors) {
    if (ERR_GET_LIB(error) == ERR_LIB_SSL &&
        ERR_GET_REASON(error) == SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC) {
      return "the peer did not prove the password";  // its Finished is under other keys
    }
  }
  return std::nullopt;
}

}  // namespace mtls::openssl_srp

#endif  // SRP
