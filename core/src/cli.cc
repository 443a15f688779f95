#include "mtls/cli.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace mtls::cli {
namespace {
std::string program_name = "mtls";
}

void ParseFlagsOrDie(int argc, char** argv, absl::string_view usage) {
  if (argc > 0) {
    program_name = argv[0];
    if (const size_t slash = program_name.rfind('/'); slash != std::string::npos) {
      program_name = program_name.substr(slash + 1);
    }
  }
  absl::SetProgramUsageMessage(usage);
  // absl's --help lists only flags defined in a file named like the program; ours live in
  // <tool>_main.cc and shared files, so list every flag that is not absl's own.
  absl::FlagsUsageConfig config;
  config.contains_helpshort_flags = config.contains_help_flags = [](absl::string_view file) {
    return !absl::StrContains(file, "absl/");
  };
  config.normalize_filename = [](absl::string_view file) {  // relative to the source tree
    absl::string_view root = __FILE__;
    absl::ConsumeSuffix(&root, "core/src/cli.cc");
    absl::ConsumePrefix(&file, root);
    return std::string(file);
  };
  absl::SetFlagsUsageConfig(config);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1)
    Die(absl::StrCat("unexpected argument '", positional[1], "' (see --help)"));
}

void Die(const absl::Status& status, int exit_code) { Die(status.message(), exit_code); }

void Die(absl::string_view message, int exit_code) {
  // Keep it to one line whatever the library put in the message.
  const std::string line = absl::StrReplaceAll(message, {{"\n", " "}});
  std::fprintf(stderr, "%s: %s\n", program_name.c_str(), line.c_str());
  std::exit(exit_code);
}

}  // namespace mtls::cli
