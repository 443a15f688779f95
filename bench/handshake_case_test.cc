#include "handshake_case.h"

#include "mtls/pki_catalog.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace mtls::bench {
namespace {

std::set<std::string> Names(const std::vector<HandshakeCase>& cases) {
  std::set<std::string> names;
  for (const HandshakeCase& c : cases) names.insert(c.Name());
  return names;
}

// mtls-count finds a case by name in the full matrix: every default case must be there.
TEST(HandshakeCaseTest, FullMatrixHoldsEveryDefaultCase) {
  const std::set<std::string> full = Names(FullMatrix());
  for (const std::string& name : Names(DefaultMatrix())) EXPECT_EQ(full.count(name), 1u) << name;
}

TEST(HandshakeCaseTest, NamesAreUniqueAndTls13OnlySchemesStayInTls13) {
  const std::vector<HandshakeCase> cases = FullMatrix();
  EXPECT_EQ(Names(cases).size(), cases.size());
  for (const HandshakeCase& c : cases) {
    if (IsPostQuantumScheme(c.spec.scheme) || IsPostQuantum(c.spec.group)) {
      EXPECT_EQ(c.spec.version, TlsVersion::kTls13) << c.Name();
    }
    if (c.spec.credentials == CredentialKind::kSrpPassword) {
      EXPECT_EQ(c.spec.version, TlsVersion::kTls12) << c.Name();
    }
  }
}

TEST(HandshakeCaseTest, DatagramCasesAreNamedAsTheirTlsTwinsButForTheVersion) {
  const std::set<std::string> tls = Names(DefaultMatrix());
  for (const HandshakeCase& c : DatagramCases()) {
    HandshakeCase twin = c;
    twin.spec.protocol = Protocol::kTls;
    EXPECT_EQ(tls.count(twin.Name()), 1u) << c.Name();
    EXPECT_NE(c.Name().find("/DTLSv1."), std::string::npos) << c.Name();
  }
}

}  // namespace
}  // namespace mtls::bench
