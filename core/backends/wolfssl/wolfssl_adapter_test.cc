// The wolfSSL adapter's own regressions: its signature-algorithm mapping refuses what wolfSSL's
// list syntax cannot name. (That a ticket still names the client after many other handshakes is
// the conformance case resumption/tickets/TLSv1.3/after-200-other-clients, on every build.)
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "mtls/backend.h"
#include "mtls/config.h"
#include "mtls/pki_catalog.h"
#include "mtls/types.h"
#include "wolfssl_sigalgs.h"

namespace mtls {
namespace {

constexpr uint16_t kMlDsa44 = 0x0904;  // no name in wolfSSL's list syntax (5.5 and 5.7)

TEST(WolfsslSignatureAlgorithms, MappedCodePointsBecomeWolfsslNames) {
  const absl::StatusOr<std::string> list = wolfssl_sigalgs::ListFor({0x0403, 0x0804, 0x0807});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(*list, "ECDSA+SHA256:RSA-PSS+SHA256:ED25519");
}

TEST(WolfsslSignatureAlgorithms, UnmappedCodePointIsRefusedByName) {
  const absl::StatusOr<std::string> list = wolfssl_sigalgs::ListFor({0x0403, kMlDsa44});
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(list.status().message().find(SignatureAlgorithmName(kMlDsa44)), std::string::npos)
      << list.status();
}

TEST(WolfsslSignatureAlgorithms, ContextWithUnmappedCodePointIsRefusedByName) {
  EndpointConfig config;
  config.role = Role::kClient;
  config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  config.signature_algorithms = {0x0403, kMlDsa44};
  const absl::StatusOr<std::unique_ptr<Context>> context = CreateContext(config);
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(context.status().message().find(SignatureAlgorithmName(kMlDsa44)), std::string::npos)
      << context.status();
}

}  // namespace
}  // namespace mtls
