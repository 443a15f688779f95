// Runs one conformance case in memory and judges the outcome.
#include <algorithm>
#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cases.h"
#include "datagram_case.h"
#include "hostile_case.h"
#include "judge_support.h"
#include "mtls/backend.h"
#include "mtls/handshake.h"
#include "mtls/pki.h"
#include "mtls/pki_catalog.h"
#include "mtls/types.h"
#include "mtls/wire_view.h"

namespace mtls::conformance {

bool HasDnsName(const HandshakeResult& result, absl::string_view name) {
  if (!result.peer) return false;
  const auto& names = result.peer->dns_names;
  return std::find(names.begin(), names.end(), name) != names.end();
}

absl::StatusOr<EndpointConfig> BuildConfig(const Case& c, Role role, const std::string& pki_dir) {
  MTLS_ASSIGN_OR_RETURN(EndpointConfig config, HonestEndpoint(c.spec, role, pki_dir));
  if (role == Role::kClient) {
    if (c.client_psk) config.psk = *c.client_psk;
    if (c.client_srp) config.srp = *c.client_srp;
    if (c.client_without_certificate) config.credentials.reset();
    if (c.client_credentials) {
      MTLS_ASSIGN_OR_RETURN(config.credentials,
                            LoadCredentialFiles(pki_dir, *c.client_credentials));
    }
    if (c.client_expected_name) config.expected_peer_name = *c.client_expected_name;
  } else {
    if (c.server_credentials) {
      MTLS_ASSIGN_OR_RETURN(config.credentials,
                            LoadCredentialFiles(pki_dir, *c.server_credentials));
    }
    if (c.server_max_chain_depth) config.max_chain_depth = *c.server_max_chain_depth;
  }
  return config;
}

std::optional<Capability> DocumentedRow(const Case& c, absl::string_view kind) {
  for (const Capability& row : CapabilityManifest()) {
    if (absl::StartsWith(row.feature, kind) &&
        absl::StartsWith(c.name, absl::string_view(row.feature).substr(kind.size()))) {
      return row;
    }
  }
  return std::nullopt;
}

namespace {

bool SignatureMatchesScheme(uint16_t code_point, absl::string_view scheme, TlsVersion version) {
  const bool ecdsa = (code_point & 0xff) == 0x03;
  // TLS 1.2 does not bind the ECDSA hash to the curve (RFC 8422): any ECDSA hash is honest there.
  if (scheme == "ecdsa-p256") {
    return version == TlsVersion::kTls12 ? ecdsa : code_point == sigalg::kEcdsaSecp256r1Sha256;
  }
  if (scheme == "ecdsa-p384") {
    return version == TlsVersion::kTls12 ? ecdsa : code_point == sigalg::kEcdsaSecp384r1Sha384;
  }
  if (scheme == "ed25519") return code_point == sigalg::kEd25519;
  if (scheme == "mldsa44") return code_point == sigalg::kMlDsa44;
  if (scheme == "mldsa65") return code_point == sigalg::kMlDsa65;
  if (scheme == "dilithium2") return code_point == sigalg::kDilithium2;
  if (scheme == "dilithium3") return code_point == sigalg::kDilithium3;
  const bool pss =
      code_point == sigalg::kRsaPssRsaeSha256 || code_point == sigalg::kRsaPssRsaeSha384;
  const bool pkcs1 = code_point == sigalg::kRsaPkcs1Sha256 || code_point == sigalg::kRsaPkcs1Sha384;
  return pss || (pkcs1 && version == TlsVersion::kTls12);  // TLS 1.3 forbids PKCS#1 v1.5 here
}

// What the client offers in a PSK or SRP case: the case's own, or the honest test material.
ExternalPsk ClientPsk(const Case& c) {
  return c.client_psk.value_or(TestPsk(c.spec.psk_key_exchange));
}
SrpPassword ClientSrp(const Case& c) { return c.client_srp.value_or(TestSrpPassword()); }

std::string Negotiated(const Case& c, const HandshakeOutcome& outcome) {
  const HandshakeResult& client = outcome.client;
  std::string datagrams;
  if (const std::optional<DatagramMetrics>& link = outcome.metrics.datagram) {
    datagrams = absl::StrFormat(" datagrams=%d/%d lost=%d resent=%d", link->client.datagrams,
                                link->server.datagrams, link->client.lost + link->server.lost,
                                link->client_retransmissions + link->server_retransmissions);
  }
  return absl::StrFormat("%s %s %s server-sig=%s client-sig=%s c2s=%d s2c=%d flights=%d%s",
                         client.version ? VersionName(c.spec.protocol, *client.version) : "?",
                         client.group ? GroupName(*client.group) : "?", client.cipher,
                         SignatureAlgorithmName(client.peer_signature_algorithm),
                         SignatureAlgorithmName(outcome.server.peer_signature_algorithm),
                         outcome.metrics.bytes_c2s, outcome.metrics.bytes_s2c,
                         outcome.metrics.flights, datagrams);
}

// Both sides authenticated without certificates (PSK, password, raw keys): in the version asked
// for, no certificate exchanged, and what `proved` checks on each side's result holds.
CaseResult JudgeWithoutCertificates(
    const Case& c, const HandshakeOutcome& outcome,
    const std::function<std::optional<std::string>(const HandshakeResult&)>& proved) {
  if (!outcome.MutuallyAuthenticated()) {
    return {Verdict::kFail, absl::StrCat("handshake did not authenticate: ", outcome.Describe())};
  }
  for (const HandshakeResult* result : {&outcome.client, &outcome.server}) {
    if (result->version != c.spec.version)
      return {Verdict::kFail, "negotiated another TLS version"};
    if (result->peer)
      return {Verdict::kFail, absl::StrCat("a certificate was exchanged (", c.spec.scheme, ")")};
    if (std::optional<std::string> wrong = proved(*result)) return {Verdict::kFail, *wrong};
  }
  return {Verdict::kPass, Negotiated(c, outcome)};
}

// What the cleartext showed contradicts the case: a resumption or PSK where none was asked for
// (or none where one was), certificates in a handshake without them, or the wrong key exchange.
std::optional<std::string> WireContradicts(const Case& c, const WireView& wire) {
  const TlsVersion version = c.spec.version;
  const bool psk = c.spec.credentials == CredentialKind::kExternalPsk;
  const bool resumed = c.spec.resumption != Resumption::kOff;
  if (!wire.malformed.empty()) return absl::StrCat("wire: ", wire.malformed);
  if (wire.version != version) return "wire: the ServerHello negotiated another version";
  const bool psk_expected = psk || resumed;
  if (wire.ServerAcceptedPsk() != psk_expected) {
    return psk_expected ? "wire: the ServerHello did not accept the PSK or session"
                        : "wire: the ServerHello accepted a PSK or session nobody asked for";
  }
  const ExternalPsk offered = ClientPsk(c);
  if (version == TlsVersion::kTls12) {
    if (wire.Tls12Abbreviated() != resumed) {
      return wire.Tls12Abbreviated() ? "wire: an abbreviated handshake nobody asked for"
                                     : "wire: a full handshake, not a resumed one";
    }
    const bool certificates =
        !psk && c.spec.credentials != CredentialKind::kSrpPassword && !resumed;
    if (wire.server_certificate != certificates) {
      return certificates ? "wire: no server Certificate" : "wire: a server Certificate was sent";
    }
    if (psk) {
      const absl::string_view shown = Tls12PskKeyExchange(wire.cipher_suite);
      if (shown != PskKeyExchangeName(offered.key_exchange, version)) {
        return absl::StrFormat("wire: cipher suite 0x%04x is not a %s suite", wire.cipher_suite,
                               PskKeyExchangeName(offered.key_exchange, version));
      }
    }
  } else if (psk && wire.key_share != (offered.key_exchange == PskKeyExchange::kDhe)) {
    return wire.key_share ? "wire: an (EC)DHE share with psk_ke"
                          : "wire: no key share (psk_dhe_ke)";
  }
  if (psk && wire.PskIdentityUsed() != offered.identity) {
    return absl::StrCat("wire: the handshake used PSK identity '",
                        wire.PskIdentityUsed().value_or("(none)"), "'");
  }
  return std::nullopt;
}

// The PSK, with the key exchange asked for.
std::optional<std::string> ProvedPsk(const Case& c, const HandshakeResult& result) {
  const ExternalPsk offered = ClientPsk(c);
  const bool dhe = offered.key_exchange == PskKeyExchange::kDhe;
  if (result.psk_identity != offered.identity) {
    return absl::StrCat("reports PSK identity '", result.psk_identity, "'");
  }
  if (result.resumed) return "reported as resumption, not external PSK";
  if (RequireCapability("report:group").ok() &&
      result.group != (dhe ? std::optional<Group>(c.spec.group) : std::nullopt)) {
    return dhe ? "no (EC)DHE with the group asked for"
               : "an (EC)DHE happened although the PSK alone was asked for";
  }
  return std::nullopt;
}

// `server_names_client` false: the server need not have verified nor name its client (what a
// documented resumption finding permits; everything else is still checked).
CaseResult JudgeEverySuccessCondition(const Case& c, const HandshakeOutcome& outcome,
                                      bool server_names_client = true) {
  if (outcome.wire && outcome.client.completed() && outcome.server.completed()) {
    if (std::optional<std::string> contradiction = WireContradicts(c, *outcome.wire)) {
      return {Verdict::kFail, *contradiction};
    }
  }
  if (c.spec.credentials == CredentialKind::kExternalPsk) {
    return JudgeWithoutCertificates(
        c, outcome, [&](const HandshakeResult& result) { return ProvedPsk(c, result); });
  }
  if (c.spec.credentials == CredentialKind::kRawPublicKeys) {
    return JudgeWithoutCertificates(c, outcome, [](const HandshakeResult& result) {
      return result.peer_raw_public_key.empty()
                 ? std::optional<std::string>("no raw public key reported")
                 : std::nullopt;
    });
  }
  if (c.spec.credentials == CredentialKind::kSrpPassword) {
    return JudgeWithoutCertificates(c, outcome, [&](const HandshakeResult& result) {
      // The server must name the client's login; a client reports its own, or nothing.
      const bool server = &result == &outcome.server;
      if (result.srp_username == ClientSrp(c).username ||
          (!server && result.srp_username.empty())) {
        return std::optional<std::string>();
      }
      return std::optional<std::string>(absl::StrCat(
          server ? "server" : "client", " reports SRP user '", result.srp_username, "'"));
    });
  }
  const bool mutual = c.spec.mutual;
  const bool both_verified = mutual && server_names_client;
  if (both_verified ? !outcome.MutuallyAuthenticated() : !outcome.ServerAuthenticated()) {
    return {Verdict::kFail, absl::StrCat("handshake did not authenticate: ", outcome.Describe())};
  }
  if (!mutual && (outcome.server.peer || outcome.server.peer_verified)) {
    return {Verdict::kFail, "server-auth baseline: server reports a client certificate"};
  }
  const bool resumed = c.spec.resumption != Resumption::kOff;
  // A TLS 1.2 resumption has no key exchange (libraries then report the session's original
  // group, or none); TLS 1.3 resumes with psk_dhe_ke in the group asked for.
  const bool reports_group =
      !(resumed && c.spec.version == TlsVersion::kTls12) && RequireCapability("report:group").ok();
  for (const HandshakeResult* result : {&outcome.client, &outcome.server}) {
    if (result->version != c.spec.version)
      return {Verdict::kFail, "negotiated another TLS version"};
    if (reports_group && result->group != c.spec.group)
      return {Verdict::kFail, "negotiated another group"};
  }
  // Backends that do not report the peer's signature algorithm say so in their manifest; nobody
  // signs in a resumed handshake.
  const bool reports_signature =
      !resumed && RequireCapability("report:peer-signature-algorithm").ok();
  if (reports_signature && !SignatureMatchesScheme(outcome.client.peer_signature_algorithm,
                                                   c.spec.scheme, c.spec.version)) {
    return {Verdict::kFail,
            absl::StrCat("server signed with ",
                         SignatureAlgorithmName(outcome.client.peer_signature_algorithm))};
  }
  if (!HasDnsName(outcome.client, kTestServerName)) {
    return {Verdict::kFail, "client does not report the server's identity"};
  }
  if (mutual) {
    if (reports_signature && !SignatureMatchesScheme(outcome.server.peer_signature_algorithm,
                                                     c.spec.scheme, c.spec.version)) {
      return {Verdict::kFail,
              absl::StrCat("client signed with ",
                           SignatureAlgorithmName(outcome.server.peer_signature_algorithm))};
    }
  }
  for (const HandshakeResult* result : {&outcome.client, &outcome.server}) {
    if (result->resumed != resumed) {
      return {Verdict::kFail,
              absl::StrCat(result == &outcome.client ? "client" : "server",
                           resumed ? " does not report a resumption" : " reports a resumption")};
    }
  }
  if (std::optional<std::string> mismatch =
          CompressionMismatch(c.spec, outcome.client, outcome.server)) {
    return {Verdict::kFail, *std::move(mismatch)};
  }
  // After a resumption, too, the server must still know its client.
  if (both_verified && !HasDnsName(outcome.server, kTestClientName)) {
    return {Verdict::kFail, "server does not report the client's identity"};
  }
  return {Verdict::kPass, Negotiated(c, outcome)};
}

// A resumption case whose library documents (a "finding:" row) that it loses the session: it
// resumed nothing, and the full handshake it did instead must pass as one; or it resumed, but its
// server no longer verifies or names the client, and everything else must hold. Shown as that
// finding; any other failure fails, and so does the case once the library does all it asks.
CaseResult JudgeSuccess(const Case& c, const HandshakeOutcome& outcome) {
  const CaseResult strict = JudgeEverySuccessCondition(c, outcome);
  const std::optional<Capability> finding =
      c.spec.resumption != Resumption::kOff ? DocumentedRow(c, "finding:") : std::nullopt;
  if (!finding) return strict;
  if (strict.verdict == Verdict::kPass) {
    return {Verdict::kFail,
            "resumed and the server knows its client: the manifest's finding no longer holds, "
            "remove its row"};
  }
  Case documented = c;
  const bool resumed_nothing = !outcome.client.resumed && !outcome.server.resumed;
  if (resumed_nothing) documented.spec.resumption = Resumption::kOff;
  const CaseResult lost = JudgeEverySuccessCondition(documented, outcome, resumed_nothing);
  if (lost.verdict != Verdict::kPass) return lost;
  return {Verdict::kFinding, absl::StrCat(strict.detail, "; finding: ", finding->reason)};
}

CaseResult JudgeRejection(const Case& c, Role side, const absl::Status& status) {
  const ErrorClass got = ErrorClassOf(status);
  // A DTLS endpoint silently discards records it cannot decrypt (RFC 6347 4.1.2.7, RFC 9147
  // 4.5.2): a peer's Finished under a wrong PSK is dropped, and the handshake ends when the
  // endpoint's retransmissions give up. Not an acceptance, and all a DTLS side can show.
  if (c.spec.protocol == Protocol::kDtls && *c.expected_error == ErrorClass::kPskRejected &&
      side == c.rejecting_side && absl::IsDeadlineExceeded(status)) {
    return {Verdict::kRejectedAsExpected,
            absl::StrCat(RoleName(side),
                         " discarded what it could not decrypt until it gave up (RFC 6347 "
                         "4.1.2.7): ",
                         status.message())};
  }
  if (got == *c.expected_error && side == c.rejecting_side) {
    return {
        Verdict::kRejectedAsExpected,
        absl::StrCat(RoleName(side), " rejected: ", ErrorClassName(got), ": ", status.message())};
  }
  return {Verdict::kFail,
          absl::StrCat("expected the ", RoleName(c.rejecting_side), " to reject with ",
                       ErrorClassName(*c.expected_error), "; ", RoleName(side), " failed with ",
                       ErrorClassName(got), ": ", status.message())};
}

// Judges a rejection, turning a wrong error class into kDeviation when the manifest documents it.
CaseResult JudgeRejectionWithDeviations(const Case& c, Role side, const absl::Status& status) {
  CaseResult result = JudgeRejection(c, side, status);
  if (result.verdict != Verdict::kFail) return result;
  if (std::optional<Capability> deviation = DocumentedRow(c, "deviation:")) {
    return {Verdict::kDeviation,
            absl::StrCat("rejected as ", ErrorClassName(ErrorClassOf(status)), " by the ",
                         RoleName(side), "; documented deviation: ", deviation->reason)};
  }
  return result;
}

bool SameIdentity(const PeerIdentity& a, const PeerIdentity& b) {
  return a.subject == b.subject && a.dns_names == b.dns_names && a.uris == b.uris;
}

// Full handshakes of other clients with `server` (each its own context, as separate devices
// are) presenting the case's other identity, all of which must authenticate as that identity.
// Returns the identity the server names them by (none when the case has no other clients).
absl::StatusOr<std::optional<PeerIdentity>> RunOtherClients(const Case& c, Context& server,
                                                            const PeerIdentity& first_client,
                                                            const std::string& pki_dir) {
  if (c.other_clients_before_resuming == 0) return std::nullopt;
  MTLS_ASSIGN_OR_RETURN(EndpointConfig config, BuildConfig(c, Role::kClient, pki_dir));
  MTLS_ASSIGN_OR_RETURN(config.credentials, LoadCredentialFiles(pki_dir, c.other_client));
  std::optional<PeerIdentity> named;
  for (int i = 0; i < c.other_clients_before_resuming; ++i) {
    MTLS_ASSIGN_OR_RETURN(std::unique_ptr<Context> client, CreateContext(config));
    const HandshakeOutcome outcome = RunInMemoryHandshake(*client, server);
    const std::string which =
        absl::StrCat("other client ", i + 1, " of ", c.other_clients_before_resuming, ": ");
    if (!outcome.MutuallyAuthenticated()) {
      return absl::InternalError(absl::StrCat(which, outcome.Describe()));
    }
    named = outcome.server.peer;
    if (!named || SameIdentity(*named, first_client)) {
      return absl::InternalError(
          absl::StrCat(which, "the server does not tell it from the first client (names it '",
                       named ? named->subject : "(nobody)", "')"));
    }
  }
  return named;
}

// Whom the server met before the resumption: the client it must resume, then the others.
struct BeforeResuming {
  PeerIdentity first_client;
  std::optional<PeerIdentity> other_clients;
};

// The full handshake that leaves the client a session to resume, then the case's other clients.
absl::StatusOr<BeforeResuming> RunBeforeResuming(const Case& c, Context& client, Context& server,
                                                 const std::string& pki_dir) {
  const HandshakeOutcome first = RunInMemoryHandshake(client, server);
  if (!first.MutuallyAuthenticated() || first.client.resumed || first.server.resumed ||
      !first.server.peer) {
    return absl::InternalError(
        absl::StrCat("first (full) handshake: ", first.Describe(),
                     first.client.resumed ? "; reported as resumed" : "",
                     first.server.peer ? "" : "; the server does not name its client"));
  }
  BeforeResuming before{*first.server.peer, std::nullopt};
  MTLS_ASSIGN_OR_RETURN(before.other_clients,
                        RunOtherClients(c, server, before.first_client, pki_dir));
  return before;
}

}  // namespace

std::optional<std::string> ResumedIdentityMismatch(const PeerIdentity& first_client,
                                                   const std::optional<PeerIdentity>& other_clients,
                                                   const HandshakeResult& resumed_server) {
  if (!resumed_server.peer || SameIdentity(*resumed_server.peer, first_client)) return std::nullopt;
  const bool theirs = other_clients && SameIdentity(*resumed_server.peer, *other_clients);
  return absl::StrCat("the server resumed its client as '", resumed_server.peer->subject, "'",
                      theirs ? " (the other clients' identity)" : "", ", not as the first client '",
                      first_client.subject, "'");
}

CaseResult RunCase(const Case& c, const std::string& pki_dir) {
  if (absl::Status status = CheckSupported(c.spec); !status.ok()) {
    return {Verdict::kUnsupported, std::string(status.message())};
  }
  if (c.other_clients_before_resuming > 0 && c.spec.resumption == Resumption::kSessionIds) {
    if (absl::Status status = RequireCapability("resumption:distinct-session-ids"); !status.ok()) {
      return {Verdict::kUnsupported, std::string(status.message())};
    }
  }
  if (!c.hostile_client.empty() || !c.hostile_server.empty()) return RunHostileCase(c, pki_dir);
  std::unique_ptr<Context> contexts[2];
  for (Role role : {Role::kClient, Role::kServer}) {
    auto config = BuildConfig(c, role, pki_dir);
    if (!config.ok())
      return {Verdict::kFail, absl::StrCat("test PKI: ", config.status().message())};
    auto context = CreateContext(*config);
    if (!context.ok()) {
      // The manifest claimed every feature the case needs: refusing it now breaks that claim.
      if (ErrorClassOf(context.status()) == ErrorClass::kUnsupported) {
        return {Verdict::kFail,
                absl::StrCat("the manifest claims this case's features, but the ", RoleName(role),
                             " refused: ", context.status().message())};
      }
      if (!c.expected_error) {
        return {Verdict::kFail,
                absl::StrCat(RoleName(role), " setup: ", context.status().message())};
      }
      return JudgeRejectionWithDeviations(c, role, context.status());
    }
    contexts[role == Role::kClient ? 0 : 1] = *std::move(context);
  }
  std::optional<BeforeResuming> before;
  if (c.spec.resumption != Resumption::kOff) {
    auto met = RunBeforeResuming(c, *contexts[0], *contexts[1], pki_dir);
    if (!met.ok()) return {Verdict::kFail, std::string(met.status().message())};
    before = *std::move(met);
  }
  std::optional<DatagramPlan> datagram_plan;
  if (c.spec.protocol == Protocol::kDtls) {
    auto planned = PlanDatagramCase(c, *contexts[0], *contexts[1]);
    if (!planned.ok()) return {Verdict::kFail, std::string(planned.status().message())};
    datagram_plan = *std::move(planned);
  }
  HandshakeOutcome outcome =
      datagram_plan ? RunDatagramHandshake(*contexts[0], *contexts[1], datagram_plan->link)
                    : RunInMemoryHandshake(*contexts[0], *contexts[1], {.observe_wire = true});
  if (datagram_plan) {  // the same evidence from the cleartext as over TLS
    outcome.wire = ViewDatagramHandshake(outcome.client_datagrams, outcome.server_datagrams);
  }
  if (before) {
    // Judged before any finding: a library that forgets its client may be documented, one that
    // resumes the wrong client may not.
    if (std::optional<std::string> wrong =
            ResumedIdentityMismatch(before->first_client, before->other_clients, outcome.server)) {
      return {Verdict::kFail, *wrong};
    }
  }
  if (!c.expected_error) {
    CaseResult judged = JudgeSuccess(c, outcome);
    if (judged.verdict == Verdict::kPass) {
      if (datagram_plan) {
        if (auto missing = DatagramExpectationMissed(c, *datagram_plan, outcome)) {
          return {Verdict::kFail, *missing};
        }
      }
    }
    return judged;
  }
  if (outcome.MutuallyAuthenticated() || outcome.ServerAuthenticated()) {
    return {Verdict::kFail, absl::StrCat("accepted: ", outcome.Describe())};
  }
  const Role side = c.rejecting_side;
  const HandshakeResult& rejecting = side == Role::kClient ? outcome.client : outcome.server;
  if (rejecting.completed()) {
    return {Verdict::kFail,
            absl::StrCat("the ", RoleName(side), " completed: ", outcome.Describe())};
  }
  return JudgeRejectionWithDeviations(c, side, rejecting.status);
}

}  // namespace mtls::conformance
