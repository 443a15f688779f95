// The conformance matrix: every case a backend must pass (positive) or reject with the right
// error class (negative). One definition serves the GoogleTest suite and scripts/conformance.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "mtls/config.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"
#include "mtls/types.h"

namespace mtls::conformance {

// Credentials are paths relative to the PKI directory (corpora/pki).
struct CredentialFiles {
  std::string chain;
  std::string key;
};

struct Case {
  std::string name;  // "positive/ecdsa-p256/TLSv1.3/X25519", "negative/client-expired/TLSv1.2", ...
  std::string scheme;
  TlsVersion version = TlsVersion::kTls13;
  Group group = Group::kX25519;
  std::optional<CredentialFiles> client_credentials;  // nullopt: the client sends no certificate
  CredentialFiles server_credentials;
  std::string client_trust;  // root(s) the client trusts
  std::string server_trust;  // root(s) the server trusts for client certificates
  std::string client_expected_name = "server.mtls.test";
  int server_max_chain_depth = 4;
  ClientAuth client_auth = ClientAuth::kRequired;
  // Set: an external-PSK case (scheme "psk", no certificates). The server holds the test PSK;
  // the client offers `client_psk` (negatives change its identity or key).
  std::optional<ExternalPsk> client_psk;
  // Raw public keys (scheme "rpk"): each side trusts the key of the peer's honest depth-1 leaf of
  // kRawKeyScheme and presents the key of its own credentials (negatives present another).
  bool raw_public_keys = false;
  // Set: a TLS-SRP case (scheme "srp"). The server holds the test account; the client logs in
  // with `client_srp` (negatives change its user or password).
  std::optional<SrpPassword> client_srp;

  // Not kOff: the client resumes the session of a first, full handshake; the case judges the
  // second one, which both libraries and the wire must show as resumed.
  Resumption resumption = Resumption::kOff;

  // Set: the client is the project's attacking client (fuzz/attacker), misbehaving this way
  // ("honest" is its control case, which the server must accept). Built with libgcrypt only.
  // A hostile case passes when the server rejects, whatever error class it reports (libraries
  // name a forged proof differently: bad signature, decrypt error, handshake failure).
  std::string hostile_client;

  // What must happen: nullopt = both sides complete and verify each other (or, for the
  // server-auth baseline, the client verifies the server); otherwise `rejecting_side` fails
  // with exactly this error class and the handshake does not count as authenticated.
  std::optional<ErrorClass> expected_error;
  Role rejecting_side = Role::kServer;

  // Capability-manifest features the case needs.
  std::vector<std::string> RequiredFeatures() const;
};

const std::vector<Case>& AllCases();

// GoogleTest prints a case as its name (readable in test listings and CTest output).
void PrintTo(const Case& c, std::ostream* os);

// kDeviation: rejected, but not as specified, in a way the backend's manifest documents.
// kFinding: a hostile client accepted, as the backend's manifest documents ("finding:<case name
// prefix>" rows): a weakness of the library this harness found, shown, not failed on.
enum class Verdict { kPass, kRejectedAsExpected, kDeviation, kFinding, kUnsupported, kFail };
absl::string_view VerdictName(Verdict verdict);  // "pass", "rejected-as-expected", ...

struct CaseResult {
  Verdict verdict;
  std::string detail;  // negotiated parameters, the rejection, the reason, or what went wrong
};

CaseResult RunCase(const Case& test_case, const std::string& pki_dir);

}  // namespace mtls::conformance
