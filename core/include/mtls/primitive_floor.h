// How many public-key operations each side of a handshake performs, and what they cost at the
// backend's measured prices: the floor no implementation of that handshake can go below.
#pragma once

#include "mtls/types.h"

namespace mtls {

struct PrimitiveCosts {
  double sign_us = 0;          // one signature with the scheme's key
  double verify_us = 0;        // one verification with the scheme's key type
  double key_exchange_us = 0;  // one side's keygen + shared secret in the group
};

struct OperationCounts {
  int signs = 0;
  int verifies = 0;
  int key_exchanges = 0;
};

struct HandshakeShape {
  bool mutual = true;   // the server verifies a client certificate
  int chain_depth = 1;  // CA certificates above each leaf (all signed with the scheme's key type)
  TlsVersion version = TlsVersion::kTls13;
  bool resumed = false;
};

// Per side, for a full handshake: the signer of a CertificateVerify (or, in TLS 1.2, of the
// ServerKeyExchange) signs once; the verifier checks that signature plus one signature per CA
// certificate above the peer's leaf (the anchor's own is not checked); each side does one (EC)DHE
// keygen + derive. Resumption signs and verifies nothing; TLS 1.3 resumption keeps the (EC)DHE
// (psk_dhe_ke), TLS 1.2 resumption has none.
OperationCounts CountOperations(const HandshakeShape& shape, Role side);

double FloorMicros(const PrimitiveCosts& costs, const OperationCounts& counts);

}  // namespace mtls
