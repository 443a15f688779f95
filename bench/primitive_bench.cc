#include <benchmark/benchmark.h>

#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/cpu_time.h"
#include "mtls/pki_catalog.h"
#include "mtls/primitives.h"
#include "handshake_benchmarks.h"
#include "primitive_costs.h"

namespace mtls::bench {
namespace {

constexpr Group kGroups[] = {Group::kX25519, Group::kP256, Group::kP384};

absl::StatusOr<std::unique_ptr<SignatureOperation>> SignatureFor(const std::string& scheme) {
  auto credentials = LoadLeafCredentials(DefaultPkiDir(), scheme, Role::kServer, 1);
  if (!credentials.ok()) return credentials.status();
  return MakeSignatureOperation(*credentials);
}

// Mean thread-CPU microseconds of `operation`, run until ~20 ms have been spent.
absl::StatusOr<double> TimeOperation(const std::function<absl::Status()>& operation) {
  const double start = ThreadCpuMicros();
  int runs = 0;
  do {
    if (absl::Status status = operation(); !status.ok()) return status;
    ++runs;
  } while (ThreadCpuMicros() - start < 20000 || runs < 5);
  return (ThreadCpuMicros() - start) / runs;
}

// Runs `operation` as a benchmark, stopping with its error if it fails.
void RunPrimitive(benchmark::State& state, const std::function<absl::Status()>& operation) {
  for (auto _ : state) {
    if (absl::Status status = operation(); !status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

absl::StatusOr<PrimitiveCosts> MeasuredCosts(const std::string& scheme, Group group) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, Group>, PrimitiveCosts> cache;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto found = cache.find({scheme, group}); found != cache.end()) return found->second;

  auto signature = SignatureFor(scheme);
  if (!signature.ok()) return signature.status();
  auto exchange = MakeKeyExchangeOperation(group);
  if (!exchange.ok()) return exchange.status();
  PrimitiveCosts costs;
  auto sign_us = TimeOperation([&] { return (*signature)->Sign(); });
  auto verify_us = TimeOperation([&] { return (*signature)->Verify(); });
  auto exchange_us = TimeOperation([&] { return (*exchange)->GenerateAndDerive(); });
  for (const auto* measured : {&sign_us, &verify_us, &exchange_us}) {
    if (!measured->ok()) return measured->status();
  }
  costs.sign_us = *sign_us;
  costs.verify_us = *verify_us;
  costs.key_exchange_us = *exchange_us;
  cache[{scheme, group}] = costs;
  return costs;
}

namespace {

// One benchmark of the suite: "sign" or "verify" with a scheme's key, or "key-exchange" in a group.
struct PrimitiveCase {
  std::string operation;
  std::string scheme;            // sign and verify
  Group group = Group::kX25519;  // key-exchange

  std::string Subject() const {
    return operation == "key-exchange" ? std::string(GroupName(group)) : scheme;
  }
  std::string Name() const { return absl::StrCat("primitive/", operation, "/", Subject()); }
  nlohmann::ordered_json Fields() const {
    return {{"suite", "primitive"},
            {"operation", operation},
            {operation == "key-exchange" ? "group" : "scheme", Subject()}};
  }
};

std::vector<PrimitiveCase> AllPrimitiveCases() {
  std::vector<PrimitiveCase> cases;
  for (const std::string& scheme : AllPkiSchemes()) {
    for (const char* operation : {"sign", "verify"}) cases.push_back({operation, scheme});
  }
  for (Group group : kGroups)
    cases.push_back({.operation = "key-exchange", .scheme = "", .group = group});
  return cases;
}

void BM_Primitive(benchmark::State& state, const PrimitiveCase& c) {
  if (c.operation == "key-exchange") {
    auto operation = MakeKeyExchangeOperation(c.group);
    if (!operation.ok()) {
      state.SkipWithError(std::string(operation.status().message()).c_str());
      return;
    }
    KeyExchangeOperation& op = **operation;
    RunPrimitive(state, [&] { return op.GenerateAndDerive(); });
    return;
  }
  auto operation = SignatureFor(c.scheme);
  if (!operation.ok()) {
    state.SkipWithError(std::string(operation.status().message()).c_str());
    return;
  }
  SignatureOperation& op = **operation;
  const bool sign = c.operation == "sign";
  RunPrimitive(state, [&] { return sign ? op.Sign() : op.Verify(); });
}

}  // namespace

std::vector<std::pair<std::string, nlohmann::ordered_json>> PrimitiveCases() {
  std::vector<std::pair<std::string, nlohmann::ordered_json>> cases;
  for (const PrimitiveCase& c : AllPrimitiveCases()) cases.emplace_back(c.Name(), c.Fields());
  return cases;
}

void RegisterPrimitiveBenchmarks() {
  if (absl::Status supported = RequireCapability("primitives"); !supported.ok()) {
    std::fprintf(stderr, "mtls-bench: primitive benchmarks skipped: %s\n",
                 std::string(supported.message()).c_str());
    return;
  }
  std::string refused_scheme;  // said once per scheme, not per operation
  for (const PrimitiveCase& c : AllPrimitiveCases()) {
    if (c.operation != "key-exchange") {
      if (absl::Status supported = RequireCapability("scheme:" + c.scheme); !supported.ok()) {
        if (refused_scheme != c.scheme) {
          std::fprintf(stderr, "mtls-bench: primitive/*/%s skipped: %s\n", c.scheme.c_str(),
                       std::string(supported.message()).c_str());
        }
        refused_scheme = c.scheme;
        continue;
      }
    }
    benchmark::RegisterBenchmark(c.Name().c_str(), BM_Primitive, c)->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace mtls::bench
