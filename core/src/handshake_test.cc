// The in-memory driver against the backend this tree is built with.
#include "mtls/handshake.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/cpu_time.h"
#include "mtls/heap_accounting.h"
#include "mtls/pki_catalog.h"
#include "mtls/side_observer.h"
#include "mtls/status.h"

namespace mtls {

// Readable parameters in test listings.
void PrintTo(TlsVersion version, std::ostream* os) { *os << TlsVersionName(version); }
void PrintTo(Resumption resumption, std::ostream* os) { *os << ResumptionName(resumption); }

namespace {

EndpointConfig Endpoint(Role role, TlsVersion version, Resumption resumption,
                        absl::string_view scheme = "ecdsa-p256") {
  EndpointConfig config;
  config.role = role;
  config.min_version = config.max_version = version;
  config.resumption = resumption;
  config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), scheme);
  config.credentials = *LoadLeafCredentials(DefaultPkiDir(), scheme, role, 2);
  if (role == Role::kClient) config.expected_peer_name = "server.mtls.test";
  return config;
}

struct Pair {
  std::unique_ptr<Context> client;
  std::unique_ptr<Context> server;
  HandshakeOutcome Run() { return RunInMemoryHandshake(*client, *server); }
};

Pair MakePair(const EndpointConfig& client, const EndpointConfig& server) {
  auto client_context = CreateContext(client);
  auto server_context = CreateContext(server);
  EXPECT_TRUE(client_context.ok()) << client_context.status();
  EXPECT_TRUE(server_context.ok()) << server_context.status();
  return {*std::move(client_context), *std::move(server_context)};
}

// The newest TLS version this build's backend speaks.
TlsVersion Newest() {
  return RequireCapability("tls1.3").ok() ? TlsVersion::kTls13 : TlsVersion::kTls12;
}

Pair MakePair(TlsVersion version, Resumption resumption) {
  return MakePair(Endpoint(Role::kClient, version, resumption),
                  Endpoint(Role::kServer, version, resumption));
}

// What an instruction counter sees: every piece of a side's work between a switch to that side
// and a switch back to neither, both sides taking turns, nothing left attributed at the end.
class RecordingObserver : public SideObserver {
 public:
  void Switch(CountedSide side) override { switches.push_back(side); }
  std::vector<CountedSide> switches;
};

TEST(HandshakeTest, MarksEachSidesWorkForInstructionCounters) {
  Pair pair = MakePair(Newest(), Resumption::kOff);
  RecordingObserver observer;
  SetSideObserver(&observer);
  const HandshakeOutcome outcome = pair.Run();
  SetSideObserver(nullptr);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();

  const std::vector<CountedSide>& seen = observer.switches;
  ASSERT_GE(seen.size(), 8u);  // open, steps and close of both sides
  ASSERT_EQ(seen.size() % 2, 0u);
  int client_spans = 0;
  int server_spans = 0;
  for (size_t i = 0; i < seen.size(); i += 2) {
    EXPECT_NE(seen[i], CountedSide::kNone) << "switch " << i;
    EXPECT_EQ(seen[i + 1], CountedSide::kNone) << "switch " << i + 1;
    (seen[i] == CountedSide::kClient ? client_spans : server_spans)++;
  }
  EXPECT_GE(client_spans, 3);
  EXPECT_GE(server_spans, 3);
  EXPECT_EQ(seen.front(), CountedSide::kClient);  // the client opens and speaks first
}

TEST(HandshakeTest, FullTls13HandshakeReportsIdentitiesAndPerSideCounters) {
  if (absl::Status supported = RequireCapability("tls1.3"); !supported.ok()) {
    GTEST_SKIP() << supported.message();
  }
  Pair pair = MakePair(TlsVersion::kTls13, Resumption::kOff);
  const HandshakeOutcome outcome = pair.Run();
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  EXPECT_FALSE(outcome.client.resumed);
  EXPECT_TRUE(absl::StrContains(outcome.client.peer->subject, "CN=server.mtls.test"))
      << outcome.client.peer->subject;
  ASSERT_EQ(outcome.server.peer->uris.size(), 1u);
  EXPECT_EQ(outcome.server.peer->uris[0], "urn:mtls:device:0001");
  EXPECT_FALSE(outcome.client.cipher.empty());
  EXPECT_GT(outcome.metrics.client_cpu_us, 0);
  EXPECT_GT(outcome.metrics.server_cpu_us, 0);
  EXPECT_GT(outcome.metrics.bytes_c2s, 500u);  // certificate chain + CertificateVerify
  EXPECT_GT(outcome.metrics.bytes_s2c, 500u);
  EXPECT_EQ(outcome.metrics.flights, 3);  // 1-RTT: hello, server flight, client flight
}

