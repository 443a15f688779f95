// A handshake case over the project's test PKI (corpora/pki), as the benchmarks, the
// conformance matrix, the fuzz targets and mtls-handshake describe it, and the one place its
// honest endpoint configs are built: each of them starts from these and changes only what it
// tests (a conformance case its one deviation, a fuzz target its seams).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/backend.h"
#include "mtls/config.h"
#include "mtls/result.h"
#include "mtls/types.h"

namespace mtls {

// How both sides authenticate.
enum class CredentialKind { kCertificates, kExternalPsk, kRawPublicKeys, kSrpPassword };

struct CaseSpec {
  CredentialKind credentials = CredentialKind::kCertificates;
  // Certificates: the test PKI scheme (AllPkiSchemes()). For the other kinds a label only ("psk",
  // "rpk", "srp"): raw public keys are those of kRawKeyScheme's depth-1 leaves.
  std::string scheme = "ecdsa-p256";
  int depth = 1;  // certificates: CA certificates above each leaf (1..3)
  Protocol protocol = Protocol::kTls;
  TlsVersion version = TlsVersion::kTls13;  // the only version either side offers
  Group group = Group::kX25519;
  bool mutual = true;  // false: the server asks for no certificate (server-auth-only baseline)
  Resumption resumption = Resumption::kOff;
  PskKeyExchange psk_key_exchange = PskKeyExchange::kDhe;  // external PSK: with (EC)DHE or not
  bool cookie_exchange = false;  // DTLS: the server asks for a cookie first (DtlsOptions)
  bool connection_id = false;    // DTLS: both sides ask for a Connection ID (DtlsOptions)
  // Certificates in TLS 1.3: both sides offer (only) this RFC 8879 algorithm, so each sends its
  // Certificate compressed with it.
  std::optional<CertificateCompression> certificate_compression = std::nullopt;
};

// The certificate scheme whose keys sign: kRawKeyScheme for raw public keys, else `scheme`.
std::string KeyScheme(const CaseSpec& spec);

// The honest endpoint of `role` without its PKI material (no I/O): one TLS version, the case's
// group (in TLS 1.2 with the certificate's curve, see GroupsFor), resumption, the test external
// PSK or SRP account (those are the credentials of their kinds), client authentication as the
// case asks, and for a client with certificates kTestServerName as the expected peer name.
EndpointConfig CaseEndpoint(const CaseSpec& spec, Role role);

// CaseEndpoint with the test PKI material from `pki_dir`: the scheme's root as the only trust
// anchor and the leaf of `depth` as credentials (a server-auth-only client has none), or for raw
// public keys the depth-1 leaf of kRawKeyScheme and the peer's public key of the same.
absl::StatusOr<EndpointConfig> HonestEndpoint(const CaseSpec& spec, Role role,
                                              const std::string& pki_dir);
// The same from DefaultPkiDir().
absl::StatusOr<EndpointConfig> HonestEndpoint(const CaseSpec& spec, Role role);

// "TLSv1.3", "DTLSv1.2": the case's protocol version (VersionName).
absl::string_view CaseVersionName(const CaseSpec& spec);

// Capability-manifest features the case needs: the version ("tls1.3", "dtls1.2"), what
// authenticates (scheme:, psk:, rpk, srp:tls1.2), the group where a key exchange happens (not
// psk_ke, not SRP), resumption, the certificate compression.
std::vector<std::string> RequiredFeatures(const CaseSpec& spec);
// OK, or Unimplemented naming the first of those the backend lacks and why.
absl::Status CheckSupported(const CaseSpec& spec);

// Why the certificates did not travel as the case asks, or nullopt: the client's library reports
// the server's Certificate decompressed with the case's algorithm, the server's the client's
// where the backend compresses client certificates ("cert-compression:client-certificate"), and
// neither reports compression the case did not ask for.
std::optional<std::string> CompressionMismatch(const CaseSpec& spec, const HandshakeResult& client,
                                               const HandshakeResult& server);

// The conformance name of the resumption case of `spec` ("resumption/tickets/TLSv1.3"), and the
// suffix of its variant where other clients handshake with the server before the resumption.
std::string ResumptionCaseName(const CaseSpec& spec);
// 200: wolfSSL 5.5's process-wide cache (11 rows of 3, a row chosen by a random session ID) keeps
// the first client's entry only while its row sees fewer than 3 others: after 100 that happened
// in about 0.6 % of runs, after 200 about 2 in a million. Below the 256 sessions the Mbed TLS and
// wolfSSL adapters keep per context, so no adapter is the reason a session is lost.
inline constexpr int kOtherClientsBeforeResuming = 200;
inline constexpr absl::string_view kAfterOtherClients = "/after-200-other-clients";

// The backend's manifest row "finding:<case_name>" (exactly that case), where it documents
// what the library does instead of passing it.
std::optional<Capability> DocumentedFinding(absl::string_view case_name);

}  // namespace mtls
