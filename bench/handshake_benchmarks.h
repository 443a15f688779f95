// Registration of the benchmark suites with Google Benchmark (called from main), and what the
// suites write: the counters and the primitive cases (for mtls-bench --describe).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "handshake_case.h"
#include "mtls/link_model.h"

namespace mtls::bench {

void RegisterHandshakeBenchmarks();  // handshake/...: the matrix (handshake_bench.cc)
void RegisterPrimitiveBenchmarks();  // primitive/...: the public-key floor (primitive_bench.cc)
void RegisterThreadBenchmarks();     // threads/...: scaling (thread_bench.cc)
void RegisterHarnessOverheadBenchmarks();  // harness-overhead/...: against the bare loop
void RegisterDatagramLinkBenchmarks();     // dtls-link/...: DTLS on the link profiles
// The link profiles (bench/link_profiles.json, --link_profiles); exits 2 on a bad file.
const std::vector<LinkProfile>& LinkProfiles();

inline constexpr absl::string_view kDatagramLinkSuite = "dtls-link";

// A DTLS case on one link profile at one loss rate (datagram_link_bench.cc).
struct DatagramLinkCase {
  HandshakeCase handshake;
  LinkProfile link;
  int loss_percent = 0;
  // The handshake's fields (suite dtls-link), then link and loss_percent.
  std::vector<NamePart> NameParts() const;
  // dtls-link/<the handshake case's fields>/<link>/loss-<percent>pct
  std::string Name() const;
};
// The mutual DTLS cases with certificates or the external PSK with (EC)DHE, on every link
// profile, with 0, 1 and 5 % loss.
std::vector<DatagramLinkCase> DatagramLinkCases();
// The cases of the threads/ and harness-overhead/ suites (before the backend's support is known).
std::vector<HandshakeCase> ThreadCases();
std::vector<HandshakeCase> HarnessOverheadCases();
// Runs handshakes for a moment so the first benchmark does not pay for warming the machine up.
void WarmUp();

// Every counter a results row can carry (the suites', Google Benchmark's and those the scripts
// add): name, unit, "better" (lower or higher), clock (depends on the machine's speed), source
// and a description.
nlohmann::ordered_json CounterDescriptions();

// The primitive suite's benchmark names with their fields (suite, operation, scheme or group).
std::vector<std::pair<std::string, nlohmann::ordered_json>> PrimitiveCases();

}  // namespace mtls::bench
