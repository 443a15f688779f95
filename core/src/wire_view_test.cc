// The wire view on crafted records and on real handshakes of the backend this tree is built with.
#include "mtls/wire_view.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/case_spec.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"

namespace mtls {
namespace {

// One handshake record holding one message of `type` with `body`.
std::string Record(uint8_t content_type, const std::string& fragment) {
  std::string record = {static_cast<char>(content_type), 3, 3,
                        static_cast<char>(fragment.size() >> 8),
                        static_cast<char>(fragment.size() & 0xff)};
  return record + fragment;
}

std::string Message(uint8_t type, const std::string& body) {
  std::string message = {static_cast<char>(type), 0, static_cast<char>(body.size() >> 8),
                         static_cast<char>(body.size() & 0xff)};
  return message + body;
}

const std::string kRandom(32, '\x11');
// RFC 8446 4.1.3's random of a HelloRetryRequest.
const std::string kHelloRetryRandom =
    "\xcf\x21\xad\x74\xe5\x9a\x61\x11\xbe\x1d\x8c\x02\x1e\x65\xb8\x91"
    "\xc2\xa2\x11\x16\x7a\xbb\x8c\x5e\x07\x9e\x09\xe2\xc8\xa8\x33\x9c";

std::string ServerHello(const std::string& random, const std::string& extensions) {
  std::string body = {3, 3};
  body += random;
  body += std::string{0, 0x13, 0x01, 0};  // no session id, TLS_AES_128_GCM_SHA256, no compression
  body += std::string{static_cast<char>(extensions.size() >> 8),
                      static_cast<char>(extensions.size() & 0xff)};
  return Message(handshake_type::kServerHello, body + extensions);
}

const std::string kSupportedVersions13 = {0, 43, 0, 2, 3, 4};
const std::string kPreSharedKey = {0, 41, 0, 2, 0, 0};

TEST(WireViewTest, Tls13PskServerHelloIsAcceptedPsk) {
  const WireView view =
      ViewHandshake("", Record(22, ServerHello(kRandom, kSupportedVersions13 + kPreSharedKey)));
  EXPECT_TRUE(view.malformed.empty()) << view.malformed;
  EXPECT_EQ(view.version, TlsVersion::kTls13);
  EXPECT_TRUE(view.psk_selected);
  EXPECT_FALSE(view.key_share);
  EXPECT_TRUE(view.ServerAcceptedPsk());
}

TEST(WireViewTest, HelloRetryRequestIsNotTheServerHello) {
  const std::string retry = Record(22, ServerHello(kHelloRetryRandom, kSupportedVersions13));
  EXPECT_FALSE(ViewHandshake("", retry).server_hello);
  // Middlebox compatibility: a ChangeCipherSpec may sit between the retry and the ServerHello.
  const WireView view =
      ViewHandshake("", retry + Record(20, "\x01") +
                            Record(22, ServerHello(kRandom, kSupportedVersions13 + kPreSharedKey)));
  EXPECT_TRUE(view.ServerAcceptedPsk());
}

// A ClientHello offering one PSK identity.
std::string ClientHelloOffering(const std::string& identity) {
  const std::string entry = std::string{0, static_cast<char>(identity.size())} + identity +
                            std::string(4, '\0');  // obfuscated_ticket_age
  const std::string offered = std::string{0, static_cast<char>(entry.size())} + entry +
                              std::string{0, 0};  // binders (empty here)
  const std::string extension = std::string{0, 41, 0, static_cast<char>(offered.size())} + offered;
  std::string body = std::string{3, 3} + kRandom + std::string{0, 0, 2, 0x13, 0x01, 1, 0};
  body += std::string{0, static_cast<char>(extension.size())} + extension;
  return Message(handshake_type::kClientHello, body);
}

TEST(WireViewTest, AfterAHelloRetryTheSecondClientHelloNamesTheIdentity) {
  const std::string server = Record(22, ServerHello(kHelloRetryRandom, kSupportedVersions13)) +
                             Record(20, "\x01") +
                             Record(22, ServerHello(kRandom, kSupportedVersions13 + kPreSharedKey));
  const std::string client = Record(22, ClientHelloOffering("first")) + Record(20, "\x01") +
                             Record(22, ClientHelloOffering("second"));
  const WireView view = ViewHandshake(client, server);
  EXPECT_TRUE(view.malformed.empty()) << view.malformed;
  EXPECT_EQ(view.client_hellos, 2);
  EXPECT_EQ(view.PskIdentityUsed(), "second");
  // Without the retry, the first ChangeCipherSpec ends the client's cleartext.
  const WireView direct =
      ViewHandshake(client, Record(22, ServerHello(kRandom, kSupportedVersions13 + kPreSharedKey)));
  EXPECT_EQ(direct.PskIdentityUsed(), "first");
}

TEST(WireViewTest, MalformedExtensionsAreSaidSo) {
  const std::string short_versions = {0, 43, 0, 1, 3};  // supported_versions cut short
  EXPECT_FALSE(
      ViewHandshake("", Record(22, ServerHello(kRandom, short_versions))).malformed.empty());
  const std::string server = Record(22, ServerHello(kRandom, kSupportedVersions13));
  EXPECT_TRUE(ViewHandshake(Record(22, ClientHelloOffering("x")), server).malformed.empty());
  EXPECT_FALSE(
      ViewHandshake(Record(22, ClientHelloOffering("x").substr(0, 60)), server).malformed.empty());
}

TEST(WireViewTest, Tls12FullAndAbbreviatedHandshakes) {
  const std::string hello = ServerHello(kRandom, "");
  const std::string full = Record(22, hello + Message(handshake_type::kCertificate, {0, 0, 0}) +
                                          Message(handshake_type::kServerHelloDone, ""));
  WireView view = ViewHandshake("", full);
  EXPECT_EQ(view.version, TlsVersion::kTls12);
  EXPECT_TRUE(view.server_certificate);
  EXPECT_FALSE(view.ServerAcceptedPsk());
  // Resumed: ServerHello, then ChangeCipherSpec and an encrypted Finished, which is not read.
  view = ViewHandshake("", Record(22, hello) + Record(20, "\x01") +
                               Record(22, Message(handshake_type::kServerHelloDone, "")));
  EXPECT_TRUE(view.ServerAcceptedPsk());
}

TEST(WireViewTest, MessagesSplitAcrossRecordsAndTruncation) {
  const std::string hello = ServerHello(kRandom, kSupportedVersions13);
  WireView view = ViewHandshake("", Record(22, hello.substr(0, 10)) + Record(22, hello.substr(10)));
  EXPECT_TRUE(view.server_hello);
  EXPECT_TRUE(ViewHandshake("", Record(22, hello).substr(0, 20)).malformed.size() > 0);
  EXPECT_EQ(ViewHandshake("", "").malformed, "no ServerHello in the clear");
}

TEST(WireViewTest, Tls12PskSuites) {
  EXPECT_EQ(Tls12PskKeyExchange(0x00a8), "psk");
  EXPECT_EQ(Tls12PskKeyExchange(0xccac), "ecdhe_psk");
  EXPECT_EQ(Tls12PskKeyExchange(0xc02b), "");  // ECDHE-ECDSA-AES128-GCM-SHA256
}

// What a certificate handshake of `version` leaves in the clear, over TLS and DTLS alike.
void ExpectCertificateHandshakeSeen(const WireView& wire, TlsVersion version) {
  EXPECT_TRUE(wire.malformed.empty()) << wire.malformed;
  EXPECT_EQ(wire.version, version);
  EXPECT_FALSE(wire.ServerAcceptedPsk());
  EXPECT_EQ(wire.server_certificate, version == TlsVersion::kTls12);
  EXPECT_EQ(wire.client_certificate, version == TlsVersion::kTls12);
  EXPECT_EQ(wire.key_share, version == TlsVersion::kTls13);
}

// A real certificate handshake shows what each version leaves in the clear.
TEST(WireViewTest, RealCertificateHandshake) {
  for (TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
    if (!RequireCapability(version == TlsVersion::kTls12 ? "tls1.2" : "tls1.3").ok()) continue;
    SCOPED_TRACE(TlsVersionName(version));
    std::unique_ptr<Context> contexts[2];
    for (Role role : {Role::kClient, Role::kServer}) {
      EndpointConfig config;
      config.role = role;
      config.min_version = config.max_version = version;
      config.trust_anchors_der = *LoadRoot(DefaultPkiDir(), "ecdsa-p256");
      config.credentials = *LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", role, 2);
      if (role == Role::kClient) config.expected_peer_name = "server.mtls.test";
      auto context = CreateContext(config);
      ASSERT_TRUE(context.ok()) << context.status();
      contexts[role == Role::kClient ? 0 : 1] = *std::move(context);
    }
    const HandshakeOutcome outcome =
        RunInMemoryHandshake(*contexts[0], *contexts[1], {.observe_wire = true});
    ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
    ASSERT_TRUE(outcome.wire.has_value());
    ExpectCertificateHandshakeSeen(*outcome.wire, version);
  }
}

// DTLS: one record of `content_type` in `epoch` holding `fragment`.
std::vector<uint8_t> DtlsRecord(uint8_t content_type, uint8_t epoch, const std::string& fragment) {
  std::string record = {static_cast<char>(content_type),
                        '\xfe',
                        '\xfd',
                        0,
                        static_cast<char>(epoch),
                        0,
                        0,
                        0,
                        0,
                        0,
                        1,
                        static_cast<char>(fragment.size() >> 8),
                        static_cast<char>(fragment.size() & 0xff)};
  record += fragment;
  return std::vector<uint8_t>(record.begin(), record.end());
}

// The bytes [offset, offset + length) of a TLS-encoded message (Message()) as a DTLS fragment.
std::string DtlsFragment(const std::string& message, uint16_t message_seq, size_t offset,
                         size_t length) {
  const size_t body = message.size() - 4;
  auto u24 = [](size_t n) {
    return std::string{static_cast<char>(n >> 16), static_cast<char>(n >> 8), static_cast<char>(n)};
  };
  return std::string(1, message[0]) + u24(body) +
         std::string{static_cast<char>(message_seq >> 8), static_cast<char>(message_seq)} +
         u24(offset) + u24(length) + message.substr(4 + offset, length);
}

TEST(WireViewTest, DtlsMessagesAreReassembledFromFragmentsInTheClear) {
  std::string hello_body = {'\xfe', '\xfd'};  // DTLS 1.2
  hello_body += kRandom + std::string{0, '\xc0', '\x2b', 0, 0, 0};
  const std::string hello = Message(handshake_type::kServerHello, hello_body);
  const std::string certificate = Message(handshake_type::kCertificate, {0, 0, 0});
  const size_t half = (hello.size() - 4) / 2;
  std::vector<std::vector<uint8_t>> server = {
      DtlsRecord(22, 0, DtlsFragment(hello, 0, 0, half)),
      // The second half, its resent copy, then the Certificate; a record of epoch 1 and a DTLS
      // 1.3 ciphertext record (unified header) are not read.
      DtlsRecord(22, 0, DtlsFragment(hello, 0, half, hello.size() - 4 - half)),
      DtlsRecord(22, 0, DtlsFragment(hello, 0, half, hello.size() - 4 - half)),
      DtlsRecord(22, 0, DtlsFragment(certificate, 1, 0, 3)),
      DtlsRecord(22, 1, DtlsFragment(Message(handshake_type::kServerHelloDone, ""), 2, 0, 0)),
      {0x2f, 0, 1, 0, 3, 'x', 'y', 'z'}};
  // A ClientHello with a cookie (DTLS's extra field) offering the PSK identity "dev".
  std::string client_body = {'\xfe', '\xfd'};
  client_body += kRandom;
  client_body += std::string{0, 2, 'c', 'k', 0, 2, '\xc0', '\x2b', 1, 0};
  const std::string psk_extension = {0, 41, 0, 13, 0, 9, 0, 3, 'd', 'e', 'v', 0, 0, 0, 0, 0, 0};
  client_body += std::string{0, static_cast<char>(psk_extension.size())} + psk_extension;
  const std::string client_hello = Message(handshake_type::kClientHello, client_body);
  const std::vector<std::vector<uint8_t>> client = {
      DtlsRecord(22, 0, DtlsFragment(client_hello, 0, 0, client_hello.size() - 4))};

  const WireView view = ViewDatagramHandshake(client, server);
  EXPECT_TRUE(view.malformed.empty()) << view.malformed;
  EXPECT_TRUE(view.server_hello);
  EXPECT_EQ(view.version, TlsVersion::kTls12);
  EXPECT_EQ(view.cipher_suite, 0xc02b);
  EXPECT_TRUE(view.server_certificate);
  EXPECT_FALSE(view.server_hello_done);  // sent in epoch 1 here: not in the clear
  EXPECT_EQ(view.offered_psk_identities, std::vector<std::string>{"dev"});

  // Half a ServerHello is none; a record cut short is malformed.
  EXPECT_EQ(ViewDatagramHandshake({}, {server[0]}).malformed, "no ServerHello in the clear");
  std::vector<uint8_t> cut = server[0];
  cut.resize(20);
  EXPECT_EQ(ViewDatagramHandshake({}, {cut}).malformed, "truncated DTLS record");
}

// A real DTLS handshake shows what its TLS twin does, fragmented or not.
TEST(WireViewTest, RealDtlsCertificateHandshake) {
  for (TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
    if (!RequireCapability(version == TlsVersion::kTls12 ? "dtls1.2" : "dtls1.3").ok()) continue;
    // 600: below the certificate flights; wolfSSL 5.7's DTLS 1.3 ClientHello (~555 bytes) is never
    // split.
    for (size_t mtu : {kDefaultDatagramMtu, size_t{600}}) {
      SCOPED_TRACE(absl::StrCat(TlsVersionName(version), " MTU ", mtu));
      const CaseSpec spec = {.depth = 2, .protocol = Protocol::kDtls, .version = version};
      std::unique_ptr<Context> contexts[2];
      for (Role role : {Role::kClient, Role::kServer}) {
        auto config = HonestEndpoint(spec, role);
        ASSERT_TRUE(config.ok()) << config.status();
        auto context = CreateContext(*config);
        ASSERT_TRUE(context.ok()) << context.status();
        contexts[role == Role::kClient ? 0 : 1] = *std::move(context);
      }
      DatagramLinkOptions link;
      link.mtu = mtu;
      link.keep_datagrams = true;
      const HandshakeOutcome outcome = RunDatagramHandshake(*contexts[0], *contexts[1], link);
      ASSERT_TRUE(outcome.MutuallyAuthenticated()) << outcome.Describe();
      ExpectCertificateHandshakeSeen(
          ViewDatagramHandshake(outcome.client_datagrams, outcome.server_datagrams), version);
    }
  }
}

}  // namespace
}  // namespace mtls
