// The manifest of the backend this tree is built with: well-formed and complete.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "absl/strings/match.h"
#include "mtls/backend.h"

namespace mtls {
namespace {

TEST(CapabilityTest, EveryKnownFeatureHasOneRow) {
  for (const std::string& feature : KnownFeatures()) {
    const auto& manifest = CapabilityManifest();
    EXPECT_EQ(std::count_if(manifest.begin(), manifest.end(),
                            [&](const Capability& row) { return row.feature == feature; }),
              1)
        << feature;
  }
}

TEST(CapabilityTest, RowsAreKnownFeaturesOrDeviationsAndEveryNoSaysWhy) {
  for (const Capability& row : CapabilityManifest()) {
    const auto& known = KnownFeatures();
    const bool is_known = std::find(known.begin(), known.end(), row.feature) != known.end();
    EXPECT_TRUE(is_known || absl::StartsWith(row.feature, "deviation:") ||
                absl::StartsWith(row.feature, "finding:"))
        << row.feature;
    if (!row.supported) {
      EXPECT_FALSE(row.reason.empty()) << row.feature;
    }
  }
}

// An empty cell must be the library's limitation: a reason that describes unfinished adapter work
// ("not wired up", "not mapped yet") is a gap to close, not a manifest row.
TEST(CapabilityTest, NoReasonIsTheAdaptersOwnGap) {
  const std::regex adapter_gap(
      R"(\b(yet|not wired|left out|not mapped|not written|until understood)\b)", std::regex::icase);
  for (const Capability& row : CapabilityManifest()) {
    EXPECT_FALSE(std::regex_search(row.reason, adapter_gap)) << row.feature << ": " << row.reason;
  }
}

TEST(CapabilityTest, RequireCapabilityAnswersWithTheReason) {
  for (const Capability& row : CapabilityManifest()) {
    const absl::Status status = RequireCapability(row.feature);
    EXPECT_EQ(status.ok(), row.supported) << row.feature;
    if (!row.supported) {
      EXPECT_TRUE(absl::StrContains(status.message(), row.reason));
    }
  }
  EXPECT_EQ(RequireCapability("no-such-feature").code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace mtls
