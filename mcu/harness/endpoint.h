// The firmware's view of a TLS library: one adapter per library in mcu/backends implements it.
// Kept apart from core/include/mtls/backend.h on purpose: the core needs Abseil and an operating
// system, a microcontroller has neither; the cases and names are the core's.
#pragma once

#include <stddef.h>

#include <memory>

#include "byte_channel.h"
#include "datagram_channel.h"

namespace mtls::mcu {

enum class Role { kClient, kServer };
enum class Group { kP256, kX25519 };
// TLS over the byte stream, DTLS over the datagram link; the version is TLS's or DTLS's.
enum class Protocol { kTls, kDtls };
enum class Version { k12, k13 };

// An external PSK (the host's test PSK, pki_catalog's TestPsk): both sides hold it.
struct Psk {
  const char* identity;
  const unsigned char* key;
  size_t key_size;
};

struct EndpointConfig {
  Role role;
  Protocol protocol;
  Version version;
  Group group;
  // Certificates (when psk is null): the peer's chain must verify to the trust anchor.
  const char* trust_anchor_pem;  // the root that must have issued the peer's chain
  const char* chain_pem;         // own leaf (+ intermediates)
  const char* key_pem;
  const char* server_name;  // client: the identity the server must prove
  // Or an external PSK instead of certificates: the (D)TLS 1.2 suite PSK-AES128-GCM-SHA256.
  const Psk* psk;
};

enum class Progress { kWantIo, kDone, kFailed };

// How a finished (or failed) handshake ended, from one side.
struct Verdict {
  bool peer_verified = false;    // the peer's chain verified and it proved its key, or (psk) it
                                 // proved the PSK
  bool psk = false;              // the library negotiated a PSK key exchange
  const char* error_class = "";  // core's names: untrusted_issuer, bad_key_usage, ...
  long library_error = 0;        // the library's own code, for the report
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Advances the handshake as far as it goes without input from the peer.
  virtual Progress Step() = 0;
  virtual Verdict Result() const = 0;
  // DTLS: milliseconds of the link's virtual time until the library's retransmission timer
  // fires; -1 while none runs (and for TLS).
  virtual long RetransmissionTimeoutMs() const { return -1; }
};

// One side's configuration (trust anchor, own chain, key), shared by its connections: the
// shared-ctx of the host benchmarks.
class Context {
 public:
  virtual ~Context() = default;
  // A connection over the link of the context's protocol (nullptr: not this protocol, or the
  // library could not make one).
  virtual std::unique_ptr<Connection> Connect(ByteChannel::End end) = 0;
  virtual std::unique_ptr<Connection> Connect(DatagramChannel::End end) = 0;
};

// Defined by the adapter. Errors are one line, written into `error`.
const char* LibraryName();     // "mbedtls", "wolfssl"
const char* LibraryVersion();  // e.g. "3.6.6"
bool InitLibrary(char* error, size_t size);
// nullptr, or the reason this configuration of the library cannot do `group`, the protocol
// version, or an external PSK suite of (D)TLS 1.2.
const char* UnsupportedGroup(Group group);
const char* UnsupportedVersion(Protocol protocol, Version version);
const char* UnsupportedPsk();
std::unique_ptr<Context> NewContext(const EndpointConfig& config, char* error, size_t size);

}  // namespace mtls::mcu
