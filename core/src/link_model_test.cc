#include "mtls/link_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace mtls {
namespace {

TEST(LinkModelTest, EachFlightCostsHalfARoundTripPlusSerialisation) {
  const LinkProfile link{"test", 8000, 100};  // 1 byte per ms, 50 ms one way
  const std::vector<Flight> flights = {
      {Role::kClient, 100}, {Role::kServer, 200}, {Role::kClient, 300}};
  EXPECT_DOUBLE_EQ(TimeToAuthenticateMs(link, flights, 0, 0), 3 * 50 + 600);
  // CPU adds serially, scaled by each side's slow-down.
  EXPECT_DOUBLE_EQ(TimeToAuthenticateMs(link, flights, 1000, 2000, 10, 1), 750 + 10 + 2);
}

TEST(LinkModelTest, FramedLinksPayPerFrameOverhead) {
  const LinkProfile link{"framed", 8000, 0, 100, 27};
  EXPECT_DOUBLE_EQ(WireBytes(link, 100), 127);
  EXPECT_DOUBLE_EQ(WireBytes(link, 101), 101 + 2 * 27);
  EXPECT_DOUBLE_EQ(WireBytes(link, 0), 0);
}

TEST(LinkModelTest, LoadsTheShippedProfiles) {
  auto profiles = LoadLinkProfiles(MTLS_LINK_PROFILES);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  std::vector<std::string> names;
  for (const LinkProfile& p : *profiles) names.push_back(p.name);
  for (const char* wanted : {"loopback", "lan", "wifi", "lte-m", "nb-iot", "6lowpan"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), wanted), names.end()) << wanted;
  }
}

TEST(LinkModelTest, RejectsMalformedProfileFiles) {
  const std::string path = testing::TempDir() + "/profiles.json";
  for (const char* text : {"not json", R"({"profiles": [{"name": "x"}]})",
                           R"({"profiles": [{"name": "x", "bandwidth_bps": 0, "rtt_ms": 1}]})",
                           // A frame size outside int's range (found by fuzz/link_profile).
                           R"({"profiles": [{"name": "x", "bandwidth_bps": 1, "rtt_ms": 1,
                                             "frame_payload_bytes": 3.3e38}]})"}) {
    std::ofstream(path) << text;
    EXPECT_FALSE(LoadLinkProfiles(path).ok()) << text;
  }
  EXPECT_FALSE(LoadLinkProfiles("/nonexistent.json").ok());
}

}  // namespace
}  // namespace mtls
