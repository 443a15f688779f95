// Test helper: a client and a server context of this build, made together, for the backends'
// own tests.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "mtls/backend.h"
#include "mtls/case_spec.h"
#include "mtls/config.h"

namespace mtls::testing {

struct ContextPair {
  std::unique_ptr<Context> client;
  std::unique_ptr<Context> server;
};

// Both contexts, or the first refusal (Unimplemented: this build lacks what they ask for).
absl::StatusOr<ContextPair> MakeContextPair(const EndpointConfig& client,
                                            const EndpointConfig& server);
// The honest endpoints of `spec` (HonestEndpoint), both contexts.
absl::StatusOr<ContextPair> MakeHonestPair(const CaseSpec& spec);

}  // namespace mtls::testing

// Declares `pair` (absl::StatusOr<ContextPair>) from `made`; skips the test when the build
// refuses it as unsupported, naming the library's reason, and fails it on any other error.
#define MTLS_CONTEXT_PAIR_OR_SKIP(pair, made)                                        \
  absl::StatusOr<::mtls::testing::ContextPair> pair = (made);                        \
  if (absl::IsUnimplemented(pair.status())) GTEST_SKIP() << pair.status().message(); \
  ASSERT_TRUE(pair.ok()) << pair.status()
