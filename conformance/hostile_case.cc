#include "hostile_case.h"

#include <functional>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "judge_support.h"
#include "mtls/handshake.h"
#include "mtls/pki.h"
#include "mtls/pki_catalog.h"
#if defined(MTLS_HOSTILE_CLIENTS)
#include "attacker/hostile_client.h"
#include "attacker/hostile_server.h"
#endif

namespace mtls::conformance {
namespace {

#if defined(MTLS_HOSTILE_CLIENTS)
std::optional<attacker::Misbehaviour> MisbehaviourNamed(absl::string_view name) {
  for (int i = 0; i < attacker::kMisbehaviourCount; ++i) {
    const auto misbehaviour = static_cast<attacker::Misbehaviour>(i);
    if (attacker::MisbehaviourName(misbehaviour) == name) return misbehaviour;
  }
  return std::nullopt;
}

std::optional<attacker::CompressionFault> CompressionFaultNamed(absl::string_view name) {
  for (auto fault : {attacker::CompressionFault::kNone, attacker::CompressionFault::kGarbage,
                     attacker::CompressionFault::kOverlong}) {
    if (attacker::CompressedCertificateName(fault) == name) return fault;
  }
  return std::nullopt;
}

// What the attacker does, from the case's name for it; it presents what the case's honest
// endpoint of its role would.
absl::StatusOr<attacker::AttackerConfig> AttackerFor(const Case& c, Role role,
                                                     absl::string_view behaviour,
                                                     const std::string& pki_dir) {
  attacker::AttackerConfig config;
  config.version = c.spec.version;
  if (const std::optional<attacker::CompressionFault> fault = CompressionFaultNamed(behaviour)) {
    config.compress_certificate = c.spec.certificate_compression;
    config.compression_fault = *fault;
  } else if (const std::optional<attacker::Misbehaviour> misbehaviour =
                 MisbehaviourNamed(behaviour)) {
    config.misbehaviour = *misbehaviour;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("no misbehaviour ", behaviour));
  }
  MTLS_ASSIGN_OR_RETURN(const EndpointConfig honest, BuildConfig(c, role, pki_dir));
  MTLS_ASSIGN_OR_RETURN(const std::string foreign_key_file,
                        ReadFile(absl::StrCat(pki_dir, "/invalid/client-wrong.key")));
  MTLS_ASSIGN_OR_RETURN(config.foreign_key_der, ParsePrivateKey(foreign_key_file, "foreign key"));
  config.chain_der = honest.credentials->chain_der;
  config.key_der = honest.credentials->key_der;
  return config;
}

// The attacking peer's context, and the proof its latest session sent (once it got that far).
struct Attacker {
  std::unique_ptr<Context> context;
  std::function<bool()> sent_proof;
};

absl::StatusOr<Attacker> MakeAttacker(Role role, attacker::AttackerConfig config) {
  if (role == Role::kClient) {
    MTLS_ASSIGN_OR_RETURN(auto client, attacker::HostileClientContext::Create(std::move(config)));
    auto* raw = client.get();
    return Attacker{std::move(client), [raw] { return raw->evidence().has_value(); }};
  }
  MTLS_ASSIGN_OR_RETURN(auto server, attacker::HostileServerContext::Create(std::move(config)));
  auto* raw = server.get();
  return Attacker{std::move(server), [raw] { return raw->evidence().has_value(); }};
}
#endif

}  // namespace

