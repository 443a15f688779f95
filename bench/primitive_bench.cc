#include <benchmark/benchmark.h>

#include <cstdio>
#include <functional>
#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/cpu_time.h"
#include "mtls/pki_catalog.h"
#include "mtls/primitives.h"
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

void RegisterPrimitiveBenchmarks() {
  if (absl::Status supported = RequireCapability("primitives"); !supported.ok()) {
    std::fprintf(stderr, "mtls-bench: primitive benchmarks skipped: %s\n",
                 std::string(supported.message()).c_str());
    return;
  }
  for (const std::string& scheme : AllPkiSchemes()) {
    if (absl::Status supported = RequireCapability("scheme:" + scheme); !supported.ok()) {
      std::fprintf(stderr, "mtls-bench: primitive/*/%s skipped: %s\n", scheme.c_str(),
                   std::string(supported.message()).c_str());
      continue;
    }
    for (const bool sign : {true, false}) {
      benchmark::RegisterBenchmark(
          absl::StrCat("primitive/", sign ? "sign/" : "verify/", scheme).c_str(),
          [scheme, sign](benchmark::State& state) {
            auto operation = SignatureFor(scheme);
            if (!operation.ok()) {
              state.SkipWithError(std::string(operation.status().message()).c_str());
              return;
            }
            SignatureOperation& op = **operation;
            RunPrimitive(state, [&] { return sign ? op.Sign() : op.Verify(); });
          })
          ->Unit(benchmark::kMicrosecond);
    }
  }
  for (Group group : kGroups) {
    benchmark::RegisterBenchmark(
        absl::StrCat("primitive/key-exchange/", GroupName(group)).c_str(),
        [group](benchmark::State& state) {
          auto operation = MakeKeyExchangeOperation(group);
          if (!operation.ok()) {
            state.SkipWithError(std::string(operation.status().message()).c_str());
            return;
          }
          KeyExchangeOperation& op = **operation;
          RunPrimitive(state, [&] { return op.GenerateAndDerive(); });
        })
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace mtls::bench