// The sides' CPU time comes from two readings of the thread's clock per handshake, split by
// turns: what they get together cannot exceed what the thread spent.
TEST(HandshakeTest, PerSideCpuAddsUpToNoMoreThanTheThreadSpent) {
  Pair pair = MakePair(Newest(), Resumption::kOff);
  const double before = ThreadCpuMicros();
  const HandshakeOutcome outcome = pair.Run();
  const double spent = ThreadCpuMicros() - before;
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  EXPECT_GT(outcome.metrics.client_cpu_us, 0);
  EXPECT_GT(outcome.metrics.server_cpu_us, 0);
  EXPECT_LE(outcome.metrics.client_cpu_us + outcome.metrics.server_cpu_us, spent);
}

// Burns `us` microseconds of this thread's CPU time.
void Spin(double us) {
  const double start = ThreadCpuMicros();
  while (ThreadCpuMicros() - start < us) {
  }
}

TEST(CpuTimeSplitterTest, ChargesEachTurnToItsAccountOnFinishAndNobodysToNone) {
  double first = 0;
  double second = 0;
  CpuTimeSplitter splitter;
  const double before = ThreadCpuMicros();
  splitter.ChargeTo(&first);
  Spin(2000);
  splitter.ChargeTo(nullptr);
  Spin(2000);
  splitter.ChargeTo(&second);
  Spin(2000);
  splitter.ChargeTo(&first);
  Spin(2000);
  EXPECT_EQ(first, 0);  // nothing before the span ends
  splitter.Finish();
  const double spent = ThreadCpuMicros() - before;
  EXPECT_GT(first, 0);
  EXPECT_GT(second, 0);
  EXPECT_LT(first + second, spent);  // the turn charged to nobody is in `spent` only

  const double first_after_span = first;
  splitter.Finish();  // no span: nothing more
  EXPECT_EQ(first, first_after_span);
}

TEST(HandshakeTest, HeapAccountingAttributesMemoryToEachSide) {
  if (heap::kSanitizerOwnsAllocator) GTEST_SKIP() << "a sanitizer owns the allocator";
  ASSERT_TRUE(heap::Available()) << "this test binary links the allocator interposer";
  Pair pair = MakePair(Newest(), Resumption::kOff);
  pair.Run();  // warm-up: lazily initialised library state is not a connection's cost
  heap::SetEnabled(true);
  const HandshakeOutcome outcome = pair.Run();
  heap::SetEnabled(false);
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  for (const SideHeap* side : {&outcome.metrics.client_heap, &outcome.metrics.server_heap}) {
    EXPECT_GT(side->allocs, 10u);
    EXPECT_GT(side->peak, 4096);  // record buffers alone are larger
    EXPECT_GT(side->retained, 0);
    EXPECT_LE(side->retained, side->peak);
  }
  // Disabled accounting reports nothing.
  const HandshakeOutcome unmeasured = pair.Run();
  EXPECT_EQ(unmeasured.metrics.client_heap.allocs, 0u);
}

TEST(HandshakeTest, FlightLogAlternatesSendersAndAddsUpToTheByteCounts) {
  Pair pair = MakePair(Newest(), Resumption::kOff);
  const HandshakeOutcome outcome = pair.Run();
  ASSERT_EQ(outcome.metrics.flight_log.size(), Newest() == TlsVersion::kTls13 ? 3u : 4u);
  uint64_t c2s = 0;
  uint64_t s2c = 0;
  Role expected = Role::kClient;
  for (const Flight& flight : outcome.metrics.flight_log) {
    EXPECT_EQ(flight.sender, expected);
    (flight.sender == Role::kClient ? c2s : s2c) += flight.bytes;
    expected = expected == Role::kClient ? Role::kServer : Role::kClient;
  }
  EXPECT_EQ(c2s, outcome.metrics.bytes_c2s);
  EXPECT_EQ(s2c, outcome.metrics.bytes_s2c);
}

TEST(HandshakeTest, FullTls12HandshakeTakesFourFlights) {
  Pair pair = MakePair(TlsVersion::kTls12, Resumption::kOff);
  const HandshakeOutcome outcome = pair.Run();
  ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
  EXPECT_EQ(outcome.metrics.flights, 4);
}

class ResumptionTest : public testing::TestWithParam<std::tuple<TlsVersion, Resumption>> {};

