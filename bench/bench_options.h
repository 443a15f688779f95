// The benchmark binary's own flags (Google Benchmark's --benchmark_* flags are parsed first).
#pragma once

#include <string>
#include <vector>

namespace mtls::bench {

enum class Matrix { kDefault, kFull };

// Parses the project's flags from what Google Benchmark left in argv; exits on bad input.
void ParseBenchFlags(int argc, char** argv);
void PrintBenchFlagsHelp();

Matrix SelectedMatrix();
std::string LinkProfilesPath();
double ClientSlowdown();
double ServerSlowdown();
bool DescribeRequested();  // --describe
// --threads: the thread counts of the threads/ and harness-overhead/ suites, ascending; by
// default 1, 2, 4, ... up to the machine's cores, and the core count itself.
const std::vector<int>& ThreadCounts();

}  // namespace mtls::bench
