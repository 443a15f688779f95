// One handshake configuration of the benchmark matrix: its name, its endpoint configs, and what
// must hold for an iteration to count.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/case_spec.h"
#include "mtls/config.h"
#include "mtls/handshake.h"
#include "mtls/primitive_floor.h"

namespace mtls::bench {

// One field of a case's name: its key in the case fields (`mtls-bench --describe`), its value
// there, and how the name spells it.
struct NamePart {
  std::string field;
  nlohmann::ordered_json value;
  std::string spelled;
};

// The suites whose benchmarks are named after a HandshakeCase (the first part of the name).
inline constexpr absl::string_view kHandshakeSuite = "handshake";
inline constexpr absl::string_view kThreadSuite = "threads";
inline constexpr absl::string_view kOverheadSuite = "harness-overhead";

struct HandshakeCase {
  // The core's description of the case, which builds its endpoints and lists its features. The
  // lightweight kinds have depth 0 and a label as scheme: "psk-dhe" or "psk" (external PSK),
  // "rpk" (raw public keys), "srp" (TLS-SRP, TLS 1.2).
  CaseSpec spec = {};
  bool context_per_connection = false;  // false: one context per side for the whole run

  // The name's fields in name order: suite (`prefix`), auth, scheme, depth, version, group,
  // cert_compression (spelled only when set), resumption, contexts.
  std::vector<NamePart> NameParts(absl::string_view prefix = kHandshakeSuite) const;
  // <prefix>/<mtls|server-auth>/<scheme>/d<depth>/<version>/<group>[/compressed-<algorithm>]
  // /<full|resumed-…>/<ctx> (JoinName of NameParts), identical on every backend.
  std::string Name(absl::string_view prefix = kHandshakeSuite) const;
  // The certificate scheme whose keys sign: `spec.scheme`, or kRawKeyScheme for raw public keys.
  std::string KeyScheme() const { return mtls::KeyScheme(spec); }
  HandshakeShape Shape() const;
  // The honest endpoint of `role` (HonestEndpoint) from DefaultPkiDir().
  absl::StatusOr<EndpointConfig> Endpoint(Role role) const;
  // OK, or Unimplemented naming the first feature the backend lacks and why.
  // CheckSupported, and not a resumption the backend's manifest documents a library finding
  // about (its server no longer names or verifies the client): that is no verified mTLS.
  absl::Status Supported() const;
  // Why an outcome does not count (not authenticated as required, or not resumed as asked).
  std::optional<std::string> Disqualify(const HandshakeOutcome& outcome) const;
};

// A name from its parts: the spelled ones joined with "/".
std::string JoinName(const std::vector<NamePart>& parts);

// The cases scripts/bench runs by default: every scheme x version x mode at depth 1, plus one
// axis at a time (depth, group, resumption, context per connection) on ECDSA P-256.
std::vector<HandshakeCase> DefaultMatrix();
// Every combination, the default matrix included (long: run it with --benchmark_filter).
std::vector<HandshakeCase> FullMatrix();

// The lightweight cases: external PSK in each TLS version with and without (EC)DHE, raw public
// keys in each TLS version, and TLS-SRP (TLS 1.2).
std::vector<HandshakeCase> LightweightCases();

// DTLS beside TLS, named as the TLS cases but for the version (DTLSv1.2, DTLSv1.3): ECDSA P-256
// mutual and server-auth-only, and the lightweight cases but TLS-SRP, over a lossless link.
std::vector<HandshakeCase> DatagramCases();

// TLS 1.3 mutual authentication with both certificates compressed (RFC 8879), by each algorithm,
// for ECDSA P-256 and RSA-2048 chains and an ECDSA P-256 chain of three CAs: the bytes
// it saves against the same case uncompressed, and what it costs.
std::vector<HandshakeCase> CompressedCertificateCases();

}  // namespace mtls::bench
