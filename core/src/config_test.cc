#include "mtls/config.h"

#include <gtest/gtest.h>

#include "mtls/status.h"

namespace mtls {
namespace {

EndpointConfig ValidServer() {
  EndpointConfig config;
  config.role = Role::kServer;
  config.trust_anchors_der = {"anchor"};
  config.credentials = Credentials{{"leaf"}, "key"};
  return config;
}

void ExpectBadInput(const EndpointConfig& config, absl::string_view fragment) {
  const absl::Status status = Validate(config);
  EXPECT_EQ(ErrorClassOf(status), ErrorClass::kBadInput) << status;
  EXPECT_NE(status.message().find(fragment), absl::string_view::npos) << status;
}

TEST(ConfigTest, AcceptsACompleteServer) { EXPECT_TRUE(Validate(ValidServer()).ok()); }

TEST(ConfigTest, DtlsOptionsNeedDtls) {
  EndpointConfig config = ValidServer();
  config.dtls.cookie_exchange = true;
  ExpectBadInput(config, "DTLS options");
  config.protocol = Protocol::kDtls;
  EXPECT_TRUE(Validate(config).ok());
}

TEST(ConfigTest, ServerAuthBaselineNeedsNoTrustAnchors) {
  EndpointConfig config = ValidServer();
  config.client_auth = ClientAuth::kNone;
  config.trust_anchors_der.clear();
  EXPECT_TRUE(Validate(config).ok());
}

EndpointConfig RawKeyServer() {
  EndpointConfig config = ValidServer();
  config.trust_anchors_der.clear();
  config.raw_public_keys = RawPublicKeys{{"peer key"}};
  return config;
}

TEST(ConfigTest, RawKeyServerNeedsItsKeyAndATrustedPeerKeyButNoAnchors) {
  EXPECT_TRUE(Validate(RawKeyServer()).ok());
  EndpointConfig config = RawKeyServer();
  config.credentials.reset();
  ExpectBadInput(config, "own key");
  config = RawKeyServer();
  config.raw_public_keys->trusted_peer_keys_der.clear();
  ExpectBadInput(config, "trusted peer key");
  config = RawKeyServer();
  config.client_auth = ClientAuth::kNone;
  ExpectBadInput(config, "both sides");
}

TEST(ConfigTest, SrpIsTls12OnlyAndNeedsUserAndPassword) {
  EndpointConfig config;
  config.role = Role::kServer;
  config.min_version = config.max_version = TlsVersion::kTls12;
  config.srp = SrpPassword{"device-0001", "password"};
  EXPECT_TRUE(Validate(config).ok());
  config.max_version = TlsVersion::kTls13;
  ExpectBadInput(config, "only in TLS 1.2");
  config.max_version = TlsVersion::kTls12;
  config.srp->password.clear();
  ExpectBadInput(config, "user name and a password");
}

EndpointConfig PskServer() {
  EndpointConfig config;
  config.role = Role::kServer;
  config.min_version = config.max_version = TlsVersion::kTls13;
  config.psk = ExternalPsk{"device-0001", "secret", PskKeyExchange::kDhe};
  return config;
}

TEST(ConfigTest, PskServerNeedsNeitherCertificatesNorTrustAnchors) {
  EXPECT_TRUE(Validate(PskServer()).ok());
}

TEST(ConfigTest, RejectsIncompletePsk) {
  EndpointConfig config = PskServer();
  config.psk->identity.clear();
  ExpectBadInput(config, "PSK identity");
  config = PskServer();
  config.psk->key.clear();
  ExpectBadInput(config, "empty PSK");
}

TEST(ConfigTest, RejectsPskWithoutMutualAuthOrWithAVersionRange) {
  EndpointConfig config = PskServer();
  config.client_auth = ClientAuth::kNone;
  ExpectBadInput(config, "both sides");
  config = PskServer();
  config.min_version = TlsVersion::kTls12;
  ExpectBadInput(config, "one TLS version");
}

TEST(ConfigTest, RejectsInvertedVersionRange) {
  EndpointConfig config = ValidServer();
  config.min_version = TlsVersion::kTls13;
  config.max_version = TlsVersion::kTls12;
  ExpectBadInput(config, "min_version");
}

TEST(ConfigTest, RejectsServerWithoutCredentials) {
  EndpointConfig config = ValidServer();
  config.credentials.reset();
  ExpectBadInput(config, "server needs");
}

TEST(ConfigTest, RejectsEmptyChainOrKey) {
  EndpointConfig config = ValidServer();
  config.credentials->chain_der.clear();
  ExpectBadInput(config, "empty certificate chain");
  config = ValidServer();
  config.credentials->key_der.clear();
  ExpectBadInput(config, "empty private key");
}

TEST(ConfigTest, RejectsVerificationWithoutTrustAnchors) {
  EndpointConfig config;
  config.role = Role::kClient;
  ExpectBadInput(config, "trust anchor");
  config = ValidServer();
  config.trust_anchors_der.clear();  // client_auth is required by default
  ExpectBadInput(config, "trust anchor");
}

TEST(ConfigTest, RejectsChainDepthOutOfRange) {
  EndpointConfig config = ValidServer();
  config.max_chain_depth = -1;
  ExpectBadInput(config, "max_chain_depth");
  config.max_chain_depth = 17;
  ExpectBadInput(config, "max_chain_depth");
}

TEST(ConfigTest, SessionIdResumptionNeedsTls12) {
  EndpointConfig config = ValidServer();
  config.resumption = Resumption::kSessionIds;
  ExpectBadInput(config, "session-ID");
  config.max_version = TlsVersion::kTls12;
  EXPECT_TRUE(Validate(config).ok());
}

}  // namespace
}  // namespace mtls
