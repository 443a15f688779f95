#include "handshake_case.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls::bench {

std::string HandshakeCase::Name(absl::string_view prefix) const {
  const std::string resumption_part = resumption == Resumption::kOff
                                          ? "full"
                                          : absl::StrCat("resumed-", ResumptionName(resumption));
  return absl::StrCat(prefix, "/", mutual ? "mtls" : "server-auth", "/", scheme, "/d", depth, "/",
                      TlsVersionName(version), "/", GroupName(group), "/", resumption_part, "/",
                      context_per_connection ? "ctx-per-conn" : "shared-ctx");
}

CaseSpec HandshakeCase::Spec() const {
  CaseSpec spec{.scheme = scheme,
                .depth = depth,
                .version = version,
                .group = group,
                .mutual = mutual,
                .resumption = resumption};
  if (psk) {
    spec.credentials = CredentialKind::kExternalPsk;
    spec.psk_key_exchange = *psk;
  } else if (raw_public_keys) {
    spec.credentials = CredentialKind::kRawPublicKeys;
  } else if (srp) {
    spec.credentials = CredentialKind::kSrpPassword;
  }
  return spec;
}

HandshakeShape HandshakeCase::Shape() const {
  return {.mutual = mutual,
          .chain_depth = depth,
          .version = version,
          .resumed = resumption != Resumption::kOff};
}

absl::StatusOr<EndpointConfig> HandshakeCase::Endpoint(Role role) const {
  return HonestEndpoint(Spec(), role);
}

std::optional<std::string> HandshakeCase::Disqualify(const HandshakeOutcome& outcome) const {
  if (mutual ? !outcome.MutuallyAuthenticated() : !outcome.ServerAuthenticated()) {
    return absl::StrCat("not authenticated: ", outcome.Describe());
  }
  if (psk && (outcome.client.psk_identity.empty() || outcome.server.psk_identity.empty())) {
    return "authenticated without the external PSK";
  }
  if (srp && (outcome.client.srp_username.empty() || outcome.server.srp_username.empty())) {
    return "authenticated without the SRP password";
  }
  if (raw_public_keys &&
      (outcome.client.peer_raw_public_key.empty() || outcome.server.peer_raw_public_key.empty())) {
    return "authenticated without raw public keys";
  }
  const bool want_resumed = resumption != Resumption::kOff;
  if (outcome.client.resumed != want_resumed || outcome.server.resumed != want_resumed) {
    return want_resumed ? "handshake did not resume" : "full handshake resumed unexpectedly";
  }
  return std::nullopt;
}

std::vector<HandshakeCase> DefaultMatrix() {
  std::vector<HandshakeCase> cases;
  for (const std::string& scheme : AllPkiSchemes()) {
    for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
      if (version == TlsVersion::kTls12 && IsPostQuantumScheme(scheme)) continue;
      for (bool mutual : {true, false}) {
        cases.push_back({.mutual = mutual, .scheme = scheme, .version = version});
      }
    }
  }
  // Fully post-quantum: post-quantum certificates and a hybrid key exchange (ML-DSA with the
  // standard one, wolfSSL's Dilithium with its own; the other pairs no backend has).
  for (const std::string& scheme : PostQuantumPkiSchemes()) {
    const bool draft = absl::StartsWith(scheme, "dilithium");
    cases.push_back(
        {.scheme = scheme, .group = draft ? Group::kP384Kyber768 : Group::kX25519MlKem768});
  }
  for (int depth : {2, 3}) cases.push_back({.depth = depth});
  for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
    cases.push_back({.version = version, .group = Group::kP256});
  }
  for (Group group :
       {Group::kX25519MlKem768, Group::kMlKem768, Group::kKyber768, Group::kP384Kyber768}) {
    cases.push_back({.group = group});
  }
  cases.push_back({.resumption = Resumption::kTickets});
  cases.push_back({.version = TlsVersion::kTls12, .resumption = Resumption::kTickets});
  cases.push_back({.version = TlsVersion::kTls12, .resumption = Resumption::kSessionIds});
  cases.push_back({.context_per_connection = true});
  for (const HandshakeCase& c : LightweightCases()) cases.push_back(c);
  return cases;
}

std::vector<HandshakeCase> LightweightCases() {
  std::vector<HandshakeCase> cases;
  for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
    for (PskKeyExchange key_exchange : {PskKeyExchange::kDhe, PskKeyExchange::kPskOnly}) {
      cases.push_back({.scheme = key_exchange == PskKeyExchange::kDhe ? "psk-dhe" : "psk",
                       .depth = 0,
                       .version = version,
                       .psk = key_exchange});
    }
    cases.push_back({.scheme = "rpk", .depth = 0, .version = version, .raw_public_keys = true});
  }
  cases.push_back({.scheme = "srp", .depth = 0, .version = TlsVersion::kTls12, .srp = true});
  return cases;
}

std::vector<HandshakeCase> FullMatrix() {
  std::vector<HandshakeCase> cases;
  for (bool mutual : {true, false}) {
    for (const std::string& scheme : AllPkiSchemes()) {
      for (int depth : {1, 2, 3}) {
        for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
          if (version == TlsVersion::kTls12 && IsPostQuantumScheme(scheme)) continue;
          for (Group group : {Group::kX25519, Group::kP256, Group::kX25519MlKem768,
                              Group::kMlKem768, Group::kKyber768, Group::kP384Kyber768}) {
            if (IsPostQuantum(group) && version != TlsVersion::kTls13) continue;
            for (Resumption resumption :
                 {Resumption::kOff, Resumption::kTickets, Resumption::kSessionIds}) {
              if (resumption == Resumption::kSessionIds && version != TlsVersion::kTls12) continue;
              for (bool per_connection : {false, true}) {
                if (per_connection && resumption != Resumption::kOff)
                  continue;  // nothing to resume
                cases.push_back(
                    {mutual, scheme, depth, version, group, resumption, per_connection});
              }
            }
          }
        }
      }
    }
  }
  for (const HandshakeCase& c : LightweightCases()) cases.push_back(c);
  return cases;
}

}  // namespace mtls::bench
