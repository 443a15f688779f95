// What mtls-bench writes about itself beyond Google Benchmark's own output: the JSON context every
// run carries (DESIGN: backend, backend_version, arch, cpu, compiler, build_type), and the
// description scripts read instead of parsing benchmark names (the fields of every case, the
// counters with their units and direction).
#pragma once

#include <benchmark/benchmark.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "handshake_case.h"
#include <nlohmann/json.hpp>

namespace mtls::bench {

std::string TargetArch();  // "x86_64", "aarch64", "armhf", "riscv64"
std::string CpuModel();    // from /proc/cpuinfo; "unknown" where it says nothing

// Adds the context fields to Google Benchmark's output.
void AddRunContext();

// The fields a case's name is made of, in name order: suite (the name's first part, e.g.
// "handshake" or "threads"), auth, scheme, depth, version, group, resumption, contexts.
nlohmann::ordered_json CaseFields(const HandshakeCase& c, absl::string_view suite);

// `mtls-bench --describe`: schemes, groups, versions, counters (unit, lower or higher is better,
// whether they depend on the clock), the case-name fields in order, and every case of the full
// matrix and the primitive suite with its fields.
nlohmann::ordered_json Describe();

// `object_json`, the text of a JSON object, with `"key": value` added as its last member. Only its
// braces are read, so the rest stays byte for byte as its writer made it (Google Benchmark writes
// NaN for some aggregates, e.g. the cv of a counter that is 0, which JSON parsers refuse). Null
// when the text is not an object.
std::optional<std::string> WithMember(absl::string_view object_json, absl::string_view key,
                                      const nlohmann::ordered_json& value);

// For --benchmark_out in JSON (the default format): a reporter that writes Google Benchmark's JSON
// plus a top-level "description" object (Describe(), its cases those of the rows), leaving the
// console as it is. Null for other formats or without --benchmark_out. Reads argv before
// benchmark::Initialize consumes the flags.
std::unique_ptr<benchmark::BenchmarkReporter> MakeFileReporter(int argc, char** argv);

}  // namespace mtls::bench
