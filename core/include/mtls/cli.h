// What every command-line tool of the project shares: flag parsing with a usage line, and
// one-line errors with a non-zero exit.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mtls::cli {

// Parses Abseil flags (unknown flags already exit with a one-line error); positional arguments
// are refused.
void ParseFlagsOrDie(int argc, char** argv, absl::string_view usage);

// Prints "<program>: <message>" on one line to stderr and exits with `exit_code`.
[[noreturn]] void Die(const absl::Status& status, int exit_code = 2);
[[noreturn]] void Die(absl::string_view message, int exit_code = 2);

}  // namespace mtls::cli
