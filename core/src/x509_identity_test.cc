#include "mtls/x509_identity.h"

#include <gtest/gtest.h>

#include "mtls/pki.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

namespace mtls {
namespace {

TEST(X509IdentityTest, ReadsSubjectAndSubjectAltNamesOfTheTestPki) {
  for (const std::string& scheme : AllPkiSchemes()) {
    const Credentials client = *LoadLeafCredentials(DefaultPkiDir(), scheme, Role::kClient, 2);
    auto identity = IdentityFromCertificate(client.chain_der[0]);
    ASSERT_TRUE(identity.ok()) << scheme << ": " << identity.status();
    EXPECT_EQ(identity->subject, "CN=client.mtls.test,O=mtls-bench test PKI");
    EXPECT_EQ(identity->dns_names, std::vector<std::string>{"client.mtls.test"});
    EXPECT_EQ(identity->uris, std::vector<std::string>{"urn:mtls:device:0001"});
  }
}

TEST(X509IdentityTest, CertificateSpkiIsTheWholeKeyOfTheCertificate) {
  for (const std::string& scheme : AllPkiSchemes()) {  // short (Ed25519) to long (ML-DSA) forms
    const Credentials client = *LoadLeafCredentials(DefaultPkiDir(), scheme, Role::kClient, 1);
    auto spki = CertificateSpki(client.chain_der[0]);
    ASSERT_TRUE(spki.ok()) << scheme << ": " << spki.status();
    EXPECT_EQ(spki->front(), '\x30') << scheme;
    EXPECT_EQ(*SpkiPublicKeyBits(*spki), *CertificatePublicKeyBits(client.chain_der[0])) << scheme;
    EXPECT_NE(client.chain_der[0].find(*spki), std::string::npos) << scheme;
  }
  EXPECT_FALSE(CertificateSpki("not a certificate").ok());
}

TEST(X509IdentityTest, CertificatesWithoutSubjectAltNamesHaveOnlyASubject) {
  const std::vector<std::string> root = *LoadRoot(DefaultPkiDir(), "ed25519");
  auto identity = IdentityFromCertificate(root[0]);
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ(identity->subject, "CN=ed25519 root CA,O=mtls-bench test PKI");
  EXPECT_TRUE(identity->dns_names.empty());
}

TEST(X509IdentityTest, PublicKeyBitsDifferBetweenCertificatesOfDifferentKeys) {
  const Credentials client = *LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", Role::kClient, 1);
  const Credentials server = *LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", Role::kServer, 1);
  auto client_key = CertificatePublicKeyBits(client.chain_der[0]);
  auto server_key = CertificatePublicKeyBits(server.chain_der[0]);
  ASSERT_TRUE(client_key.ok() && server_key.ok());
  EXPECT_EQ(client_key->size(), 65u);  // uncompressed P-256 point
  EXPECT_EQ((*client_key)[0], '\x04');
  EXPECT_NE(*client_key, *server_key);
}

TEST(X509IdentityTest, RejectsTruncatedAndForeignDer) {
  const Credentials client = *LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", Role::kClient, 1);
  for (size_t cut : {size_t{0}, size_t{1}, size_t{10}, client.chain_der[0].size() / 2}) {
    EXPECT_EQ(ErrorClassOf(IdentityFromCertificate(client.chain_der[0].substr(0, cut)).status()),
              ErrorClass::kBadInput)
        << cut;
  }
  EXPECT_FALSE(IdentityFromCertificate(std::string("\x30\x03\x02\x01\x05", 5)).ok());
}

}  // namespace
}  // namespace mtls
