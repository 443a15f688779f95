// Stand-alone parsing and peer-chain verification of the backend this tree is built with.
#include "mtls/x509_check.h"

#include <gtest/gtest.h>

#include "mtls/backend.h"
#include "mtls/pki.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls {
namespace {

std::string Pki(const std::string& relative) { return DefaultPkiDir() + "/" + relative; }

ChainCheck ClientCheck(int depth, int max_chain_depth = 4) {
  ChainCheck check;
  check.chain_der =
      LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", Role::kClient, depth)->chain_der;
  check.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
  check.max_chain_depth = max_chain_depth;
  return check;
}

ChainCheck InvalidClientCheck(const std::string& name) {
  ChainCheck check = ClientCheck(1);
  check.chain_der =
      LoadCredentials(Pki("invalid/" + name + ".crt"), Pki("invalid/" + name + ".key"))->chain_der;
  return check;
}

TEST(ParseCertificateTest, AcceptsDerAndPemAndRejectsGarbage) {
  const std::string pem = *ReadFile(Pki("ecdsa-p256/root.crt"));
  const std::string der = LoadRoot(DefaultPkiDir(), "ecdsa-p256")->front();
  EXPECT_TRUE(ParseCertificateWithBackend(der, CertificateEncoding::kDer).ok());
  EXPECT_TRUE(ParseCertificateWithBackend(pem, CertificateEncoding::kPem).ok());
  EXPECT_FALSE(
      ParseCertificateWithBackend(der.substr(0, der.size() / 2), CertificateEncoding::kDer).ok());
  EXPECT_FALSE(
      ParseCertificateWithBackend("-----BEGIN CERTIFICATE-----\nAAAA\n", CertificateEncoding::kPem)
          .ok());
}

TEST(VerifyPeerChainTest, AcceptsClientChainsOfEveryDepth) {
  for (int depth = 1; depth <= 3; ++depth) {
    EXPECT_TRUE(VerifyPeerChain(ClientCheck(depth)).ok()) << "depth " << depth;
  }
}

TEST(VerifyPeerChainTest, AppliesTheMutualAuthPolicy) {
  ChainCheck server_leaf = ClientCheck(1);
  server_leaf.chain_der =
      LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", Role::kServer, 1)->chain_der;
  EXPECT_EQ(ErrorClassOf(VerifyPeerChain(server_leaf)), ErrorClass::kBadKeyUsage)
      << "a serverAuth-only leaf presented as a client";
  EXPECT_EQ(ErrorClassOf(VerifyPeerChain(InvalidClientCheck("client-serverauth-eku"))),
            ErrorClass::kBadKeyUsage);
  EXPECT_EQ(ErrorClassOf(VerifyPeerChain(InvalidClientCheck("client-untrusted"))),
            ErrorClass::kUntrustedIssuer);
  EXPECT_EQ(ErrorClassOf(VerifyPeerChain(InvalidClientCheck("client-expired"))),
            ErrorClass::kExpired);
  EXPECT_EQ(ErrorClassOf(VerifyPeerChain(ChainCheck{})), ErrorClass::kNoPeerCertificate);
  absl::Status too_long = VerifyPeerChain(ClientCheck(3, /*max_chain_depth=*/1));
  EXPECT_FALSE(too_long.ok());
  if (!FindCapability("deviation:negative/client-chain-too-long")) {
    EXPECT_EQ(ErrorClassOf(too_long), ErrorClass::kChainTooLong) << too_long;
  }
}

TEST(VerifyPeerChainTest, HonoursAFixedTimeOrSaysItCannot) {
  ChainCheck check = ClientCheck(2);
  check.unix_time = 946684800 + 86400;  // 2000-01-02: CAs valid, the leaf not yet
  const absl::Status status = VerifyPeerChain(check);
  if (absl::Status supported = RequireCapability("verify:fixed-time"); !supported.ok()) {
    EXPECT_EQ(status.code(), absl::StatusCode::kUnimplemented) << status;
    GTEST_SKIP() << supported.message();
  }
  EXPECT_EQ(ErrorClassOf(status), ErrorClass::kNotYetValid) << status;
  check.unix_time = 1764000000;  // 2025-11-24
  EXPECT_TRUE(VerifyPeerChain(check).ok());
}

}  // namespace
}  // namespace mtls
