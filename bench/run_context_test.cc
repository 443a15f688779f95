#include "run_context.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace mtls::bench {
namespace {

TEST(WithMemberTest, AddsTheLastMemberAndKeepsTheRestByteForByte) {
  // Google Benchmark writes NaN for the cv of a counter that is always 0: not parsed, kept.
  const std::string written = "{\n  \"benchmarks\": [\n    {\"floor_us\": NaN}\n  ]\n}\n";
  EXPECT_EQ(WithMember(written, "description", {{"a", 1}}),
            "{\n  \"benchmarks\": [\n    {\"floor_us\": NaN}\n  ],\n  \"description\": "
            "{\"a\":1}\n}\n");
}

TEST(WithMemberTest, AnEmptyObjectGetsNoComma) {
  EXPECT_EQ(WithMember(" {  }\n", "k\"ey", 2), " {\n  \"k\\\"ey\": 2\n}\n");
}

TEST(WithMemberTest, TextThatIsNoObjectIsRefused) {
  EXPECT_EQ(WithMember("[1, 2]", "k", 1), std::nullopt);
  EXPECT_EQ(WithMember("{\"a\": 1", "k", 1), std::nullopt);
  EXPECT_EQ(WithMember("", "k", 1), std::nullopt);
}

// The file reporter end to end, without a run: Google Benchmark's object (context, benchmarks)
// followed by the description, as one valid JSON object.
TEST(FileReporterTest, WritesGoogleBenchmarksObjectThenTheDescription) {
  std::string out_flag = "--benchmark_out=unused.json";
  std::string program = "mtls-bench";
  std::vector<char*> argv = {program.data(), out_flag.data()};
  auto reporter = MakeFileReporter(static_cast<int>(argv.size()), argv.data());
  ASSERT_NE(reporter, nullptr);
  std::ostringstream file;
  reporter->SetOutputStream(&file);
  ASSERT_TRUE(reporter->ReportContext(benchmark::BenchmarkReporter::Context()));
  reporter->ReportRuns({});
  reporter->Finalize();

  const nlohmann::ordered_json written = nlohmann::ordered_json::parse(file.str());
  std::vector<std::string> keys;
  for (auto it = written.begin(); it != written.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"context", "benchmarks", "description"}));
  EXPECT_TRUE(written["benchmarks"].empty());
  EXPECT_TRUE(written["description"]["cases"].empty());
  EXPECT_FALSE(written["description"].contains("default_cases"));
  EXPECT_EQ(written["description"]["counters"], Describe()["counters"]);
}

TEST(FileReporterTest, OnlyForJsonFiles) {
  std::string program = "mtls-bench";
  std::string out_flag = "--benchmark_out=unused.csv";
  std::string csv = "--benchmark_out_format=csv";
  std::vector<char*> without_out = {program.data()};
  EXPECT_EQ(MakeFileReporter(1, without_out.data()), nullptr);
  std::vector<char*> as_csv = {program.data(), out_flag.data(), csv.data()};
  EXPECT_EQ(MakeFileReporter(3, as_csv.data()), nullptr);
}

}  // namespace
}  // namespace mtls::bench
