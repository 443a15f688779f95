// What a finished (or failed) handshake reports from one endpoint's point of view.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mtls/types.h"

namespace mtls {

struct PeerIdentity {
  std::string subject;                 // RFC 2253 form
  std::vector<std::string> dns_names;  // subjectAltName dNSName entries
  std::vector<std::string> uris;       // subjectAltName URI entries
};

struct HandshakeResult {
  absl::Status status;  // OK when the handshake completed; otherwise carries an ErrorClass
  std::optional<TlsVersion> version;
  std::optional<Group> group;  // unset for resumption without key exchange or unknown groups
  uint16_t peer_signature_algorithm = 0;  // 0 when the peer did not sign (e.g. resumption)
  std::string cipher;                     // standard (IANA) name
  std::optional<PeerIdentity> peer;       // set when the peer presented a certificate
  bool peer_verified = false;  // the peer's chain verified against our trust anchors, its raw
                               // key is a trusted one, or it proved the external PSK / password
  std::string psk_identity;    // the external PSK the handshake used (empty: none)
  std::string srp_username;    // the TLS-SRP user the library reports authenticated: on a
                               // server the client's login; on a client its own where the
                               // library reports it (empty: none, or not reported)
  std::string peer_raw_public_key;  // the peer's raw public key (SubjectPublicKeyInfo DER), if any
  bool resumed = false;
  // The algorithm the peer's Certificate arrived compressed with, as the library decoded it
  // (unset: it came uncompressed, or there was none).
  std::optional<CertificateCompression> peer_certificate_compression;
  // DTLS: the Connection ID the peer puts on its records to this side (RFC 9146; RFC 9147
  // section 9), as the library reports it negotiated: what a server routes a rebound client's
  // records by (UdpTransport::AcceptConnectionId). Empty: none negotiated.
  std::vector<uint8_t> receive_connection_id;

  bool completed() const { return status.ok(); }
};

// For adapters: a result whose status says why it has no negotiated parameters yet (the
// session failed with `failure`, or is not done); OK when `done`.
HandshakeResult ResultOfSession(const absl::Status& failure, bool done);

}  // namespace mtls
