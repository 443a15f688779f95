// The handshake seeds this backend recorded replay to a completed, mutually verified handshake
// when the backend can be made deterministic: what makes recorded transcripts and crashes
// reproducible. Where it cannot, the test says why (its manifest's reason).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "driver/side_under_test.h"
#include "mtls/backend.h"

#ifndef MTLS_CORPORA_DIR
#error "the build defines MTLS_CORPORA_DIR"
#endif

namespace mtls::fuzz {
namespace {

std::vector<std::filesystem::path> OwnSeeds(const std::string& target) {
  std::vector<std::filesystem::path> seeds;
  const std::string prefix = CurrentBackend().id + "-";
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(MTLS_CORPORA_DIR) / target)) {
    if (absl::StartsWith(entry.path().filename().string(), prefix)) seeds.push_back(entry.path());
  }
  return seeds;
}

void ExpectSeedsReplay(Role side, const std::string& target) {
  if (absl::Status deterministic = RequireCapability("seam:process-random"); !deterministic.ok()) {
    GTEST_SKIP() << "not deterministic: " << deterministic.message();
  }
  const auto seeds = OwnSeeds(target);
  if (seeds.empty()) GTEST_SKIP() << "no " << target << " seeds recorded for this backend build";
  for (const auto& path : seeds) {
    std::ifstream in(path, std::ios::binary);
    const std::string seed((std::istreambuf_iterator<char>(in)), {});
    const SideOutcome outcome =
        RunSideOnInput(side, reinterpret_cast<const uint8_t*>(seed.data()), seed.size());
    EXPECT_TRUE(outcome.completed && outcome.result.peer_verified)
        << path.filename() << ": " << outcome.error;
  }
}

TEST(SeedReplayTest, ServerSeedsReplayToAVerifiedClient) {
  ExpectSeedsReplay(Role::kServer, "server_mtls");
}

TEST(SeedReplayTest, ClientSeedsReplayToAVerifiedServer) {
  ExpectSeedsReplay(Role::kClient, "client_mtls");
}

}  // namespace
}  // namespace mtls::fuzz
