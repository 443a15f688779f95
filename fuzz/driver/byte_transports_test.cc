#include "byte_transports.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mtls::fuzz {
namespace {

absl::Span<const uint8_t> Bytes(const std::string& text) {
  return absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

TEST(DatagramFeedTransportTest, ServesWhatItsWritesWouldRecord) {
  DatagramFeedTransport writer({});
  ASSERT_TRUE(writer.Write(Bytes("first")).ok());
  ASSERT_TRUE(writer.Write(Bytes("second datagram")).ok());
  EXPECT_EQ(writer.written().substr(0, 7), std::string("\0\5first", 7));

  DatagramFeedTransport reader(Bytes(writer.written()));
  uint8_t buffer[64];
  auto read = reader.Read(absl::MakeSpan(buffer));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), *read), "first");
  read = reader.Read(absl::MakeSpan(buffer));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), *read), "second datagram");
  EXPECT_FALSE(reader.Read(absl::MakeSpan(buffer)).ok());  // the end of the input
}

TEST(DatagramFeedTransportTest, EveryInputIsDatagrams) {
  // An empty datagram is skipped, a length beyond the input takes the rest.
  const std::string input("\0\0\0\x40tail", 8);
  DatagramFeedTransport reader(Bytes(input));
  uint8_t buffer[64];
  auto read = reader.Read(absl::MakeSpan(buffer));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), *read), "tail");
  // A datagram larger than the reader's buffer is an error, as UDP would truncate it.
  const std::string eight = std::string("\0\x08", 2) + "12345678";
  DatagramFeedTransport large(Bytes(eight));
  uint8_t small[4];
  EXPECT_FALSE(large.Read(absl::MakeSpan(small)).ok());
}

}  // namespace
}  // namespace mtls::fuzz
