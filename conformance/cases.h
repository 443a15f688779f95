// The conformance matrix: every case a backend must pass (positive) or reject with the right
// error class (negative). One definition serves the GoogleTest suite and scripts/conformance.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "mtls/case_spec.h"
#include "mtls/config.h"
#include "mtls/datagram_link.h"
#include "mtls/pki_catalog.h"
#include "mtls/result.h"
#include "mtls/status.h"
#include "mtls/types.h"

namespace mtls::conformance {

struct Case {
  std::string name;  // "positive/ecdsa-p256/TLSv1.3/X25519", "negative/client-expired/TLSv1.2", ...
  // The honest handshake the case starts from (HonestEndpoint; depth 2, one intermediate, unless
  // the case is about depth); spec.scheme is "psk", "rpk" or "srp" for the cases without
  // certificates.
  CaseSpec spec;

  // What the case changes in it; each unset (or false) keeps the honest endpoint's.
  std::optional<CredentialFiles> client_credentials;  // instead of the client's honest leaf
  bool client_without_certificate = false;            // the client has none, though the server asks
  std::optional<CredentialFiles> server_credentials;  // instead of the server's honest leaf
  std::optional<std::string> client_expected_name;    // instead of kTestServerName
  std::optional<int> server_max_chain_depth;          // instead of kDefaultMaxChainDepth
  std::optional<ExternalPsk> client_psk;              // offered instead of the test PSK (negatives)
  std::optional<SrpPassword> client_srp;              // instead of the test account (negatives)
  // Resumption cases: full handshakes of this many other clients with the same server between
  // the first handshake and the resumption (a session cache that evicts must not lose the client),
  // each presenting `other_client`, another identity than the first client's (the server must
  // resume this client, not one of them).
  int other_clients_before_resuming = 0;
  CredentialFiles other_client;

  // Set: the client is the project's attacking client (peers/attacker), misbehaving this way
  // ("honest" is its control case, which the server must accept). Built with libgcrypt only.
  // A hostile case passes when the server rejects, whatever error class it reports (libraries
  // name a forged proof differently: bad signature, decrypt error, handshake failure).
  std::string hostile_client;
  // Set instead: the server is the project's attacking server (TLS 1.3), misbehaving this way,
  // against the backend's client.
  std::string hostile_server;

  // What must happen: nullopt = both sides complete and verify each other (or, for the
  // server-auth baseline, the client verifies the server); otherwise `rejecting_side` fails
  // with exactly this error class and the handshake does not count as authenticated.
  std::optional<ErrorClass> expected_error;
  Role rejecting_side = Role::kServer;

  // DTLS cases: the datagram link (default: lossless), and what it must show besides the
  // authentication: each flight it loses the first datagram of (LossPattern::drop_flight_start)
  // resent, a certificate flight that did not fit one datagram, or the session going on after
  // the client's address changed (rebind_client_after_handshake).
  DatagramLinkOptions datagram_link;
  // Set: the first datagram of this flight of the handshake (from 1) is lost, counted past any
  // cookie exchange (a ClientHello and its HelloVerifyRequest), which some servers make unasked:
  // flight 4 is the server's Finished flight on every library (datagram_case.h).
  uint32_t lost_handshake_flight = 0;
  bool expect_fragmentation = false;
};

const std::vector<Case>& AllCases();

// What a case is, from its fields (hostile_client, spec.resumption, spec.mutual, expected_error):
// "hostile", "resumption", "baseline" (server authentication only), "negative" or "positive".
// Every case's name starts with it (a unit test holds names to it).
absl::string_view KindOf(const Case& c);

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

// After a resumption: what is wrong with the identity the server reports for its client, when it
// is not the one it verified in the first handshake (`first_client`) or is that of the other
// clients it served in between; nullopt when it is right or the server reports none (which the
// judge fails unless a manifest finding documents it). Never excused by a finding.
std::optional<std::string> ResumedIdentityMismatch(const PeerIdentity& first_client,
                                                   const std::optional<PeerIdentity>& other_clients,
                                                   const HandshakeResult& resumed_server);

}  // namespace mtls::conformance
