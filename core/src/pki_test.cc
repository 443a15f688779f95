#include "mtls/pki.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls {
namespace {

std::string ReadPki(const std::string& relative) {
  return *ReadFile(absl::StrCat(DefaultPkiDir(), "/", relative));
}

void ExpectBadInput(const absl::Status& status, absl::string_view fragment) {
  EXPECT_EQ(ErrorClassOf(status), ErrorClass::kBadInput) << status;
  EXPECT_NE(status.message().find(fragment), absl::string_view::npos) << status;
  EXPECT_EQ(status.message().find('\n'), absl::string_view::npos) << "one line: " << status;
}

TEST(PkiTest, LoadsEveryTestSchemeAtEveryDepth) {
  for (const std::string& scheme : AllPkiSchemes()) {
    ASSERT_EQ(LoadRoot(DefaultPkiDir(), scheme)->size(), 1u) << scheme;
    for (int depth = 1; depth <= 3; ++depth) {
      auto credentials = LoadLeafCredentials(DefaultPkiDir(), scheme, Role::kClient, depth);
      ASSERT_TRUE(credentials.ok()) << credentials.status();
      EXPECT_EQ(credentials->chain_der.size(), static_cast<size_t>(depth)) << scheme;
      EXPECT_FALSE(credentials->key_der.empty());
    }
  }
}

TEST(PkiTest, ToleratesTextAroundBlocksAndCrLf) {
  std::string pem = ReadPki("ecdsa-p256/root.crt");
  pem =
      absl::StrCat("Subject: somebody\n", absl::StrReplaceAll(pem, {{"\n", "\r\n"}}), "trailer\n");
  auto certificates = ParseCertificates(pem, "root");
  ASSERT_TRUE(certificates.ok()) << certificates.status();
  EXPECT_EQ(certificates->size(), 1u);
}

TEST(PkiTest, RejectsGarbledBase64) {
  std::string pem = ReadPki("ecdsa-p256/root.crt");
  pem[pem.find('\n') + 5] = '*';
  ExpectBadInput(ParseCertificates(pem, "garbled.pem").status(), "garbled.pem: PEM block 1");
}

TEST(PkiTest, RejectsTruncatedDer) {
  // Dropping one base64 line keeps valid base64 but cuts the DER short.
  std::string pem = ReadPki("ecdsa-p256/root.crt");
  const size_t second_line = pem.find('\n') + 1;
  pem.erase(second_line, pem.find('\n', second_line) - second_line + 1);
  ExpectBadInput(ParseCertificates(pem, "cut.pem").status(), "not a well-formed DER");
}

TEST(PkiTest, RejectsMissingEndLineAndEmptyInput) {
  std::string pem = ReadPki("ecdsa-p256/root.crt");
  pem.resize(pem.find("-----END"));
  ExpectBadInput(ParseCertificates(pem, "open.pem").status(), "has no END line");
  ExpectBadInput(ParseCertificates("just text\n", "text.pem").status(), "no PEM block found");
}

TEST(PkiTest, RejectsAKeyWhereCertificatesBelongAndViceVersa) {
  ExpectBadInput(ParseCertificates(ReadPki("ecdsa-p256/root.key"), "k.pem").status(),
                 "found PRIVATE KEY");
  ExpectBadInput(ParsePrivateKey(ReadPki("ecdsa-p256/root.crt"), "c.pem").status(),
                 "found CERTIFICATE");
  ExpectBadInput(ParsePrivateKey(ReadPki("ecdsa-p256/client-d2.chain.pem"), "chain.pem").status(),
                 "expected one private key");
}

TEST(PkiTest, RejectsEncryptedPem) {
  const std::string pem =
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nMIIB\n-----END RSA PRIVATE "
      "KEY-----\n";
  ExpectBadInput(ParsePrivateKey(pem, "enc.pem").status(), "not supported");
}

TEST(PkiTest, UnreadableFileNamesThePath) {
  auto loaded = LoadCredentials("/nonexistent/chain.pem", "/nonexistent/key.pem");
  ExpectBadInput(loaded.status(), "/nonexistent/chain.pem: cannot read");
}

TEST(PkiTest, PemEncodingRoundTrips) {
  const std::vector<std::string> certificates =
      *ParseCertificates(ReadPki("rsa3072/root.crt"), "root");
  const std::string pem = PemEncode("CERTIFICATE", certificates[0]);
  EXPECT_EQ(pem, ReadPki("rsa3072/root.crt"));  // openssl writes the same 64-column form
  EXPECT_EQ(*ParseCertificates(pem, "again"), certificates);
}

TEST(PkiTest, UnknownSchemeIsBadInput) {
  ExpectBadInput(LoadRoot(DefaultPkiDir(), "dsa1024").status(), "unknown scheme 'dsa1024'");
}

}  // namespace
}  // namespace mtls
