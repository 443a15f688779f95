// The per-context random seam of the OpenSSL 3 adapter (seams.random): two handshakes whose
// contexts get the same seam put the same bytes on the wire in both directions (key shares,
// signatures and hello randoms all come from the seam), another seam or none changes them, and
// the ClientHello's random is the seam's output.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "mtls/backend.h"
#include "mtls/config.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"
#include "mtls/transport.h"
#include "mtls/wire_view.h"

namespace mtls {
namespace {

// A seam: a splitmix64 stream from `seed`, keeping a copy of everything it handed out.
struct SeamStream {
  uint64_t state;
  std::string output;
};

std::function<void(absl::Span<uint8_t>)> Seam(std::shared_ptr<SeamStream> stream) {
  return [stream](absl::Span<uint8_t> out) {
    for (uint8_t& byte : out) {
      uint64_t z = (stream->state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      byte = static_cast<uint8_t>(z ^ (z >> 31));
      stream->output.push_back(static_cast<char>(byte));
    }
  };
}

struct SeamCase {
  TlsVersion version;
  std::string scheme;
  Group group;
};

// Failure messages name the case, not its bytes.
void PrintTo(const SeamCase& seam_case, std::ostream* os) {
  *os << TlsVersionName(seam_case.version) << " " << seam_case.scheme << " "
      << GroupName(seam_case.group);
}

std::string CaseName(const testing::TestParamInfo<SeamCase>& info) {
  std::string name = absl::StrCat(TlsVersionName(info.param.version), "_", info.param.scheme, "_",
                                  GroupName(info.param.group));
  for (char& c : name) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

EndpointConfig Endpoint(Role role, const SeamCase& seam_case) {
  EndpointConfig config;
  config.role = role;
  config.min_version = config.max_version = seam_case.version;
  config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), seam_case.scheme);
  config.credentials = *LoadLeafCredentials(DefaultPkiDir(), seam_case.scheme, role, 2);
  config.groups = GroupsFor(seam_case.group, seam_case.scheme, seam_case.version);
  if (role == Role::kClient) config.expected_peer_name = "server.mtls.test";
  return config;
}

// What each side wrote during one full handshake.
struct Wire {
  std::string client_to_server;
  std::string server_to_client;
};

// One handshake between fresh contexts; each side gets a seam from `client_seed`/`server_seed`
// when given (the streams are kept in `client_stream`/`server_stream`).
Wire Handshake(const SeamCase& seam_case, std::optional<uint64_t> client_seed,
               std::optional<uint64_t> server_seed,
               std::shared_ptr<SeamStream>* client_stream = nullptr) {
  EndpointConfig client = Endpoint(Role::kClient, seam_case);
  EndpointConfig server = Endpoint(Role::kServer, seam_case);
  auto stream = std::make_shared<SeamStream>(SeamStream{client_seed.value_or(0), ""});
  if (client_seed) client.seams.random = Seam(stream);
  if (server_seed) {
    server.seams.random = Seam(std::make_shared<SeamStream>(SeamStream{*server_seed, ""}));
  }
  if (client_stream != nullptr) *client_stream = stream;
  auto client_context = CreateContext(client);
  auto server_context = CreateContext(server);
  EXPECT_TRUE(client_context.ok()) << client_context.status();
  EXPECT_TRUE(server_context.ok()) << server_context.status();
  if (!client_context.ok() || !server_context.ok()) return {};

  MemoryDuplex duplex;
  RecordingTransport client_end(duplex.client_end());
  RecordingTransport server_end(duplex.server_end());
  auto client_session = (*client_context)->NewSession(client_end);
  auto server_session = (*server_context)->NewSession(server_end);
  EXPECT_TRUE(client_session.ok() && server_session.ok());
  if (!client_session.ok() || !server_session.ok()) return {};
  bool client_done = false;
  bool server_done = false;
  for (int turn = 0; turn < 20 && !(client_done && server_done); ++turn) {
    absl::StatusOr<bool> step = (*client_session)->Handshake();
    EXPECT_TRUE(step.ok()) << "client: " << step.status();
    if (!step.ok()) return {};
    client_done = *step;
    step = (*server_session)->Handshake();
    EXPECT_TRUE(step.ok()) << "server: " << step.status();
    if (!step.ok()) return {};
    server_done = *step;
  }
  EXPECT_TRUE(client_done && server_done);
  const HandshakeResult client_result = (*client_session)->Result();
  const HandshakeResult server_result = (*server_session)->Result();
  // The library's report: each side verified the other, with the group asked for.
  EXPECT_TRUE(client_result.peer_verified && server_result.peer_verified);
  EXPECT_EQ(client_result.group, seam_case.group);
  EXPECT_EQ(client_result.version, seam_case.version);
  return {client_end.written(), server_end.written()};
}

// The first TLS record of a direction (its header says how long it is).
std::string FirstRecord(const std::string& bytes) {
  if (bytes.size() < 5) return bytes;
  const size_t length = (static_cast<uint8_t>(bytes[3]) << 8) | static_cast<uint8_t>(bytes[4]);
  return bytes.substr(0, 5 + length);
}

class OpensslRandomSeamTest : public testing::TestWithParam<SeamCase> {
 protected:
  void SetUp() override {
    const SeamCase& seam_case = GetParam();
    for (const std::string& feature :
         {std::string("seam:random"), absl::StrCat("group:", GroupName(seam_case.group)),
          absl::StrCat("scheme:", seam_case.scheme)}) {
      if (absl::Status supported = RequireCapability(feature); !supported.ok()) {
        GTEST_SKIP() << supported.message();
      }
    }
  }
};

TEST_P(OpensslRandomSeamTest, SameSeamGivesByteIdenticalFlights) {
  const Wire first = Handshake(GetParam(), 1, 2);
  const Wire second = Handshake(GetParam(), 1, 2);
  ASSERT_FALSE(first.client_to_server.empty());
  ASSERT_FALSE(first.server_to_client.empty());
  EXPECT_EQ(absl::BytesToHexString(first.client_to_server),
            absl::BytesToHexString(second.client_to_server));
  EXPECT_EQ(absl::BytesToHexString(first.server_to_client),
            absl::BytesToHexString(second.server_to_client));
}

TEST_P(OpensslRandomSeamTest, AnotherSeamOrNoneChangesBothDirections) {
  const Wire seamed = Handshake(GetParam(), 1, 2);
  const Wire other_client = Handshake(GetParam(), 3, 2);
  const Wire other_server = Handshake(GetParam(), 1, 4);
  const Wire unseamed = Handshake(GetParam(), std::nullopt, std::nullopt);
  EXPECT_NE(seamed.client_to_server, other_client.client_to_server);
  // The server's first flight answers the ClientHello before anything else: only its own
  // generator can change it when the client's is the same.
  EXPECT_NE(seamed.server_to_client, other_server.server_to_client);
  EXPECT_EQ(FirstRecord(seamed.client_to_server), FirstRecord(other_server.client_to_server));
  EXPECT_NE(seamed.client_to_server, unseamed.client_to_server);
  EXPECT_NE(seamed.server_to_client, unseamed.server_to_client);
}

TEST_P(OpensslRandomSeamTest, ClientHelloRandomIsTheSeamsOutput) {
  std::shared_ptr<SeamStream> stream;
  const Wire wire = Handshake(GetParam(), 5, 6, &stream);
  // Record header (5), handshake header (4), legacy_version (2), then the 32-byte random.
  ASSERT_GE(wire.client_to_server.size(), 43u);
  ASSERT_EQ(wire.client_to_server[5], 1) << "not a ClientHello";
  const std::string random = wire.client_to_server.substr(11, 32);
  EXPECT_NE(stream->output.find(random), std::string::npos)
      << "ClientHello random " << absl::BytesToHexString(random) << " is not among the "
      << stream->output.size() << " bytes the seam produced";
}

INSTANTIATE_TEST_SUITE_P(
    Handshakes, OpensslRandomSeamTest,
    testing::Values(SeamCase{TlsVersion::kTls13, "ecdsa-p256", Group::kX25519},
                    SeamCase{TlsVersion::kTls13, "rsa2048", Group::kP256},
                    SeamCase{TlsVersion::kTls13, "ed25519", Group::kP384},
                    SeamCase{TlsVersion::kTls12, "ecdsa-p256", Group::kX25519},
                    SeamCase{TlsVersion::kTls12, "rsa2048", Group::kP256},
                    SeamCase{TlsVersion::kTls13, "mldsa44", Group::kX25519MlKem768},
                    SeamCase{TlsVersion::kTls13, "ecdsa-p384", Group::kMlKem768}),
    CaseName);

}  // namespace
}  // namespace mtls
