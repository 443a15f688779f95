#include "wolfssl_chain_policy.h"

#include "absl/strings/str_cat.h"
#include "mtls/status.h"

namespace mtls::wolfssl_chain {

absl::Status ConfigureContext(WOLFSSL_CTX* ctx, const Policy& policy) {
  if (policy.trust_anchors_der != nullptr) {
    for (size_t i = 0; i < policy.trust_anchors_der->size(); ++i) {
      const std::string& der = (*policy.trust_anchors_der)[i];
      if (wolfSSL_CTX_load_verify_buffer(ctx, reinterpret_cast<const unsigned char*>(der.data()),
                                         static_cast<long>(der.size()),
                                         WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
        return BadInput(absl::StrCat("trust anchor ", i + 1, ": not a valid X.509 certificate"));
      }
    }
  }
  const bool server = policy.own_role == Role::kServer;
  int mode = WOLFSSL_VERIFY_PEER;
  if (server) {
    mode = policy.verify_peer ? WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT
                              : WOLFSSL_VERIFY_NONE;
  }
  wolfSSL_CTX_set_verify(ctx, mode, nullptr);
  wolfSSL_CTX_set_verify_depth(ctx, policy.max_chain_depth);
  if (server && policy.verify_peer && wolfSSL_CTX_mutual_auth(ctx, 1) != 0) {
    return absl::InternalError("wolfSSL_CTX_mutual_auth failed");
  }
  return absl::OkStatus();
}

void ConfigureSession(WOLFSSL* ssl, const std::string& expected_peer_name) {
  if (!expected_peer_name.empty()) wolfSSL_check_domain_name(ssl, expected_peer_name.c_str());
}

}  // namespace mtls::wolfssl_chain
