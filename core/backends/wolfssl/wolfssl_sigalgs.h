// Signature algorithms on wolfSSL: the configured list (EndpointConfig::signature_algorithms)
// and the one the peer signed with (HandshakeResult::peer_signature_algorithm).
#pragma once

#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/ssl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mtls::wolfssl_sigalgs {

// The code points in wolfSSL's list syntax ("ECDSA+SHA256:RSA-PSS+SHA256:ED25519");
// Unimplemented naming a code point the syntax cannot express.
absl::StatusOr<std::string> ListFor(const std::vector<uint16_t>& code_points);

// Offers (client) / accepts (server) only these, through wolfSSL_CTX_set1_sigalgs_list.
absl::Status Configure(WOLFSSL_CTX* ctx, const std::vector<uint16_t>& code_points);

// The TLS code point the peer signed its CertificateVerify / ServerKeyExchange with, from
// wolfSSL_get_peer_signature_type_nid / _nid (wolfSSL 5.6.4 and later); 0 when the peer did not
// sign (resumption, PSK) or the build lacks the calls. `peer_leaf_der` tells RSA-PSS with an
// rsaEncryption key (rsa_pss_rsae_*) from one with an RSASSA-PSS key (rsa_pss_pss_*).
uint16_t PeerSignatureAlgorithm(WOLFSSL* ssl, absl::string_view peer_leaf_der);

}  // namespace mtls::wolfssl_sigalgs