CaseResult RunHostileCase(const Case& c, const std::string& pki_dir) {
#if !defined(MTLS_HOSTILE_CLIENTS)
  (void)c;
  (void)pki_dir;
  return {Verdict::kUnsupported, "built without libgcrypt: no attacking peers (peers/attacker)"};
#else
  const Role attacker_role = c.hostile_client.empty() ? Role::kServer : Role::kClient;
  // The attacking client's compressed certificate needs a server that asks for one.
  if (attacker_role == Role::kClient && c.spec.certificate_compression) {
    if (absl::Status asks = RequireCapability("cert-compression:client-certificate"); !asks.ok()) {
      return {Verdict::kUnsupported, std::string(asks.message())};
    }
  }
  const Role victim_role = attacker_role == Role::kClient ? Role::kServer : Role::kClient;
  const std::string attacker_name(RoleName(attacker_role));
  const std::string victim_name(RoleName(victim_role));
  auto config =
      AttackerFor(c, attacker_role,
                  attacker_role == Role::kClient ? c.hostile_client : c.hostile_server, pki_dir);
  if (!config.ok()) return {Verdict::kFail, absl::StrCat("test PKI: ", config.status().message())};
  auto attacker = MakeAttacker(attacker_role, *std::move(config));
  if (!attacker.ok()) return {Verdict::kFail, std::string(attacker.status().message())};
  auto victim_config = BuildConfig(c, victim_role, pki_dir);
  if (!victim_config.ok()) return {Verdict::kFail, std::string(victim_config.status().message())};
  auto victim = CreateContext(*victim_config);
  if (!victim.ok()) {
    return {Verdict::kFail, absl::StrCat(victim_name, " setup: ", victim.status().message())};
  }
  const bool attacking_client = attacker_role == Role::kClient;
  const HandshakeOutcome outcome = attacking_client
                                       ? RunInMemoryHandshake(*attacker->context, **victim)
                                       : RunInMemoryHandshake(**victim, *attacker->context);
  const HandshakeResult& verdict = attacking_client ? outcome.server : outcome.client;
  const HandshakeResult& attacker_result = attacking_client ? outcome.client : outcome.server;
  const absl::string_view peer_sig = attacking_client ? "client-sig=" : "server-sig=";
  if (!c.expected_error) {
    if (!verdict.completed() || !verdict.peer_verified ||
        !HasDnsName(verdict, attacking_client ? kTestClientName : kTestServerName)) {
      return {Verdict::kFail, absl::StrCat("the honest attacking ", attacker_name,
                                           " was not accepted: ", outcome.Describe())};
    }
    if (verdict.peer_certificate_compression != c.spec.certificate_compression) {
      return {Verdict::kFail, absl::StrCat("the ", victim_name, " does not report the ",
                                           attacker_name, "'s certificate compression")};
    }
    return {Verdict::kPass,
            absl::StrCat(victim_name, " verified the attacking ", attacker_name,
                         " (peers/attacker), ", TlsVersionName(c.spec.version), " ", peer_sig,
                         SignatureAlgorithmName(verdict.peer_signature_algorithm))};
  }
  if (ErrorClassOf(attacker_result.status) == ErrorClass::kUnsupported) {
    return {Verdict::kFail, absl::StrCat("the attacking ", attacker_name, " cannot run this case: ",
                                         attacker_result.status.message())};
  }
  if (!attacker->sent_proof()) {
    return {Verdict::kFail, absl::StrCat("the attacking ", attacker_name,
                                         " did not send its flight: ", outcome.Describe())};
  }
  const std::optional<Capability> finding = DocumentedRow(c, "finding:");
  if (verdict.completed()) {
    const std::string accepted = absl::StrCat(
        "ACCEPTED by the ", victim_name, " (",
        verdict.peer_verified ? absl::StrCat(attacker_name, " verified") : "unverified",
        ", reports ", peer_sig,
        verdict.peer_signature_algorithm ? SignatureAlgorithmName(verdict.peer_signature_algorithm)
                                         : "(not reported)",
        ")");
    if (finding) return {Verdict::kFinding, absl::StrCat(accepted, "; finding: ", finding->reason)};
    return {Verdict::kFail, absl::StrCat("AUTHENTICATION BYPASS: ", accepted)};
  }
  const std::string rejected =
      absl::StrCat(victim_name, " rejected the attacking ", attacker_name,
                   " (peers/attacker): ", ErrorClassName(ErrorClassOf(verdict.status)), ": ",
                   verdict.status.message());
  if (finding) {
    return {Verdict::kFail, absl::StrCat("the manifest's finding no longer holds (", rejected,
                                         "): remove its row")};
  }
  return {Verdict::kRejectedAsExpected, rejected};
#endif
}

}  // namespace mtls::conformance
