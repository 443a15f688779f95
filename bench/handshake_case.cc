#include "handshake_case.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mtls/backend.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls::bench {

std::vector<NamePart> HandshakeCase::NameParts(absl::string_view prefix) const {
  const std::string auth = spec.mutual ? "mtls" : "server-auth";
  const std::string version_name(CaseVersionName(spec));
  const std::string group_name(GroupName(spec.group));
  const bool full = spec.resumption == Resumption::kOff;
  const std::string resumed = full ? "full" : std::string(ResumptionName(spec.resumption));
  const std::string contexts = context_per_connection ? "ctx-per-conn" : "shared-ctx";
  // Spelled only where a certificate is compressed, so that every other name stays as it was.
  const std::optional<CertificateCompression>& compression = spec.certificate_compression;
  const std::string compression_name =
      compression ? std::string(CertificateCompressionName(*compression)) : "none";
  return {
      {"suite", std::string(prefix), std::string(prefix)},
      {"auth", auth, auth},
      {"scheme", spec.scheme, spec.scheme},
      {"depth", spec.depth, absl::StrCat("d", spec.depth)},
      {"version", version_name, version_name},
      {"group", group_name, group_name},
      {"cert_compression", compression_name, compression ? "compressed-" + compression_name : ""},
      {"resumption", resumed, full ? resumed : "resumed-" + resumed},
      {"contexts", contexts, contexts}};
}

std::string JoinName(const std::vector<NamePart>& parts) {
  std::string name;
  for (const NamePart& part : parts) {
    if (!part.spelled.empty()) absl::StrAppend(&name, name.empty() ? "" : "/", part.spelled);
  }
  return name;
}

std::string HandshakeCase::Name(absl::string_view prefix) const {
  return JoinName(NameParts(prefix));
}

HandshakeShape HandshakeCase::Shape() const {
  return {.mutual = spec.mutual,
          .chain_depth = spec.depth,
          .version = spec.version,
          .resumed = spec.resumption != Resumption::kOff};
}

absl::StatusOr<EndpointConfig> HandshakeCase::Endpoint(Role role) const {
  return HonestEndpoint(spec, role);
}

absl::Status HandshakeCase::Supported() const {
  MTLS_RETURN_IF_ERROR(CheckSupported(spec));
  if (spec.resumption == Resumption::kOff) return absl::OkStatus();
  if (std::optional<Capability> finding = DocumentedFinding(ResumptionCaseName(spec))) {
    return absl::UnimplementedError(absl::StrCat(finding->feature, ": ", finding->reason));
  }
  return absl::OkStatus();
}

std::optional<std::string> HandshakeCase::Disqualify(const HandshakeOutcome& outcome) const {
  if (spec.mutual ? !outcome.MutuallyAuthenticated() : !outcome.ServerAuthenticated()) {
    return absl::StrCat("not authenticated: ", outcome.Describe());
  }
  // Verified, and each verifying side names the certificate it verified (from the library).
  if (spec.credentials == CredentialKind::kCertificates) {
    if (!outcome.client.peer) return "the client does not name the server it verified";
    if (spec.mutual && !outcome.server.peer)
      return "the server does not name the client it verified";
  }
  if (spec.credentials == CredentialKind::kExternalPsk &&
      (outcome.client.psk_identity.empty() || outcome.server.psk_identity.empty())) {
    return "authenticated without the external PSK";
  }
  // The server names the user it authenticated (not every library reports a client's login).
  if (spec.credentials == CredentialKind::kSrpPassword && outcome.server.srp_username.empty()) {
    return "authenticated without the SRP password";
  }
  if (spec.credentials == CredentialKind::kRawPublicKeys &&
      (outcome.client.peer_raw_public_key.empty() || outcome.server.peer_raw_public_key.empty())) {
    return "authenticated without raw public keys";
  }
  if (auto mismatch = CompressionMismatch(spec, outcome.client, outcome.server)) return mismatch;
  const bool want_resumed = spec.resumption != Resumption::kOff;
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
        cases.push_back({.spec = {.scheme = scheme, .version = version, .mutual = mutual}});
      }
    }
  }
  // Fully post-quantum: post-quantum certificates and a hybrid key exchange (ML-DSA with the
  // standard one, wolfSSL's Dilithium with its own; the other pairs no backend has).
  for (const std::string& scheme : PostQuantumPkiSchemes()) {
    const bool draft = absl::StartsWith(scheme, "dilithium");
    cases.push_back({.spec = {.scheme = scheme,
                              .group = draft ? Group::kP384Kyber768 : Group::kX25519MlKem768}});
  }
  for (int depth : {2, 3}) cases.push_back({.spec = {.depth = depth}});
  for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
    cases.push_back({.spec = {.version = version, .group = Group::kP256}});
  }
  for (Group group :
       {Group::kX25519MlKem768, Group::kMlKem768, Group::kKyber768, Group::kP384Kyber768}) {
    cases.push_back({.spec = {.group = group}});
  }
  cases.push_back({.spec = {.resumption = Resumption::kTickets}});
  cases.push_back({.spec = {.version = TlsVersion::kTls12, .resumption = Resumption::kTickets}});
  cases.push_back({.spec = {.version = TlsVersion::kTls12, .resumption = Resumption::kSessionIds}});
  cases.push_back({.context_per_connection = true});
  for (const HandshakeCase& c : LightweightCases()) cases.push_back(c);
  for (const HandshakeCase& c : DatagramCases()) cases.push_back(c);
  for (const HandshakeCase& c : CompressedCertificateCases()) cases.push_back(c);
  return cases;
}

