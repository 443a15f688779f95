#include "mtls/case_spec.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls {

std::string KeyScheme(const CaseSpec& spec) {
  return spec.credentials == CredentialKind::kRawPublicKeys ? kRawKeyScheme : spec.scheme;
}

EndpointConfig CaseEndpoint(const CaseSpec& spec, Role role) {
  EndpointConfig config;
  config.role = role;
  config.min_version = config.max_version = spec.version;
  config.resumption = spec.resumption;
  switch (spec.credentials) {
    case CredentialKind::kSrpPassword:
      config.srp = TestSrpPassword();
      break;
    case CredentialKind::kExternalPsk:
      config.psk = TestPsk(spec.psk_key_exchange);
      config.groups = {spec.group};  // with psk_ke too: some clients send a key share regardless
      break;
    case CredentialKind::kRawPublicKeys:
      config.groups = GroupsFor(spec.group, KeyScheme(spec), spec.version);
      break;
    case CredentialKind::kCertificates:
      config.groups = GroupsFor(spec.group, spec.scheme, spec.version);
      if (role == Role::kClient) config.expected_peer_name = kTestServerName;
      if (role == Role::kServer && !spec.mutual) config.client_auth = ClientAuth::kNone;
      break;
  }
  return config;
}

absl::StatusOr<EndpointConfig> HonestEndpoint(const CaseSpec& spec, Role role,
                                              const std::string& pki_dir) {
  EndpointConfig config = CaseEndpoint(spec, role);
  if (spec.credentials == CredentialKind::kRawPublicKeys) {
    const Role peer = role == Role::kClient ? Role::kServer : Role::kClient;
    MTLS_ASSIGN_OR_RETURN(config.credentials, LoadLeafCredentials(pki_dir, kRawKeyScheme, role, 1));
    MTLS_ASSIGN_OR_RETURN(std::string peer_key, LoadLeafPublicKey(pki_dir, kRawKeyScheme, peer, 1));
    config.raw_public_keys = RawPublicKeys{{std::move(peer_key)}};
  } else if (spec.credentials == CredentialKind::kCertificates) {
    MTLS_ASSIGN_OR_RETURN(config.trust_anchors_der, LoadRoot(pki_dir, spec.scheme));
    if (role == Role::kServer || spec.mutual) {
      MTLS_ASSIGN_OR_RETURN(config.credentials,
                            LoadLeafCredentials(pki_dir, spec.scheme, role, spec.depth));
    }
  }
  return config;
}

std::vector<std::string> RequiredFeatures(const CaseSpec& spec) {
  std::vector<std::string> features = {spec.version == TlsVersion::kTls12 ? "tls1.2" : "tls1.3"};
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
  return features;
}

absl::Status CheckSupported(const CaseSpec& spec) {
  for (const std::string& feature : RequiredFeatures(spec)) {
    MTLS_RETURN_IF_ERROR(RequireCapability(feature));
  }
  return absl::OkStatus();
}

}  // namespace mtls
