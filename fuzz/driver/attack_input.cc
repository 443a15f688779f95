#include "attack_input.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "attacker/hostile_client.h"
#include "attacker/hostile_server.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"
#include "oracle/acceptance_oracle.h"
#include "side_under_test.h"

namespace mtls::fuzz {
namespace {

using attacker::AttackerConfig;
using attacker::Misbehaviour;

constexpr char kScheme[] = "ecdsa-p256";
constexpr size_t kEditSize = 4;

void ApplyEdits(const uint8_t* edits, size_t size, uint8_t message_type, std::string& body) {
  const bool verify = message_type == attacker::kCertificateVerifyMessage;
  for (size_t at = 0; at + kEditSize <= size; at += kEditSize) {
    const uint8_t what = edits[at];
    if (((what & 1) != 0) != verify) continue;
    const size_t offset = static_cast<size_t>(edits[at + 1] << 8 | edits[at + 2]);
    const char value = static_cast<char>(edits[at + 3]);
    switch ((what >> 1) % 3) {
      case 0:
        if (!body.empty()) body[offset % body.size()] ^= value;
        break;
      case 1:
        body.resize(body.empty() ? 0 : offset % body.size());
        break;
      default:
        body.insert(body.begin() + static_cast<std::ptrdiff_t>(offset % (body.size() + 1)), value);
        break;
    }
  }
}

[[noreturn]] void Violation(Role attacker_role, const std::string& what) {
  std::fprintf(stderr, "fuzz: MUTUAL-AUTH VIOLATION (%s, attacking %s): %s\n",
               attacker_role == Role::kClient ? "server" : "client",
               std::string(RoleName(attacker_role)).c_str(), what.c_str());
  std::abort();
}

const Credentials& LeafOf(Role role) {
  static const auto client = LoadLeafCredentials(ShippedPkiDir(), kScheme, Role::kClient, 1);
  static const auto server = LoadLeafCredentials(ShippedPkiDir(), kScheme, Role::kServer, 1);
  const auto& leaf = role == Role::kClient ? client : server;
  if (!leaf.ok()) {
    std::fprintf(stderr, "fuzz: test PKI: %s\n", leaf.status().ToString().c_str());
    std::abort();
  }
  return *leaf;
}

}  // namespace

void RunAttackInput(Role attacker_role, const uint8_t* data, size_t size) {
  if (size == 0) return;
  const Role victim = attacker_role == Role::kClient ? Role::kServer : Role::kClient;
  HandshakeOptions options;
  options.version = (data[0] & 1) ? TlsVersion::kTls12 : TlsVersion::kTls13;
  if (attacker_role == Role::kServer && options.version != TlsVersion::kTls13) return;
  options.scheme = kScheme;
  Context* backend = CachedSideContext(victim, options);
  if (backend == nullptr) return;
  const auto misbehaviour =
      static_cast<Misbehaviour>((data[0] >> 1) % attacker::kMisbehaviourCount);
  AttackerConfig config;
  config.version = options.version;
  config.misbehaviour = misbehaviour;
  config.chain_der = LeafOf(attacker_role).chain_der;
  config.key_der = LeafOf(attacker_role).key_der;
  config.foreign_key_der = LeafOf(victim).key_der;  // a P-256 key of another leaf
  config.tamper = [&](uint8_t message_type, std::string& body) {
    ApplyEdits(data + 1, size - 1, message_type, body);
  };

  HandshakeOutcome outcome;
  std::optional<oracle::PeerProof> evidence;
  if (attacker_role == Role::kClient) {
    auto client = attacker::HostileClientContext::Create(std::move(config));
    if (!client.ok()) std::abort();  // only the test PKI can make this fail
    RunDeterministically([&] { outcome = RunInMemoryHandshake(**client, *backend); });
    evidence = (*client)->evidence();
  } else {
    auto server = attacker::HostileServerContext::Create(std::move(config));
    if (!server.ok()) std::abort();
    RunDeterministically([&] { outcome = RunInMemoryHandshake(*backend, **server); });
    evidence = (*server)->evidence();
  }
  const HandshakeResult& judge = victim == Role::kServer ? outcome.server : outcome.client;
  if (!judge.completed()) return;
  if (!judge.peer_verified) Violation(attacker_role, "completed without a verified peer");
  if (!evidence) Violation(attacker_role, "completed before the attacker authenticated");
  std::string violated;
  const absl::Status verdict =
      oracle::CheckPeerProof(*evidence, ShippedRoot(kScheme), CheckTime(), &violated);
  // A weakness the backend's manifest documents (a "finding:" row for the hostile case of the
  // same name) does not stop the fuzzer; anything else does.
  const std::string known =
      "finding:hostile/" + violated + "/" + std::string(TlsVersionName(options.version));
  if (absl::IsFailedPrecondition(verdict) && !FindCapability(known)) {
    Violation(attacker_role, std::string(TlsVersionName(options.version)) + ", " +
                                 std::string(attacker::MisbehaviourName(misbehaviour)) + ": " +
                                 std::string(verdict.message()));
  }
}

}  // namespace mtls::fuzz
