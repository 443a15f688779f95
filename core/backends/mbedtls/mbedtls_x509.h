// Mbed TLS peer-certificate policy, shared by the handshake and the stand-alone certificate
// checks (mtls/x509_check.h): one verification (mbedtls_x509_crt_verify_with_profile under
// PeerProfile(), with ApplyPeerPolicy as its f_vrfy callback) and one key-usage check, so the
// differential verifier checks what the handshake enforces.
#pragma once

#include <mbedtls/x509_crt.h>

#include <cstdint>
#include <optional>

#include "mtls/config.h"
#include "mtls/status.h"
#include "mtls/types.h"

namespace mtls::mbedtls_x509 {

// The error class of mbedtls_x509_crt_verify flags (MBEDTLS_X509_BADCERT_*).
ErrorClass ClassifyVerifyFlags(uint32_t flags);

// What the verification callback enforces on top of the library's chain building.
struct PeerPolicy {
  int max_chain_depth = kDefaultMaxChainDepth;  // intermediates between leaf and trust anchor
  std::optional<int64_t> unix_time;  // validity judged at this time instead of the system clock
  bool chain_too_long = false;       // set by ApplyPeerPolicy
  void* owner = nullptr;             // the session (2.28 finds it through its f_vrfy argument)
};

// The f_vrfy callback of mbedtls_ssl_set_verify and mbedtls_x509_crt_verify (`policy` is a
// PeerPolicy): flags chains with more intermediates than allowed, and with a fixed time
// re-judges MBEDTLS_X509_BADCERT_EXPIRED / _FUTURE of every certificate of the chain the library
// built (it judged them against the system clock) from its notBefore / notAfter.
int ApplyPeerPolicy(void* policy, mbedtls_x509_crt* certificate, int depth, uint32_t* flags);

// The certificate profile (allowed hashes, keys, curves) both paths verify with: the library's
// default, which mbedtls_ssl_config_defaults(MBEDTLS_SSL_PRESET_DEFAULT) also selects.
const mbedtls_x509_crt_profile& PeerProfile();

// The usage checks the handshake makes on the peer's leaf (what Mbed TLS's
// mbedtls_ssl_check_cert_usage does for signature-based authentication: keyUsage
// digitalSignature, extendedKeyUsage of the peer's role), as MBEDTLS_X509_BADCERT_* flags.
uint32_t LeafUsageFlags(const mbedtls_x509_crt& leaf, Role peer_role);

}  // namespace mtls::mbedtls_x509