TEST_P(ResumptionTest, SecondHandshakeResumesAndStillCountsAsMutual) {
  const auto [version, resumption] = GetParam();
  for (const std::string& feature :
       {absl::StrCat("resumption:", ResumptionName(resumption)),
        std::string(version == TlsVersion::kTls12 ? "tls1.2" : "tls1.3")}) {
    if (absl::Status supported = RequireCapability(feature); !supported.ok()) {
      GTEST_SKIP() << supported.message();
    }
  }
  Pair pair = MakePair(version, resumption);
  const HandshakeOutcome first = pair.Run();
  ASSERT_TRUE(first.MutuallyAuthenticated()) << first.Describe();
  EXPECT_FALSE(first.client.resumed);
  for (int i = 0; i < 3; ++i) {  // TLS 1.3 tickets are single use: each handshake renews one
    const HandshakeOutcome again = pair.Run();
    ASSERT_TRUE(again.MutuallyAuthenticated()) << again.Describe();
    EXPECT_TRUE(again.client.resumed) << "handshake " << i + 2;
    EXPECT_TRUE(again.server.resumed) << "handshake " << i + 2;
    // The server sends no certificate chain. (Client bytes may grow: a stateless ticket can carry
    // the client's own chain back, as BoringSSL's do.)
    EXPECT_LT(again.metrics.bytes_s2c, first.metrics.bytes_s2c);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, ResumptionTest,
                         testing::Values(std::make_tuple(TlsVersion::kTls12, Resumption::kTickets),
                                         std::make_tuple(TlsVersion::kTls13, Resumption::kTickets),
                                         std::make_tuple(TlsVersion::kTls12,
                                                         Resumption::kSessionIds)),
                         [](const testing::TestParamInfo<ResumptionTest::ParamType>& param_info) {
                           std::string name =
                               absl::StrCat(TlsVersionName(std::get<0>(param_info.param)), "_",
                                            ResumptionName(std::get<1>(param_info.param)));
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(HandshakeTest, WithResumptionOffNoHandshakeResumes) {
  Pair pair = MakePair(Newest(), Resumption::kOff);
  ASSERT_TRUE(pair.Run().MutuallyAuthenticated());
  const HandshakeOutcome again = pair.Run();
  ASSERT_TRUE(again.MutuallyAuthenticated()) << again.Describe();
  EXPECT_FALSE(again.client.resumed);
}

TEST(HandshakeTest, FixedClockSeamDecidesCertificateValidity) {
  if (absl::Status supported = RequireCapability("seam:fixed-clock"); !supported.ok()) {
    GTEST_SKIP() << supported.message();
  }
  EndpointConfig client = Endpoint(Role::kClient, Newest(), Resumption::kOff);
  client.credentials = *LoadCredentials(DefaultPkiDir() + "/invalid/client-expired.crt",
                                        DefaultPkiDir() + "/invalid/client-expired.key");
  EndpointConfig server = Endpoint(Role::kServer, Newest(), Resumption::kOff);
  // 2020-07-01: inside the expired client cert's validity (the client keeps the real clock,
  // the rest of the test PKI starts in 2024).
  server.seams.fixed_unix_time = 1593561600;
  Pair pair = MakePair(client, server);
  const HandshakeOutcome outcome = pair.Run();
  EXPECT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
}

TEST(HandshakeTest, RandomSeamIsHonouredOrRefusedWithTheManifestReason) {
  EndpointConfig config = Endpoint(Role::kClient, Newest(), Resumption::kOff);
  config.seams.random = [](absl::Span<uint8_t> out) { std::fill(out.begin(), out.end(), 7); };
  auto context = CreateContext(config);
  const std::optional<Capability> capability = FindCapability("seam:random");
  ASSERT_TRUE(capability.has_value());
  if (capability->supported) {
    EXPECT_TRUE(context.ok()) << context.status();
  } else {
    EXPECT_EQ(ErrorClassOf(context.status()), ErrorClass::kUnsupported);
    EXPECT_TRUE(absl::StrContains(context.status().message(), capability->reason));
  }
}

TEST(HandshakeTest, GarbledCertificateDerIsBadInputNamingTheCertificate) {
  EndpointConfig config = Endpoint(Role::kServer, Newest(), Resumption::kOff);
  config.credentials->chain_der[1] = std::string("\x30\x03\x02\x01\x05", 5);  // DER, not X.509
  auto context = CreateContext(config);
  EXPECT_EQ(ErrorClassOf(context.status()), ErrorClass::kBadInput);
  EXPECT_TRUE(absl::StrContains(context.status().message(), "certificate 2")) << context.status();
}

TEST(HandshakeTest, GarbledKeyDerIsBadInput) {
  EndpointConfig config = Endpoint(Role::kServer, Newest(), Resumption::kOff);
  config.credentials->key_der = std::string("\x30\x03\x02\x01\x05", 5);
  auto context = CreateContext(config);
  EXPECT_EQ(ErrorClassOf(context.status()), ErrorClass::kBadInput) << context.status();
}

TEST(HandshakeTest, BackendNamesItself) {
  const BackendInfo info = CurrentBackend();
  EXPECT_FALSE(info.name.empty());
  EXPECT_FALSE(info.version.empty());
  EXPECT_TRUE(absl::StartsWith(info.id, info.name + "-")) << info.id;
  EXPECT_EQ(info.id, MTLS_BACKEND_ID);  // the build tree's name, library configuration included
}

}  // namespace
}  // namespace mtls
