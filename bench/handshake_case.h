// One handshake configuration of the benchmark matrix: its name, its endpoint configs, and what
// must hold for an iteration to count.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mtls/case_spec.h"
#include "mtls/config.h"
#include "mtls/handshake.h"
#include "mtls/primitive_floor.h"

namespace mtls::bench {

struct HandshakeCase {
  bool mutual = true;  // false: the labelled server-auth-only baseline
  std::string scheme = "ecdsa-p256";
  int depth = 1;
  TlsVersion version = TlsVersion::kTls13;
  Group group = Group::kX25519;
  Resumption resumption = Resumption::kOff;
  bool context_per_connection = false;  // false: one context per side for the whole run
  // Set: both sides authenticate with the test external PSK instead of certificates (scheme
  // "psk-dhe" or "psk", depth 0).
  std::optional<PskKeyExchange> psk = std::nullopt;
  // Set: both sides authenticate with raw public keys (RFC 7250) of kRawKeyScheme instead of
  // certificate chains (scheme "rpk", depth 0).
  bool raw_public_keys = false;
  // Set: both sides authenticate with the test TLS-SRP account (scheme "srp", depth 0, TLS 1.2).
  bool srp = false;

  // <prefix>/<mtls|server-auth>/<scheme>/d<depth>/<version>/<group>/<full|resumed-…>/<ctx>,
  // identical on every backend.
  std::string Name(absl::string_view prefix = "handshake") const;
  // The core's description of the case, which builds its endpoints and lists its features.
  CaseSpec Spec() const;
  // The certificate scheme whose keys sign: `scheme`, or kRawKeyScheme for raw public keys.
  std::string KeyScheme() const { return mtls::KeyScheme(Spec()); }
  HandshakeShape Shape() const;
  // The honest endpoint of `role` (HonestEndpoint) from DefaultPkiDir().
  absl::StatusOr<EndpointConfig> Endpoint(Role role) const;
  // OK, or Unimplemented naming the first feature the backend lacks and why.
  absl::Status Supported() const { return CheckSupported(Spec()); }
  // Why an outcome does not count (not authenticated as required, or not resumed as asked).
  std::optional<std::string> Disqualify(const HandshakeOutcome& outcome) const;
};

// The cases scripts/bench runs by default: every scheme x version x mode at depth 1, plus one
// axis at a time (depth, group, resumption, context per connection) on ECDSA P-256.
std::vector<HandshakeCase> DefaultMatrix();
// Every combination, the default matrix included (long: run it with --benchmark_filter).
std::vector<HandshakeCase> FullMatrix();

// The lightweight cases: external PSK in each TLS version with and without (EC)DHE, raw public
// keys in each TLS version, and TLS-SRP (TLS 1.2).
std::vector<HandshakeCase> LightweightCases();

}  // namespace mtls::bench
