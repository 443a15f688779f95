// The firmware's view of a TLS library: one adapter per library in mcu/backends implements it.
// Kept apart from core/include/mtls/backend.h on purpose: the core needs Abseil and an operating
// system, a microcontroller has neither; the cases and names are the core's.
#pragma once

#include <stddef.h>

#include <memory>

#include "byte_channel.h"

namespace mtls::mcu {

enum class Role { kClient, kServer };
enum class Group { kP256, kX25519 };

struct EndpointConfig {
  Role role;
  Group group;
  const char* trust_anchor_pem;  // the root that must have issued the peer's chain
  const char* chain_pem;         // own leaf (+ intermediates)
  const char* key_pem;
  const char* server_name;  // client: the identity the server must prove
};

enum class Progress { kWantIo, kDone, kFailed };

// How a finished (or failed) handshake ended, from one side.
struct Verdict {
  bool peer_verified = false;    // the peer's chain verified and it proved its key
  const char* error_class = "";  // core's names: untrusted_issuer, bad_key_usage, ...
  long library_error = 0;        // the library's own code, for the report
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Advances the handshake as far as it goes without input from the peer.
  virtual Progress Step() = 0;
  virtual Verdict Result() const = 0;
};

// One side's configuration (trust anchor, own chain, key), shared by its connections: the
// shared-ctx of the host benchmarks.
class Context {
 public:
  virtual ~Context() = default;
  virtual std::unique_ptr<Connection> Connect(ByteChannel::End end) = 0;
};

// Defined by the adapter. Errors are one line, written into `error`.
const char* LibraryName();     // "mbedtls", "wolfssl"
const char* LibraryVersion();  // e.g. "3.6.6"
bool InitLibrary(char* error, size_t size);
// nullptr with a reason when this configuration of the library cannot do `group`.
const char* UnsupportedGroup(Group group);
std::unique_ptr<Context> NewContext(const EndpointConfig& config, char* error, size_t size);

}  // namespace mtls::mcu
