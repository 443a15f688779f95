#include "side_under_test.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "byte_transports.h"
#if defined(MTLS_INDEPENDENT_ORACLE)
#include "oracle/acceptance_oracle.h"
#endif
#include "mtls/determinism.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls::fuzz {
namespace {

// Enough for any honest handshake; a session that keeps asking for more is stuck.
constexpr int kMaxHandshakeSteps = 64;

}  // namespace

// Contexts are made once per (role, options): loading keys would otherwise dominate each run.
Context* CachedSideContext(Role role, const HandshakeOptions& options) {
  static std::map<std::pair<Role, std::string>, std::unique_ptr<Context>> cache;
  auto& slot = cache[{role, OptionsName(options)}];
  if (!slot) {
    auto config = SideConfig(role, options, /*deterministic=*/true);
    if (!config.ok()) return nullptr;
    ResetDeterministicRandom(kRandomSeed);
    auto context = CreateContext(*config);
    if (!context.ok()) {
      std::fprintf(stderr, "fuzz: %s context for %s: %s\n", std::string(RoleName(role)).c_str(),
                   OptionsName(options).c_str(), context.status().ToString().c_str());
      return nullptr;
    }
    slot = *std::move(context);
  }
  return slot.get();
}

void RunDeterministically(const std::function<void()>& body) {
  if (!ReplayNeedsFreshThread()) {
    ResetDeterministicRandom(kRandomSeed);
    body();
    return;
  }
  std::thread([&] {
    ResetDeterministicRandom(kRandomSeed);
    body();
    ReleaseThreadState();
  }).join();
}

int64_t CheckTime() {
  return RequireCapability("seam:fixed-clock").ok() ? kFixedUnixTime
                                                    : static_cast<int64_t>(std::time(nullptr));
}

absl::StatusOr<EndpointConfig> SideConfig(Role role, const HandshakeOptions& options,
                                          bool deterministic) {
  MTLS_RETURN_IF_ERROR(CheckSupported(options));
  MTLS_ASSIGN_OR_RETURN(EndpointConfig config, HonestEndpoint(options, role, ShippedPkiDir()));
  if (deterministic) {
    // Once per process; backends without the hook stay as random as they are.
    static const bool process_random = UseDeterministicRandom().ok();
    (void)process_random;
    if (RequireCapability("seam:random").ok()) config.seams.random = DeterministicBytes;
    if (RequireCapability("seam:fixed-clock").ok()) config.seams.fixed_unix_time = kFixedUnixTime;
  }
  return config;
}

namespace {

SideOutcome RunSideOnThisThread(Role role, const HandshakeOptions& options, Transport& transport) {
  SideOutcome outcome;
  Context* context = CachedSideContext(role, options);
  if (context == nullptr) return outcome;
  ResetDeterministicRandom(kRandomSeed);
  auto session = context->NewSession(transport);
  if (!session.ok()) {
    outcome.error = session.status();
    return outcome;
  }
  outcome.ran = true;
  for (int step = 0; step < kMaxHandshakeSteps; ++step) {
    auto done = (*session)->Handshake();
    if (!done.ok()) {
      outcome.error = done.status();
      break;
    }
    if (*done) {
      outcome.completed = true;
      break;
    }
  }
  outcome.result = (*session)->Result();
  return outcome;
}

}  // namespace

SideOutcome RunSide(Role role, const HandshakeOptions& options, Transport& transport) {
  SideOutcome outcome;
  RunDeterministically([&] { outcome = RunSideOnThisThread(role, options, transport); });
  return outcome;
}

namespace {

// What the peer should have proved but the result does not show, if anything.
std::optional<std::string> MissingPeerProof(Role role, const HandshakeOptions& options,
                                            const HandshakeResult& result) {
  if (!result.peer_verified) return "a verified peer";
  switch (options.credentials) {
    case CredentialKind::kCertificates:
      if (!result.peer) return "a peer certificate";
      break;
    case CredentialKind::kExternalPsk:
      if (result.psk_identity != TestPsk(options.psk_key_exchange).identity) {
        return "the external PSK";
      }
      break;
    case CredentialKind::kRawPublicKeys:
      if (result.peer_raw_public_key.empty()) return "the peer's raw public key";
      break;
    case CredentialKind::kSrpPassword:
      // A server must name the client's login; clients need not report their own.
      if (role == Role::kServer && result.srp_username != TestSrpPassword().username) {
        return "the SRP user";
      }
      break;
  }
  return std::nullopt;
}

}  // namespace

SideOutcome RunSideOnInput(Role role, const uint8_t* data, size_t size) {
  if (size == 0) return {};
  const HandshakeOptions options = DecodeOptions(data[0]);
  const absl::Span<const uint8_t> peer_bytes = absl::MakeConstSpan(data + 1, size - 1);
  FeedTransport feed(peer_bytes);
  DatagramFeedTransport datagrams(peer_bytes);
  const bool dtls = options.protocol == Protocol::kDtls;
  SideOutcome outcome = RunSide(role, options, dtls ? static_cast<Transport&>(datagrams) : feed);
  // Acceptance oracle (the library's own claim): a completed handshake must have authenticated
  // the peer, by the credentials the options ask for, since this side requires it.
  if (outcome.completed) {
    if (std::optional<std::string> missing = MissingPeerProof(role, options, outcome.result)) {
      std::fprintf(
          stderr, "fuzz: MUTUAL-AUTH VIOLATION: the %s completed a handshake (%s) without %s\n",
          std::string(RoleName(role)).c_str(), OptionsName(options).c_str(), missing->c_str());
      std::abort();
    }
  }
#if defined(MTLS_INDEPENDENT_ORACLE)
  // Acceptance oracle (independent, certificates only): what the wire shows must bear the claim
  // out. It reads TLS records; DTLS inputs have the library's claim alone.
  if (outcome.completed && options.credentials == CredentialKind::kCertificates && !dtls) {
    const absl::Status verdict = oracle::CheckPeerAuthentication(
        role, options.version,
        {absl::string_view(reinterpret_cast<const char*>(data + 1), size - 1), feed.written()},
        ShippedRoot(options.scheme), CheckTime());
    if (absl::IsFailedPrecondition(verdict)) {
      std::fprintf(stderr, "fuzz: MUTUAL-AUTH VIOLATION (%s): %s\n", OptionsName(options).c_str(),
                   std::string(verdict.message()).c_str());
      std::abort();
    }
  }
#endif
  return outcome;
}

}  // namespace mtls::fuzz