std::vector<HandshakeCase> CompressedCertificateCases() {
  std::vector<HandshakeCase> cases;
  // Not ML-DSA: its keys and signatures are random bytes that do not compress, and OpenSSL 3.5
  // then sends the Certificate uncompressed (docs/certificate-compression.md).
  for (const char* scheme : {"ecdsa-p256", "rsa2048"}) {
    for (CertificateCompression algorithm : kAllCertificateCompressions) {
      cases.push_back({.spec = {.scheme = scheme, .certificate_compression = algorithm}});
    }
  }
  // Three CAs above each leaf: the names that repeat down a chain are what compresses best.
  for (CertificateCompression algorithm : kAllCertificateCompressions) {
    cases.push_back({.spec = {.depth = 3, .certificate_compression = algorithm}});
  }
  return cases;
}

std::vector<HandshakeCase> DatagramCases() {
  std::vector<HandshakeCase> cases;
  for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
    for (bool mutual : {true, false}) {
      cases.push_back(
          {.spec = {.protocol = Protocol::kDtls, .version = version, .mutual = mutual}});
    }
  }
  for (const HandshakeCase& c : LightweightCases()) {
    if (c.spec.credentials == CredentialKind::kSrpPassword) continue;  // TLS-SRP is TLS's alone
    HandshakeCase datagram = c;
    datagram.spec.protocol = Protocol::kDtls;
    cases.push_back(datagram);
  }
  return cases;
}

std::vector<HandshakeCase> LightweightCases() {
  std::vector<HandshakeCase> cases;
  for (TlsVersion version : {TlsVersion::kTls13, TlsVersion::kTls12}) {
    for (PskKeyExchange key_exchange : {PskKeyExchange::kDhe, PskKeyExchange::kPskOnly}) {
      cases.push_back({.spec = {.credentials = CredentialKind::kExternalPsk,
                                .scheme = key_exchange == PskKeyExchange::kDhe ? "psk-dhe" : "psk",
                                .depth = 0,
                                .version = version,
                                .psk_key_exchange = key_exchange}});
    }
    cases.push_back({.spec = {.credentials = CredentialKind::kRawPublicKeys,
                              .scheme = "rpk",
                              .depth = 0,
                              .version = version}});
  }
  cases.push_back({.spec = {.credentials = CredentialKind::kSrpPassword,
                            .scheme = "srp",
                            .depth = 0,
                            .version = TlsVersion::kTls12}});
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
                cases.push_back({.spec = {.scheme = scheme,
                                          .depth = depth,
                                          .version = version,
                                          .group = group,
                                          .mutual = mutual,
                                          .resumption = resumption},
                                 .context_per_connection = per_connection});
              }
            }
          }
        }
      }
    }
  }
  for (const HandshakeCase& c : LightweightCases()) cases.push_back(c);
  for (const HandshakeCase& c : DatagramCases()) cases.push_back(c);
  for (const HandshakeCase& c : CompressedCertificateCases()) cases.push_back(c);
  return cases;
}

}  // namespace mtls::bench
