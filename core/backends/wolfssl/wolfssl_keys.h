// Private keys decoded with wolfCrypt (PKCS#8 or traditional DER): ECDSA, Ed25519, RSA or, in
// builds that have it, wolfSSL's pre-standard Dilithium. Used to check a key against its
// certificate and, for the floor, to sign and verify.
#pragma once

#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>
#if defined(HAVE_DILITHIUM)
#include <wolfssl/wolfcrypt/dilithium.h>
#endif

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace mtls::wolfssl_keys {

class KeyPair {
 public:
  // nullptr when the DER is no key of these types.
  static std::unique_ptr<KeyPair> Decode(const std::string& der);
  ~KeyPair();
  KeyPair(const KeyPair&) = delete;
  KeyPair& operator=(const KeyPair&) = delete;

  // The public key as a certificate's subjectPublicKey holds it; nullopt when the private key
  // does not carry it (Dilithium's private-key-only PKCS#8).
  std::optional<std::string> PublicKeyBits();
  // Takes the certificate's public key as this pair's (for keys without their own, see above):
  // Sign then Verify shows whether the two belong together.
  absl::Status AdoptPublicKey(const std::string& subject_public_key);
  // TLS 1.3 CertificateVerify style: ECDSA with the curve's hash, RSA-PSS SHA-256, Ed25519,
  // Dilithium (the message itself).
  absl::Status Sign(absl::Span<const uint8_t> message, std::string* signature, WC_RNG* rng);
  absl::Status Verify(absl::Span<const uint8_t> message, const std::string& signature);

 private:
  enum class Type { kEcc, kEd25519, kRsa, kDilithium };
  explicit KeyPair(Type type) : type_(type) {}

  Type type_;
  ecc_key ecc_{};
  ed25519_key ed25519_{};
  RsaKey rsa_{};
#if defined(HAVE_DILITHIUM)
  std::unique_ptr<dilithium_key> dilithium_;  // large: on the heap
#endif
};

}  // namespace mtls::wolfssl_keys
