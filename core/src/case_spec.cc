#include "mtls/case_spec.h"

#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls {

std::string KeyScheme(const CaseSpec& spec) {
  return spec.credentials == CredentialKind::kRawPublicKeys ? kRawKeyScheme : spec.scheme;
}

namespace {

// The case's protocol settings, then `load_material` (the PKI's part), then the peer's expected
// identity: the order in which the benchmarks always built their configs. Instruction counts
// depend on the heap's layout before a handshake, so the allocations keep that order.
template <typename LoadMaterial>  // absl::Status(EndpointConfig&); not std::function: no allocation
absl::StatusOr<EndpointConfig> BuildEndpoint(const CaseSpec& spec, Role role,
                                             const LoadMaterial& load_material) {
  EndpointConfig config;
  config.role = role;
  config.protocol = spec.protocol;
  config.dtls.cookie_exchange = role == Role::kServer && spec.cookie_exchange;
  config.dtls.connection_id = spec.connection_id;
  config.min_version = config.max_version = spec.version;
  config.resumption = spec.resumption;
  switch (spec.credentials) {
    case CredentialKind::kSrpPassword:
      config.srp = TestSrpPassword();
      return config;
    case CredentialKind::kExternalPsk:
      config.psk = TestPsk(spec.psk_key_exchange);
      config.groups = {spec.group};  // with psk_ke too: some clients send a key share regardless
      return config;
    case CredentialKind::kRawPublicKeys:
    case CredentialKind::kCertificates:
      break;
  }
  config.groups = GroupsFor(spec.group, KeyScheme(spec), spec.version);
  if (spec.certificate_compression)
    config.certificate_compression = {*spec.certificate_compression};
  MTLS_RETURN_IF_ERROR(load_material(config));
  if (spec.credentials == CredentialKind::kRawPublicKeys) return config;  // keys carry no name
  if (role == Role::kClient) config.expected_peer_name = kTestServerName;
  if (role == Role::kServer && !spec.mutual) config.client_auth = ClientAuth::kNone;
  return config;
}

}  // namespace

EndpointConfig CaseEndpoint(const CaseSpec& spec, Role role) {
  return *BuildEndpoint(spec, role, [](EndpointConfig&) { return absl::OkStatus(); });
}

namespace {

// The test PKI's part of the honest endpoint; `pki_dir()` is asked at each use.
template <typename PkiDir>  // std::string or const std::string& ()
absl::StatusOr<EndpointConfig> HonestEndpointFrom(const CaseSpec& spec, Role role,
                                                  const PkiDir& pki_dir) {
  return BuildEndpoint(spec, role, [&](EndpointConfig& config) -> absl::Status {
    if (spec.credentials == CredentialKind::kRawPublicKeys) {
      const Role peer = role == Role::kClient ? Role::kServer : Role::kClient;
      MTLS_ASSIGN_OR_RETURN(config.credentials,
                            LoadLeafCredentials(pki_dir(), kRawKeyScheme, role, 1));
      MTLS_ASSIGN_OR_RETURN(std::string peer_key,
                            LoadLeafPublicKey(pki_dir(), kRawKeyScheme, peer, 1));
      config.raw_public_keys = RawPublicKeys{{std::move(peer_key)}};
      return absl::OkStatus();
    }
    MTLS_ASSIGN_OR_RETURN(config.trust_anchors_der, LoadRoot(pki_dir(), spec.scheme));
    if (role == Role::kServer || spec.mutual) {
      MTLS_ASSIGN_OR_RETURN(config.credentials,
                            LoadLeafCredentials(pki_dir(), spec.scheme, role, spec.depth));
    }
    return absl::OkStatus();
  });
}

}  // namespace

absl::StatusOr<EndpointConfig> HonestEndpoint(const CaseSpec& spec, Role role,
                                              const std::string& pki_dir) {
  return HonestEndpointFrom(spec, role, [&]() -> const std::string& { return pki_dir; });
}

absl::StatusOr<EndpointConfig> HonestEndpoint(const CaseSpec& spec, Role role) {
  return HonestEndpointFrom(spec, role, [] { return DefaultPkiDir(); });
}

std::vector<std::string> RequiredFeatures(const CaseSpec& spec) {
  std::vector<std::string> features = {absl::StrCat(
      ProtocolName(spec.protocol), spec.version == TlsVersion::kTls12 ? "1.2" : "1.3")};
  switch (spec.credentials) {
    case CredentialKind::kSrpPassword:
      features.push_back("srp:tls1.2");
      return features;  // SRP suites bring their own key exchange
    case CredentialKind::kExternalPsk:
      features.push_back(PskFeature(spec.psk_key_exchange, spec.version));
      if (spec.psk_key_exchange == PskKeyExchange::kPskOnly) return features;  // no group used
      break;
    case CredentialKind::kRawPublicKeys:
      features.push_back("rpk");
      break;
    case CredentialKind::kCertificates:
      features.push_back(absl::StrCat("scheme:", spec.scheme));
      break;
  }
  features.push_back(absl::StrCat("group:", GroupName(spec.group)));
  if (spec.resumption != Resumption::kOff) {
    features.push_back(absl::StrCat("resumption:", ResumptionName(spec.resumption)));
  }
  if (spec.cookie_exchange) features.push_back("dtls:cookie");
  if (spec.connection_id) {
    features.push_back(spec.version == TlsVersion::kTls13 ? "dtls1.3:cid" : "dtls:cid");
  }
  if (spec.certificate_compression) {
    features.push_back(CertificateCompressionFeature(*spec.certificate_compression));
  }
  return features;
}

absl::Status CheckSupported(const CaseSpec& spec) {
  for (const std::string& feature : RequiredFeatures(spec)) {
    MTLS_RETURN_IF_ERROR(RequireCapability(feature));
  }
  return absl::OkStatus();
}

absl::string_view CaseVersionName(const CaseSpec& spec) {
  return VersionName(spec.protocol, spec.version);
}

std::optional<std::string> CompressionMismatch(const CaseSpec& spec, const HandshakeResult& client,
                                               const HandshakeResult& server) {
  const std::optional<CertificateCompression> asked = spec.certificate_compression;
  const bool client_compresses =
      spec.mutual && RequireCapability("cert-compression:client-certificate").ok();
  const auto spelled = [](std::optional<CertificateCompression> algorithm) {
    return algorithm ? absl::StrCat("compressed with ", CertificateCompressionName(*algorithm))
                     : std::string("uncompressed");
  };
  for (const auto& [receiver, result, expected] :
       {std::tuple("client", &client, asked),
        std::tuple("server", &server, client_compresses ? asked : std::nullopt)}) {
    if (result->peer_certificate_compression != expected) {
      return absl::StrCat("the ", receiver, " reports its peer's certificate ",
                          spelled(result->peer_certificate_compression), ", not ",
                          spelled(expected));
    }
  }
  return std::nullopt;
}

std::string ResumptionCaseName(const CaseSpec& spec) {
  return absl::StrCat("resumption/", ResumptionName(spec.resumption), "/", CaseVersionName(spec));
}

std::optional<Capability> DocumentedFinding(absl::string_view case_name) {
  const std::string feature = absl::StrCat("finding:", case_name);
  for (const Capability& row : CapabilityManifest()) {
    if (row.feature == feature) return row;
  }
  return std::nullopt;
}

}  // namespace mtls
