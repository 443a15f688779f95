// X.509 helpers of the OpenSSL-API adapter, shared by its handshake and its stand-alone
// certificate checks (mtls/x509_check.h), so both apply the same policy.
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mtls/status.h"
#include "mtls/types.h"
#include "openssl_types.h"

namespace mtls::openssl_api {

// The library's error queue as one line (and emptied); empty when it recorded nothing.
std::string DrainErrors(std::vector<unsigned long>* codes = nullptr);

// Exactly one DER certificate (trailing bytes refused), or null.
X509Ptr ParseCertificate(const std::string& der);

ErrorClass ClassifyVerifyError(long verify_result);

// Whether a verification ran at all: BoringSSL reports X509_V_ERR_INVALID_CALL before it has.
bool VerificationRan(long verify_result);

// What a peer's chain must satisfy: the key purpose of its role, at most `max_chain_depth`
// intermediates, the expected DNS name (if any) and the validation time (if fixed).
void ApplyPeerChecks(X509_VERIFY_PARAM* param, Role peer_role, int max_chain_depth,
                     const std::string& expected_peer_name, std::optional<int64_t> unix_time);

}  // namespace mtls::openssl_api
