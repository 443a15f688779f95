// The handshake seeds this backend recorded replay to a completed, mutually authenticated
// handshake with the version, group and credentials their option byte selects, when the backend
// can be made deterministic: what makes recorded transcripts and crashes reproducible. Where it
// cannot, the test says why (its manifest's reason). Every option set the seeds cover that the
// build supports has its seeds.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "driver/side_under_test.h"
#include "mtls/backend.h"
#include "mtls/case_spec.h"

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
    ASSERT_FALSE(seed.empty()) << path.filename();
    const SideOutcome outcome =
        RunSideOnInput(side, reinterpret_cast<const uint8_t*>(seed.data()), seed.size());
    EXPECT_TRUE(outcome.completed && outcome.result.peer_verified)
        << path.filename() << ": " << outcome.error;
    // With what the option byte asked for (the credentials' proof: RunSideOnInput's oracle).
    const HandshakeOptions options = DecodeOptions(static_cast<uint8_t>(seed[0]));
    EXPECT_EQ(outcome.result.version, options.version) << path.filename();
    const bool key_exchange = options.credentials != CredentialKind::kSrpPassword &&
                              !(options.credentials == CredentialKind::kExternalPsk &&
                                options.psk_key_exchange == PskKeyExchange::kPskOnly);
    if (outcome.completed && key_exchange && RequireCapability("report:group").ok()) {
      EXPECT_EQ(outcome.result.group, options.group) << path.filename();
    }
  }
}

// Every option set the seeds cover has a seed for this build wherever its manifest supports it
// (mtls-fuzz-seeds records them; a build without any seeds is skipped above).
void ExpectSeedsForEverySupportedOption(const std::string& target) {
  const auto seeds = OwnSeeds(target);
  if (seeds.empty()) GTEST_SKIP() << "no " << target << " seeds recorded for this backend build";
  for (const HandshakeOptions& options : SeedOptions()) {
    if (!CheckSupported(options).ok()) continue;
    const std::string name = CurrentBackend().id + "-" + OptionsName(options);
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(MTLS_CORPORA_DIR) / target / name))
        << target << "/" << name << " is missing: run mtls-fuzz-seeds --handshakes";
  }
}

TEST(SeedReplayTest, ServerSeedsReplayToAVerifiedClient) {
  ExpectSeedsReplay(Role::kServer, "server_mtls");
}

TEST(SeedReplayTest, ClientSeedsReplayToAVerifiedServer) {
  ExpectSeedsReplay(Role::kClient, "client_mtls");
}

TEST(SeedReplayTest, EverySupportedOptionHasServerSeeds) {
  ExpectSeedsForEverySupportedOption("server_mtls");
}

TEST(SeedReplayTest, EverySupportedOptionHasClientSeeds) {
  ExpectSeedsForEverySupportedOption("client_mtls");
}

}  // namespace
}  // namespace mtls::fuzz
