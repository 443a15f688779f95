#include "mtls/datagram_link.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace mtls {
namespace {

std::vector<uint8_t> Datagram(size_t n, uint8_t value) { return std::vector<uint8_t>(n, value); }

// The first byte of every datagram the receiving end can read now.
std::vector<uint8_t> ReadAll(DatagramTransport& end) {
  std::vector<uint8_t> firsts;
  uint8_t buffer[2048];
  for (;;) {
    absl::StatusOr<size_t> n = end.Read(absl::MakeSpan(buffer));
    EXPECT_TRUE(n.ok()) << n.status();
    if (!n.ok() || *n == 0) return firsts;
    firsts.push_back(buffer[0]);
  }
}

TEST(DatagramLinkTest, KeepsDatagramBoundariesAndCountsPerDirection) {
  DatagramLink link({});
  ASSERT_TRUE(link.client_end().Write(Datagram(100, 1)).ok());
  ASSERT_TRUE(link.client_end().Write(Datagram(50, 2)).ok());
  ASSERT_TRUE(link.server_end().Write(Datagram(70, 3)).ok());
  uint8_t buffer[2048];
  EXPECT_EQ(*link.server_end().Read(absl::MakeSpan(buffer)), 100u);
  EXPECT_EQ(*link.server_end().Read(absl::MakeSpan(buffer)), 50u);
  EXPECT_EQ(*link.server_end().Read(absl::MakeSpan(buffer)), 0u);
  EXPECT_EQ(*link.client_end().Read(absl::MakeSpan(buffer)), 70u);
  EXPECT_EQ(link.counters(Role::kClient).datagrams, 2u);
  EXPECT_EQ(link.counters(Role::kClient).bytes, 150u);
  EXPECT_EQ(link.counters(Role::kClient).largest, 100u);
  EXPECT_EQ(link.counters(Role::kServer).datagrams, 1u);
  ASSERT_EQ(link.flight_log().size(), 2u);
  EXPECT_EQ(link.flight_log()[0].bytes, 150u);
}

TEST(DatagramLinkTest, KeepsCopiesOfWhatWasSentWhenAsked) {
  DatagramLinkOptions options;
  options.keep_datagrams = true;
  options.loss.drop[0] = {1};
  DatagramLink link(options);
  ASSERT_TRUE(link.client_end().Write(Datagram(3, 5)).ok());
  ASSERT_EQ(link.sent(Role::kClient).size(), 1u);  // lost, but it was sent
  EXPECT_EQ(link.sent(Role::kClient)[0], Datagram(3, 5));
  EXPECT_TRUE(link.sent(Role::kServer).empty());
}

TEST(DatagramLinkTest, RejectsDatagramsAboveTheMtuAndReadsThatWouldTruncate) {
  DatagramLinkOptions options;
  options.mtu = 300;
  DatagramLink link(options);
  EXPECT_FALSE(link.client_end().Write(Datagram(301, 1)).ok());
  ASSERT_TRUE(link.client_end().Write(Datagram(300, 1)).ok());
  uint8_t small[200];
  EXPECT_FALSE(link.server_end().Read(absl::MakeSpan(small)).ok());
}

TEST(DatagramLinkTest, DropsTheListedOrdinalsPerDirection) {
  DatagramLinkOptions options;
  options.loss.drop[0] = {2};
  DatagramLink link(options);
  for (uint8_t i = 1; i <= 3; ++i) ASSERT_TRUE(link.client_end().Write(Datagram(10, i)).ok());
  ASSERT_TRUE(link.server_end().Write(Datagram(10, 9)).ok());
  EXPECT_EQ(ReadAll(link.server_end()), (std::vector<uint8_t>{1, 3}));
  EXPECT_EQ(ReadAll(link.client_end()), (std::vector<uint8_t>{9}));
  EXPECT_EQ(link.counters(Role::kClient).lost, 1u);
  EXPECT_EQ(link.counters(Role::kClient).datagrams, 3u);  // the lost one was sent
}

TEST(DatagramLinkTest, HeldBackDatagramArrivesAfterTheNextOne) {
  DatagramLinkOptions options;
  options.loss.hold_back[1] = {1};
  DatagramLink link(options);
  ASSERT_TRUE(link.server_end().Write(Datagram(10, 1)).ok());
  EXPECT_EQ(link.in_flight(Role::kClient), 1u);
  EXPECT_TRUE(ReadAll(link.client_end()).empty());  // held until something overtakes it
  ASSERT_TRUE(link.server_end().Write(Datagram(10, 2)).ok());
  EXPECT_EQ(ReadAll(link.client_end()), (std::vector<uint8_t>{2, 1}));
}

TEST(DatagramLinkTest, HeldBackDatagramWithNothingBehindItIsReleasedOnRequest) {
  DatagramLinkOptions options;
  options.loss.hold_back[0] = {1};
  DatagramLink link(options);
  ASSERT_TRUE(link.client_end().Write(Datagram(10, 7)).ok());
  EXPECT_FALSE(link.NextArrivalUs().has_value());
  link.ReleaseHeldBack();
  EXPECT_EQ(ReadAll(link.server_end()), (std::vector<uint8_t>{7}));
}

TEST(DatagramLinkTest, DuplicatesAndFlightStartsAreAsAsked) {
  DatagramLinkOptions options;
  options.loss.duplicate[0] = {1};
  options.loss.drop_flight_start = {2};
  DatagramLink link(options);
  ASSERT_TRUE(link.client_end().Write(Datagram(10, 1)).ok());  // flight 1, delivered twice
  ASSERT_TRUE(link.server_end().Write(Datagram(10, 2)).ok());  // flight 2 starts: lost
  ASSERT_TRUE(link.server_end().Write(Datagram(10, 3)).ok());  // the rest of flight 2 arrives
  EXPECT_EQ(ReadAll(link.server_end()), (std::vector<uint8_t>{1, 1}));
  EXPECT_EQ(ReadAll(link.client_end()), (std::vector<uint8_t>{3}));
  EXPECT_EQ(link.counters(Role::kServer).lost, 1u);
  EXPECT_EQ(link.counters(Role::kClient).datagrams, 1u);  // a duplicate is not a second send
}

TEST(DatagramLinkTest, RandomLossRepeatsForTheSameSeedAndFollowsTheRate) {
  auto lost = [](uint64_t seed) {
    DatagramLinkOptions options;
    options.loss.loss_rate = 0.25;
    options.loss.seed = seed;
    DatagramLink link(options);
    for (int i = 0; i < 4000; ++i) EXPECT_TRUE(link.client_end().Write(Datagram(1, 0)).ok());
    return link.counters(Role::kClient).lost;
  };
  EXPECT_EQ(lost(7), lost(7));
  EXPECT_NE(lost(7), lost(8));
  EXPECT_NEAR(static_cast<double>(lost(7)) / 4000, 0.25, 0.03);
}

TEST(DatagramLinkTest, DatagramsArriveAfterTransmissionAndHalfARoundTrip) {
  DatagramLinkOptions options;
  options.profile = LinkProfile{"test", /*bandwidth_bps=*/80'000, /*rtt_ms=*/100, 0, 0};
  DatagramLink link(options);
  ASSERT_TRUE(link.client_end().Write(Datagram(1000, 1)).ok());  // 100 ms on the wire
  ASSERT_TRUE(link.client_end().Write(Datagram(1000, 2)).ok());  // queued behind it
  ASSERT_EQ(link.NextArrivalUs(), 150'000);
  link.AdvanceTo(149'999);
  EXPECT_TRUE(ReadAll(link.server_end()).empty());
  link.AdvanceTo(150'000);
  EXPECT_EQ(ReadAll(link.server_end()), (std::vector<uint8_t>{1}));
  EXPECT_EQ(link.NextArrivalUs(), 250'000);
  link.AdvanceTo(100);  // never backwards
  EXPECT_EQ(link.NowUs(), 150'000);
}

TEST(DatagramLinkTest, AfterARebindingTheServerTakesOnlyRecordsWithItsConnectionId) {
  DatagramLink link({});
  // A DTLS 1.3 record carrying the identifier "id" (unified header, C bit set), and one without.
  const std::vector<uint8_t> with_cid = {0x3f, 'i', 'd', 0, 1, 0, 1, 0xaa};
  const std::vector<uint8_t> without_cid = {0x2f, 0, 1, 0, 1, 0xbb};
  ASSERT_TRUE(link.client_end().Write(without_cid).ok());
  EXPECT_EQ(ReadAll(link.server_end()), std::vector<uint8_t>{0x2f});  // before: all the peer's
  link.server_route().AcceptConnectionId({'i', 'd'});
  link.RebindClient();
  ASSERT_TRUE(link.client_end().Write(without_cid).ok());
  ASSERT_TRUE(link.client_end().Write(with_cid).ok());
  EXPECT_EQ(ReadAll(link.server_end()), std::vector<uint8_t>{0x3f});  // only by the identifier
  EXPECT_EQ(link.counters(Role::kClient).delivered, 2u);
  // The server still answers the old address, which nobody has now, until it follows the client.
  ASSERT_TRUE(link.server_end().Write(Datagram(10, 4)).ok());
  EXPECT_EQ(link.counters(Role::kServer).lost, 1u);
  EXPECT_TRUE(ReadAll(link.client_end()).empty());
  EXPECT_TRUE(link.server_route().AdoptRoutedSender());
  ASSERT_TRUE(link.server_end().Write(Datagram(10, 5)).ok());
  EXPECT_EQ(ReadAll(link.client_end()), std::vector<uint8_t>{5});
}

TEST(DatagramLinkTest, ValidateNamesWhatIsWrong) {
  DatagramLinkOptions options;
  EXPECT_TRUE(Validate(options).ok());
  options.mtu = kMinDatagramMtu - 1;
  EXPECT_NE(Validate(options).message().find("below the minimum"), std::string::npos);
  options = {};
  options.loss.loss_rate = 1;
  EXPECT_FALSE(Validate(options).ok());
  options = {};
  options.loss.drop[1] = {0};
  EXPECT_FALSE(Validate(options).ok());
}

}  // namespace
}  // namespace mtls
