// Fuzz target: a server that requires client authentication, against the project's attacking
// client (attacker/). The input edits the client's Certificate and CertificateVerify bodies
// before they are protected and before the client's Finished is computed over them, so the
// mutations reach the server's certificate and proof checks in TLS 1.3 as well as in TLS 1.2, on
// every backend (deterministic or not), and a handshake the server completes is one it accepted
// on exactly what it was sent. The oracle re-checks every acceptance independently
// (oracle/CheckClientProof) and aborts with "MUTUAL-AUTH VIOLATION" when it does not hold.
//
// Input: byte 0, bit 0 the version (0: TLS 1.3, 1: TLS 1.2), the other bits the misbehaviour
// (attacker::Misbehaviour, modulo their count); then 4-byte edits: what (bit 0: Certificate or
// CertificateVerify; bits 1-2: xor, truncate, insert), a 16-bit offset (modulo the body's
// size) and a byte.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "acceptance_oracle.h"
#include "driver/side_under_test.h"
#include "hostile_client.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"

namespace {

using mtls::attacker::HostileClientConfig;
using mtls::attacker::Misbehaviour;

constexpr char kScheme[] = "ecdsa-p256";
constexpr size_t kEditSize = 4;

void ApplyEdits(const uint8_t* edits, size_t size, uint8_t message_type, std::string& body) {
  const bool verify = message_type == mtls::attacker::kCertificateVerifyMessage;
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

[[noreturn]] void Violation(const std::string& what) {
  std::fprintf(stderr, "fuzz: MUTUAL-AUTH VIOLATION (server, attacking client): %s\n",
               what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  mtls::fuzz::HandshakeOptions options;
  options.version = (data[0] & 1) ? mtls::TlsVersion::kTls12 : mtls::TlsVersion::kTls13;
  options.scheme = kScheme;
  mtls::Context* server = mtls::fuzz::CachedSideContext(mtls::Role::kServer, options);
  if (server == nullptr) return 0;
  static const auto client_credentials = mtls::LoadLeafCredentials(
      mtls::fuzz::FuzzPkiDir(), kScheme, mtls::Role::kClient, options.depth);
  static const auto foreign_credentials = mtls::LoadLeafCredentials(
      mtls::fuzz::FuzzPkiDir(), kScheme, mtls::Role::kServer, options.depth);
  if (!client_credentials.ok() || !foreign_credentials.ok()) {
    std::fprintf(stderr, "fuzz: test PKI: %s\n", client_credentials.status().ToString().c_str());
    std::abort();
  }
  const auto misbehaviour =
      static_cast<Misbehaviour>((data[0] >> 1) % mtls::attacker::kMisbehaviourCount);
  HostileClientConfig config;
  config.version = options.version;
  config.misbehaviour = misbehaviour;
  config.chain_der = client_credentials->chain_der;
  config.key_der = client_credentials->key_der;
  config.foreign_key_der = foreign_credentials->key_der;  // a P-256 key of another leaf
  config.tamper = [&](uint8_t message_type, std::string& body) {
    ApplyEdits(data + 1, size - 1, message_type, body);
  };
  auto client = mtls::attacker::HostileClientContext::Create(std::move(config));
  if (!client.ok()) std::abort();  // only the test PKI can make this fail

  mtls::HandshakeOutcome outcome;
  mtls::fuzz::RunDeterministically(
      [&] { outcome = mtls::RunInMemoryHandshake(**client, *server); });
  if (!outcome.server.completed()) return 0;
  if (!outcome.server.peer_verified) Violation("completed without a verified client");
  const auto& evidence = (*client)->evidence();
  if (!evidence) Violation("completed before the client authenticated");
  std::string violated;
  const absl::Status verdict = mtls::oracle::CheckClientProof(
      *evidence, mtls::fuzz::FuzzTrustAnchors(kScheme), mtls::fuzz::CheckTime(), &violated);
  // A weakness the backend's manifest documents (a "finding:" row for the hostile case of the
  // same name) does not stop the fuzzer; anything else does.
  const std::string known =
      "finding:hostile/" + violated + "/" + std::string(mtls::TlsVersionName(options.version));
  if (absl::IsFailedPrecondition(verdict) && !mtls::FindCapability(known)) {
    Violation(std::string(mtls::TlsVersionName(options.version)) + ", " +
              std::string(mtls::attacker::MisbehaviourName(misbehaviour)) + ": " +
              std::string(verdict.message()));
  }
  return 0;
}
