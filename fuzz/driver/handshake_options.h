// The option byte a handshake fuzz input starts with, so one target covers the matrix: TLS
// version, key-exchange group, certificate scheme and the chain depth of the side under test.
// Every byte value is valid; inputs whose options the backend lacks are skipped.
#pragma once

#include <cstdint>
#include <string>

#include "mtls/case_spec.h"

namespace mtls::fuzz {

// What the option byte selects: certificates, mutual, no resumption (the other fields of CaseSpec
// stay at their defaults).
using HandshakeOptions = CaseSpec;

// Bit 0: version (0 = TLS 1.3); bits 1-2: group (X25519, P-256, P-384, X25519); bits 3-5: scheme
// (index into PkiSchemes(), modulo its size); bits 6-7: depth - 1 (3 reads as 1).
HandshakeOptions DecodeOptions(uint8_t tag);
uint8_t EncodeOptions(const HandshakeOptions& options);

// "TLSv1.3-X25519-ecdsa-p256-d1": names seed files.
std::string OptionsName(const HandshakeOptions& options);

}  // namespace mtls::fuzz
