#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "mtls/transport.h"

namespace mtls {
namespace {

std::vector<uint8_t> Bytes(size_t n, uint8_t value) { return std::vector<uint8_t>(n, value); }

TEST(MemoryDuplexTest, CountsBytesPerDirectionAndFlightsAsDirectionChanges) {
  MemoryDuplex duplex;
  ASSERT_EQ(*duplex.client_end().Write(Bytes(10, 1)), 10u);
  ASSERT_EQ(*duplex.client_end().Write(Bytes(4, 2)), 4u);  // same flight
  ASSERT_EQ(*duplex.server_end().Write(Bytes(7, 3)), 7u);
  ASSERT_EQ(*duplex.client_end().Write(Bytes(3, 4)), 3u);
  EXPECT_EQ(duplex.bytes_client_to_server(), 17u);
  EXPECT_EQ(duplex.bytes_server_to_client(), 7u);
  EXPECT_EQ(duplex.flights(), 3);
  ASSERT_EQ(duplex.flight_log().size(), 3u);
  EXPECT_EQ(duplex.flight_log()[0].sender, Role::kClient);
  EXPECT_EQ(duplex.flight_log()[0].bytes, 14u);
  EXPECT_EQ(duplex.flight_log()[1].sender, Role::kServer);
  EXPECT_EQ(duplex.flight_log()[1].bytes, 7u);
  EXPECT_EQ(duplex.flight_log()[2].bytes, 3u);
}

TEST(MemoryDuplexTest, EmptyWritesDoNotStartFlights) {
  MemoryDuplex duplex;
  ASSERT_EQ(*duplex.server_end().Write({}), 0u);
  EXPECT_EQ(duplex.flights(), 0);
}

TEST(MemoryDuplexTest, DeliversInOrderAcrossPartialReads) {
  MemoryDuplex duplex;
  const std::vector<uint8_t> sent = {1, 2, 3, 4, 5};
  ASSERT_TRUE(duplex.client_end().Write(sent).ok());
  uint8_t buffer[3];
  ASSERT_EQ(*duplex.server_end().Read(absl::MakeSpan(buffer)), 3u);
  EXPECT_EQ(buffer[0], 1);
  EXPECT_EQ(buffer[2], 3);
  ASSERT_EQ(*duplex.server_end().Read(absl::MakeSpan(buffer)), 2u);
  EXPECT_EQ(buffer[0], 4);
  EXPECT_EQ(buffer[1], 5);
}

TEST(MemoryDuplexTest, ReadWithNothingPendingReturnsZeroNotError) {
  MemoryDuplex duplex;
  uint8_t buffer[8];
  auto read = duplex.client_end().Read(absl::MakeSpan(buffer));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, 0u);
  // A side never reads its own writes.
  ASSERT_TRUE(duplex.client_end().Write(Bytes(2, 9)).ok());
  EXPECT_EQ(*duplex.client_end().Read(absl::MakeSpan(buffer)), 0u);
  EXPECT_EQ(duplex.pending_for_server(), 2u);
}

}  // namespace
}  // namespace mtls
