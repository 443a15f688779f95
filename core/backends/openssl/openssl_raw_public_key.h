// Raw public keys (RFC 7250) on OpenSSL 3.2+ (TLSEXT_cert_type_rpk). Builds without them
// (OpenSSL 3.0, BoringSSL) get the stand-ins below; their manifests refuse "rpk" before a context
// gets here.
#pragma once

#include <openssl/ssl.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mtls/backend.h"
#include "mtls/config.h"
#include "openssl_types.h"

namespace mtls::openssl_rpk {

#if defined(TLSEXT_cert_type_rpk)

// The peer keys a context trusts. OpenSSL matches them per session, so every session of the
// context gets them (ExpectIn).
class TrustedKeys {
 public:
  // Raw keys only, both directions, on `ctx`; parses `config`'s trusted peer keys.
  absl::Status Configure(SSL_CTX* ctx, const RawPublicKeys& config);
  // Makes the trusted keys the ones `ssl` accepts from its peer.
  absl::Status ExpectIn(SSL* ssl) const;

 private:
  std::vector<openssl_api::EvpPkeyPtr> keys_;
};

// The peer's raw public key (SubjectPublicKeyInfo DER) when one was negotiated and received.
std::string PeerKey(SSL* ssl);

#else

class TrustedKeys {
 public:
  absl::Status Configure(SSL_CTX*, const RawPublicKeys&) { return RequireCapability("rpk"); }
  absl::Status ExpectIn(SSL*) const { return absl::OkStatus(); }  // none configured
};

inline std::string PeerKey(SSL*) { return ""; }

#endif

}  // namespace mtls::openssl_rpk
