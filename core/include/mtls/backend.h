// The contract every TLS backend adapter implements (core/backends/<name>/). Exactly one
// backend is linked into a binary; the core calls it only through these declarations.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mtls/config.h"
#include "mtls/result.h"
#include "mtls/transport.h"

namespace mtls {

struct BackendInfo {
  std::string name;     // "openssl", "boringssl", ...
  std::string version;  // the library's own version string at run time
  std::string id;       // name-major.minor of the build, e.g. "openssl-3.0": names a build tree
};

// One row of a backend's capability manifest.
struct Capability {
  // A KnownFeatures() name ("tls1.3", "group:X25519", "scheme:ed25519", ...), or "deviation:" /
  // "finding:" + a conformance case-name prefix; see core/backends/PORTING.md.
  std::string feature;
  bool supported = true;
  std::string reason;  // why not, in the library's terms; empty when supported
};

inline Capability Supported(std::string feature) { return {std::move(feature), true, ""}; }
inline Capability NotSupported(std::string feature, std::string reason) {
  return {std::move(feature), false, std::move(reason)};
}

// Every feature the core knows, in manifest order: what a manifest row may name (besides
// "deviation:<case name prefix>" rows).
const std::vector<std::string>& KnownFeatures();
// The feature naming external-PSK authentication with `key_exchange` in `version`, e.g.
// "psk:tls1.3:psk_dhe_ke", "psk:tls1.2:ecdhe_psk".
std::string PskFeature(PskKeyExchange key_exchange, TlsVersion version);
// "cert-compression:zlib" etc.: certificate compression with `algorithm` (RFC 8879).
std::string CertificateCompressionFeature(CertificateCompression algorithm);

// A backend's manifest: every known feature supported except the `exceptions` (NotSupported rows
// with their reasons), followed by the deviation rows among them.
std::vector<Capability> ManifestExcept(std::vector<Capability> exceptions);

// One TLS connection driven over a Transport.
class Session {
 public:
  virtual ~Session() = default;
  // Advances the handshake as far as the transport allows: true once complete, false while it
  // waits for the peer; an error (with its ErrorClass) when it failed.
  virtual absl::StatusOr<bool> Handshake() = 0;
  // After the handshake: reads what the peer sent without expecting application data (tickets,
  // alerts) and flushes what this side still owes (e.g. deferred tickets). An alert is an error.
  virtual absl::Status ProcessPostHandshake() = 0;
  virtual absl::StatusOr<size_t> WriteApplicationData(absl::Span<const uint8_t> data) = 0;
  virtual absl::StatusOr<size_t> ReadApplicationData(absl::Span<uint8_t> buffer) = 0;
  // DTLS: microseconds of the transport's virtual time until this side's retransmission timer
  // fires; none while no timer runs (a TLS session never has one).
  virtual std::optional<int64_t> RetransmissionTimeoutUs() { return std::nullopt; }
  // DTLS: the timer has fired (the transport's clock reached it): the library resends its last
  // flight, or fails once it has given up.
  virtual absl::Status OnRetransmissionTimeout() { return absl::OkStatus(); }
  // Sends close_notify; a client session closed this way stays resumable.
  virtual void Close() = 0;
  // What was negotiated and verified, or why it failed.
  virtual HandshakeResult Result() const = 0;
};

// A configured endpoint (a library context). Shared by many sessions, like a real server's;
// a client context keeps the newest resumable session and offers it when resumption is on.
class Context {
 public:
  virtual ~Context() = default;
  virtual absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) = 0;
  virtual const EndpointConfig& config() const = 0;
};

// A build's id from its library's "<name>-<series>" (e.g. "wolfssl-5.7"): that, plus the library
// configuration the build tree was made with where it is not the default (e.g. "wolfssl-5.7-sp").
std::string BuildId(std::string library_series);

// Implemented once per backend.
absl::StatusOr<std::unique_ptr<Context>> CreateContext(const EndpointConfig& config);
BackendInfo CurrentBackend();
const std::vector<Capability>& CapabilityManifest();

// Frees what the library keeps per thread (wolfSSL's fixed-point ECC cache, OpenSSL's thread
// state): call it on a thread that used the library before the thread ends, or that state leaks.
void ReleaseThreadState();

// The manifest row for `feature`, if the manifest has one.
std::optional<Capability> FindCapability(const std::string& feature);
// OK when the manifest says `feature` is supported; Unimplemented with the reason otherwise.
absl::Status RequireCapability(const std::string& feature);

}  // namespace mtls
