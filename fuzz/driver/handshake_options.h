// The option byte a handshake fuzz input starts with, so one target covers the matrix: TLS
// version, key-exchange group, certificate scheme and the chain depth of the side under test.
// Every byte value is valid; inputs whose options the backend lacks are skipped.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "mtls/types.h"

namespace mtls::fuzz {

struct HandshakeOptions {
  TlsVersion version = TlsVersion::kTls13;
  Group group = Group::kX25519;
  std::string scheme = "ecdsa-p256";
  int depth = 1;  // CA certificates above the leaf of the side under test (1..3)
};

// Bit 0: version (0 = TLS 1.3); bits 1-2: group (X25519, P-256, P-384, X25519); bits 3-5: scheme
// (index into PkiSchemes(), modulo its size); bits 6-7: depth - 1 (3 reads as 1).
HandshakeOptions DecodeOptions(uint8_t tag);
uint8_t EncodeOptions(const HandshakeOptions& options);

// "TLSv1.3-X25519-ecdsa-p256-d1": names seed files.
std::string OptionsName(const HandshakeOptions& options);

// OK when the backend this binary is built with supports every option.
absl::Status CheckSupported(const HandshakeOptions& options);

}  // namespace mtls::fuzz
