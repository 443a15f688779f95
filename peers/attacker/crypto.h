// The attacking peers' cryptography, by libgcrypt (no TLS backend): the TLS 1.2 PRF, TLS 1.3's
// HKDF, AES-128-GCM records, X25519 and ECDSA P-256 signatures (deterministic, RFC 6979).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mtls::attacker {

std::string Sha256(absl::string_view data);
std::string HmacSha256(absl::string_view key, absl::string_view data);

// TLS 1.2 (RFC 5246 section 5), with SHA-256.
std::string Prf(absl::string_view secret, absl::string_view label, absl::string_view seed,
                size_t size);

// TLS 1.3 (RFC 8446 section 7.1), with SHA-256.
std::string HkdfExtract(absl::string_view salt, absl::string_view key_material);
std::string HkdfExpandLabel(absl::string_view secret, absl::string_view label,
                            absl::string_view context, size_t size);

// AES-128-GCM with a 16-byte tag appended. Open fails when the tag does not verify.
std::string SealAesGcm(absl::string_view key, absl::string_view nonce, absl::string_view aad,
                       absl::string_view plaintext);
absl::StatusOr<std::string> OpenAesGcm(absl::string_view key, absl::string_view nonce,
                                       absl::string_view aad, absl::string_view sealed);

// X25519 (RFC 7748): the public key of `private_key`, or the shared secret with `peer`.
absl::StatusOr<std::string> X25519(absl::string_view private_key, absl::string_view peer = {});

// An ECDSA P-256 private key, read from PKCS#8 DER.
class EcdsaKey {
 public:
  static absl::StatusOr<EcdsaKey> FromPkcs8(absl::string_view der);
  // A DER ECDSA-Sig-Value over `message` hashed with `hash_algorithm` (a GCRY_MD_* value).
  absl::StatusOr<std::string> Sign(absl::string_view message, int hash_algorithm) const;

 private:
  std::string scalar_;
};

}  // namespace mtls::attacker
