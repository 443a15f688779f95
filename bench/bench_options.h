// The benchmark binary's own flags (Google Benchmark's --benchmark_* flags are parsed first).
#pragma once

#include <string>

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

}  // namespace mtls::bench
