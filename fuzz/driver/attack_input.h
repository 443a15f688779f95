// What the server_hostile and client_hostile targets share: a fuzz input run as an attacking
// peer (peers/attacker) against this backend's side, and the oracle over the outcome.
//
// Input: byte 0, bit 0 the version (0: TLS 1.3, 1: TLS 1.2; the attacking server speaks TLS 1.3
// only), the other bits the misbehaviour (attacker::Misbehaviour, modulo their count); then 4-byte
// edits of the attacker's Certificate and CertificateVerify bodies, applied before they are
// protected and before its Finished is computed over them: what (bit 0: Certificate or
// CertificateVerify; bits 1-2: xor, truncate, insert), a 16-bit offset (modulo the body's size)
// and a byte.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mtls/types.h"

namespace mtls::fuzz {

// Runs the input with an attacker in `attacker_role` against this backend's other side. When
// that side completes, it must report a verified peer, and the attacker's proof must hold under
// the independent check (oracle::CheckPeerProof) unless the backend's manifest documents the
// broken rule as a finding ("finding:hostile/<rule>/<version>"); otherwise it aborts with
// "MUTUAL-AUTH VIOLATION", as libFuzzer records a crash.
void RunAttackInput(Role attacker_role, const uint8_t* data, size_t size);

}  // namespace mtls::fuzz
