#include "cases.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "mtls/backend.h"
#include "mtls/pki_catalog.h"

namespace mtls::conformance {
namespace {

constexpr TlsVersion kVersions[] = {TlsVersion::kTls12, TlsVersion::kTls13};
constexpr Group kGroups[] = {Group::kX25519, Group::kP256};

CredentialFiles Invalid(absl::string_view name) {
  return {absl::StrCat("invalid/", name, ".crt"), absl::StrCat("invalid/", name, ".key")};
}

// An honest handshake whose chains have one intermediate; negatives change one thing.
Case Baseline(std::string name, absl::string_view scheme, TlsVersion version, Group group) {
  Case c;
  c.name = std::move(name);
  c.spec.scheme = std::string(scheme);
  c.spec.depth = 2;
  c.spec.version = version;
  c.spec.group = group;
  return c;
}

Case Negative(absl::string_view what, TlsVersion version, Role rejecting_side, ErrorClass error) {
  Case c = Baseline(absl::StrCat("negative/", what, "/", TlsVersionName(version)), "ecdsa-p256",
                    version, Group::kX25519);
  c.rejecting_side = rejecting_side;
  c.expected_error = error;
  return c;
}

// External PSK instead of certificates, in `version` with `key_exchange`.
Case Psk(absl::string_view kind, PskKeyExchange key_exchange, TlsVersion version) {
  Case c;
  c.name = absl::StrCat(kind, "/", TlsVersionName(version), "/",
                        PskKeyExchangeName(key_exchange, version));
  c.spec.credentials = CredentialKind::kExternalPsk;
  c.spec.scheme = "psk";
  c.spec.version = version;
  c.spec.psk_key_exchange = key_exchange;
  return c;
}

void AddPskCases(std::vector<Case>& cases) {
  for (TlsVersion version : kVersions) {
    for (PskKeyExchange key_exchange : {PskKeyExchange::kDhe, PskKeyExchange::kPskOnly}) {
      cases.push_back(Psk("positive/psk", key_exchange, version));

      Case c = Psk("negative/psk-wrong-key", key_exchange, version);
      c.client_psk = TestPsk(key_exchange);
      c.client_psk->key.back() ^= 1;
      c.expected_error = ErrorClass::kPskRejected;
      cases.push_back(c);

      c = Psk("negative/psk-unknown-identity", key_exchange, version);
      c.client_psk = TestPsk(key_exchange);
      c.client_psk->identity = "device-9999";
      c.expected_error = ErrorClass::kPskRejected;
      cases.push_back(c);
    }
  }
}

// The attacking client against the backend's server: each misbehaviour must be rejected (by
// the server, whatever the error class); its honest control must be accepted.
void AddHostileClientCases(std::vector<Case>& cases) {
  constexpr const char* kMisbehaviours[] = {
      "honest",
      "foreign-key-signature",
      "no-certificate-verify",
      "empty-certificate",
      "disallowed-signature-algorithm",
      "signature-algorithm-key-mismatch",
  };
  for (TlsVersion version : kVersions) {
    for (const char* misbehaviour : kMisbehaviours) {
      Case c = Baseline(absl::StrCat("hostile/", misbehaviour, "/", TlsVersionName(version)),
                        "ecdsa-p256", version, Group::kX25519);
      c.hostile_client = misbehaviour;
      if (c.hostile_client != "honest") c.expected_error = ErrorClass::kHandshakeFailure;
      cases.push_back(c);
    }
    // An honest proof of possession, but the leaf's issuer is not a CA.
    Case c = Baseline(absl::StrCat("hostile/non-ca-issuer/", TlsVersionName(version)), "ecdsa-p256",
                      version, Group::kX25519);
    c.hostile_client = "honest";
    c.client_credentials = CredentialFiles{"invalid/client-non-ca-issuer.chain.pem",
                                           "invalid/client-non-ca-issuer.key"};
    c.expected_error = ErrorClass::kUntrustedIssuer;
    cases.push_back(c);
  }
}

// `base` with `presenter` showing `untrusted` credentials, which the other side must reject as
// untrusted.
Case PresentingUntrusted(Case base, std::string name, Role presenter, CredentialFiles untrusted) {
  base.name = std::move(name);
  base.rejecting_side = presenter == Role::kClient ? Role::kServer : Role::kClient;
  base.expected_error = ErrorClass::kUntrustedIssuer;
  if (presenter == Role::kClient) {
    base.client_credentials = std::move(untrusted);
  } else {
    base.server_credentials = std::move(untrusted);
  }
  return base;
}

// Post-quantum certificates (TLS 1.3 only) with classical and hybrid key exchange (the standard
// hybrid and wolfSSL's pre-standard one: a backend runs the pairs it has), and each side
// presenting a leaf of the same algorithm from a root nobody trusts.
void AddPostQuantumCertificateCases(std::vector<Case>& cases) {
  for (const std::string& scheme : PostQuantumPkiSchemes()) {
    for (Group group : {Group::kX25519, Group::kX25519MlKem768, Group::kP384Kyber768}) {
      cases.push_back(Baseline(absl::StrCat("positive/", scheme, "/TLSv1.3/", GroupName(group)),
                               scheme, TlsVersion::kTls13, group));
    }
    for (Role presenter : {Role::kClient, Role::kServer}) {
      cases.push_back(PresentingUntrusted(
          Baseline("", scheme, TlsVersion::kTls13, Group::kX25519),
          absl::StrCat("negative/", scheme, "/", RoleName(presenter), "-cert-untrusted-ca/TLSv1.3"),
          presenter, Invalid(absl::StrCat(scheme, "-", RoleName(presenter), "-untrusted"))));
    }
  }
}

// Raw public keys (RFC 7250) with ECDSA P-256 keys, and each side presenting a key the other does
// not trust.
void AddRawPublicKeyCases(std::vector<Case>& cases) {
  for (TlsVersion version : kVersions) {
    Case c = Baseline(absl::StrCat("positive/rpk/", TlsVersionName(version)), "rpk", version,
                      Group::kX25519);
    c.spec.credentials = CredentialKind::kRawPublicKeys;
    cases.push_back(c);
    for (Role presenter : {Role::kClient, Role::kServer}) {
      cases.push_back(
          PresentingUntrusted(c,
                              absl::StrCat("negative/rpk-untrusted-", RoleName(presenter), "-key/",
                                           TlsVersionName(version)),
                              presenter, Invalid(absl::StrCat(RoleName(presenter), "-untrusted"))));
    }
  }
}

// TLS-SRP (TLS 1.2 only): the right password, a wrong one, and an unknown user.
void AddSrpCases(std::vector<Case>& cases) {
  Case c;
  c.name = "positive/srp/TLSv1.2";
  c.spec.credentials = CredentialKind::kSrpPassword;
  c.spec.scheme = "srp";
  c.spec.version = TlsVersion::kTls12;
  cases.push_back(c);
  Case wrong_password = c;
  wrong_password.name = "negative/srp-wrong-password/TLSv1.2";
  wrong_password.client_srp = TestSrpPassword();
  wrong_password.client_srp->password += "!";
  wrong_password.expected_error = ErrorClass::kPasswordRejected;
  cases.push_back(wrong_password);
  Case unknown_user = c;
  unknown_user.name = "negative/srp-unknown-user/TLSv1.2";
  unknown_user.client_srp = TestSrpPassword();
  unknown_user.client_srp->username = "device-9999";
  unknown_user.expected_error = ErrorClass::kPasswordRejected;
  cases.push_back(unknown_user);
}

// TLS 1.3 with both sides offering one RFC 8879 algorithm: the certificates travel compressed
// (the client's where the library compresses it) and verify as uncompressed ones.
void AddCertificateCompressionCases(std::vector<Case>& cases) {
  for (CertificateCompression algorithm : kAllCertificateCompressions) {
    Case c = Baseline(absl::StrCat("positive/cert-compression-",
                                   CertificateCompressionName(algorithm), "/TLSv1.3"),
                      "ecdsa-p256", TlsVersion::kTls13, Group::kX25519);
    c.spec.certificate_compression = algorithm;
    cases.push_back(c);
  }
  // An attacking peer's compressed certificate (zlib), to a side that offers to decompress it:
  // honest (the control), decompressing to garbage, and to more than it announces.
  for (Role attacker : {Role::kServer, Role::kClient}) {
    for (const char* fault : {"compressed-honest", "compressed-garbage", "compressed-overlong"}) {
      Case c = Baseline(absl::StrCat("hostile/", RoleName(attacker), "-", fault, "/TLSv1.3"),
                        "ecdsa-p256", TlsVersion::kTls13, Group::kX25519);
      c.spec.certificate_compression = CertificateCompression::kZlib;
      (attacker == Role::kClient ? c.hostile_client : c.hostile_server) = fault;
      if (absl::string_view(fault) != "compressed-honest") {
        c.expected_error = ErrorClass::kHandshakeFailure;
      }
      cases.push_back(c);
    }
  }
}

// DTLS twins of the TLS cases a datagram transport changes nothing in but the record layer: the
// ECDSA P-256 handshake, the server-auth baseline, every certificate negative, and the PSK and
// raw-key cases, named as their TLS case but for the version ("negative/no-client-cert/DTLSv1.2").
// TLS-SRP has no DTLS; the attacking client speaks TLS only.
bool HasDatagramTwin(const Case& c) {
  if (c.spec.credentials == CredentialKind::kSrpPassword || !c.hostile_client.empty() ||
      !c.hostile_server.empty() || c.spec.resumption != Resumption::kOff ||
      IsPostQuantumScheme(c.spec.scheme)) {
    return false;
  }
  const absl::string_view name = c.name;
  return absl::StartsWith(name, "negative/") || absl::StartsWith(name, "baseline/") ||
         absl::StartsWith(name, "positive/psk/") || absl::StartsWith(name, "positive/rpk/") ||
         (absl::StartsWith(name, "positive/ecdsa-p256/TLSv1.") && c.spec.group == Group::kX25519);
}

Case DatagramTwin(Case c) {
  c.spec.protocol = Protocol::kDtls;
  c.name = absl::StrReplaceAll(c.name, {{"/TLSv1.", "/DTLSv1."}});
  return c;
}

// What only DTLS has: the cookie exchange, the loss of each of the first flights, a replayed
// ClientHello, reordering, and a certificate flight larger than the path MTU (DTLS 1.2; a
// backend without DTLS 1.2 reports them unsupported); a session kept across a change of the
// client's address by its Connection ID (DTLS 1.2 and 1.3).
void AddDatagramCases(std::vector<Case>& cases) {
  constexpr size_t kSmallMtu = 400;  // below the certificate flights, above every ClientHello
  auto datagram_case = [](absl::string_view what) {
    Case c = Baseline(absl::StrCat("positive/dtls-", what, "/DTLSv1.2"), "ecdsa-p256",
                      TlsVersion::kTls12, Group::kX25519);
    c.spec.protocol = Protocol::kDtls;
    return c;
  };
  Case c = datagram_case("cookie");
  c.spec.cookie_exchange = true;
  cases.push_back(c);
  c = datagram_case("cookie-hello-verify-request-lost");
  c.spec.cookie_exchange = true;
  c.datagram_link.loss.drop_flight_start = {2};
  cases.push_back(c);
  // ClientHello, the server's hello flight, the client's authentication flight, the server's
  // Finished flight.
  for (uint32_t flight : {1, 2, 3, 4}) {
    c = datagram_case(absl::StrCat("flight-", flight, "-lost"));
    c.lost_handshake_flight = flight;
    cases.push_back(c);
  }
  c = datagram_case("replayed-client-hello");
  c.datagram_link.loss.duplicate[0] = {1};
  cases.push_back(c);
  c = datagram_case("reordered");
  c.datagram_link.mtu = kSmallMtu;
  c.datagram_link.loss.hold_back[1] = {1};
  cases.push_back(c);
  c = datagram_case("certificate-flight-above-mtu");
  c.datagram_link.mtu = kSmallMtu;
  c.expect_fragmentation = true;
  cases.push_back(c);
  // A NAT rebinding after the handshake: the server keeps its client by the Connection ID its
  // library negotiated (RFC 9146 in DTLS 1.2, RFC 9147 section 9 in DTLS 1.3).
  for (TlsVersion version : {TlsVersion::kTls12, TlsVersion::kTls13}) {
    c = Baseline(
        absl::StrCat("positive/dtls-cid-rebinding/", VersionName(Protocol::kDtls, version)),
        "ecdsa-p256", version, Group::kX25519);
    c.spec.protocol = Protocol::kDtls;
    c.spec.connection_id = true;
    c.datagram_link.rebind_client_after_handshake = true;
    cases.push_back(c);
  }
}

std::vector<Case> BuildCases() {
  std::vector<Case> cases;
  for (const std::string& scheme : PkiSchemes()) {
    for (TlsVersion version : kVersions) {
      for (Group group : kGroups) {
        cases.push_back(Baseline(
            absl::StrCat("positive/", scheme, "/", TlsVersionName(version), "/", GroupName(group)),
            scheme, version, group));
      }
    }
  }
  // Post-quantum key exchange (TLS 1.3 only), with the classical certificates.
  for (Group group :
       {Group::kX25519MlKem768, Group::kMlKem768, Group::kKyber768, Group::kP384Kyber768}) {
    cases.push_back(Baseline(absl::StrCat("positive/ecdsa-p256/TLSv1.3/", GroupName(group)),
                             "ecdsa-p256", TlsVersion::kTls13, group));
  }
  AddPostQuantumCertificateCases(cases);
  for (int depth : {1, 3}) {
    Case c = Baseline(absl::StrCat("positive/chain-depth-", depth), "ecdsa-p256",
                      TlsVersion::kTls13, Group::kX25519);
    c.spec.depth = depth;
    cases.push_back(c);
  }
  for (int limit : {1, 2}) {
    // Pins what max_chain_depth means on every backend: intermediates between leaf and anchor.
    Case c = Baseline(absl::StrCat("positive/chain-at-depth-limit-", limit), "ecdsa-p256",
                      TlsVersion::kTls13, Group::kX25519);
    c.client_credentials =
        LeafFiles("ecdsa-p256", Role::kClient, limit + 1);  // `limit` intermediates
    c.server_max_chain_depth = limit;
    cases.push_back(c);
  }
  for (TlsVersion version : kVersions) {
    Case baseline = Baseline(absl::StrCat("baseline/server-auth-only/", TlsVersionName(version)),
                             "ecdsa-p256", version, Group::kX25519);
    baseline.spec.mutual = false;
    cases.push_back(baseline);

    Case c =
        Negative("client-cert-untrusted-ca", version, Role::kServer, ErrorClass::kUntrustedIssuer);
    c.client_credentials = Invalid("client-untrusted");
    cases.push_back(c);

    c = Negative("client-cert-expired", version, Role::kServer, ErrorClass::kExpired);
    c.client_credentials = Invalid("client-expired");
    cases.push_back(c);

    c = Negative("client-cert-not-yet-valid", version, Role::kServer, ErrorClass::kNotYetValid);
    c.client_credentials = Invalid("client-not-yet-valid");
    cases.push_back(c);

    c = Negative("client-cert-serverauth-eku", version, Role::kServer, ErrorClass::kBadKeyUsage);
    c.client_credentials = Invalid("client-serverauth-eku");
    cases.push_back(c);

    c = Negative("no-client-cert", version, Role::kServer, ErrorClass::kNoPeerCertificate);
    c.client_without_certificate = true;
    cases.push_back(c);

    c = Negative("client-key-mismatch", version, Role::kClient, ErrorClass::kKeyMismatch);
    c.client_credentials =
        CredentialFiles{"invalid/client-wrong-key.crt", "invalid/client-wrong.key"};
    cases.push_back(c);

    c = Negative("server-name-mismatch", version, Role::kClient, ErrorClass::kNameMismatch);
    c.client_expected_name = "other.mtls.test";
    cases.push_back(c);

    c = Negative("client-chain-too-long", version, Role::kServer, ErrorClass::kChainTooLong);
    c.client_credentials = LeafFiles("ecdsa-p256", Role::kClient, 3);  // two intermediates
    c.server_max_chain_depth = 1;
    cases.push_back(c);

    c = Negative("server-cert-untrusted-ca", version, Role::kClient, ErrorClass::kUntrustedIssuer);
    c.server_credentials = Invalid("server-untrusted");
    cases.push_back(c);

    c = Negative("client-cert-self-signed", version, Role::kServer, ErrorClass::kUntrustedIssuer);
    c.client_credentials = Invalid("client-self-signed");
    cases.push_back(c);
  }
  for (Resumption resumption : {Resumption::kTickets, Resumption::kSessionIds}) {
    for (TlsVersion version : kVersions) {
      // TLS 1.3 has one resumption mechanism, PSKs from tickets (RFC 8446 2.2).
      if (resumption == Resumption::kSessionIds && version == TlsVersion::kTls13) continue;
      Case c = Baseline("", "ecdsa-p256", version, Group::kX25519);
      c.spec.resumption = resumption;
      c.name = ResumptionCaseName(c.spec);
      cases.push_back(c);
      absl::StrAppend(&c.name, kAfterOtherClients);
      c.other_clients_before_resuming = kOtherClientsBeforeResuming;
      c.other_client = {"other-clients/ecdsa-p256/client-d2.chain.pem",
                        "other-clients/ecdsa-p256/client-d2.key"};
      cases.push_back(c);
    }
  }
  AddHostileClientCases(cases);
  AddPskCases(cases);
  AddRawPublicKeyCases(cases);
  AddSrpCases(cases);
  AddCertificateCompressionCases(cases);
  const size_t tls_cases = cases.size();
  for (size_t i = 0; i < tls_cases; ++i) {
    if (HasDatagramTwin(cases[i])) cases.push_back(DatagramTwin(cases[i]));
  }
  AddDatagramCases(cases);
  return cases;
}

}  // namespace

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

absl::string_view KindOf(const Case& c) {
  if (!c.hostile_client.empty() || !c.hostile_server.empty()) return "hostile";
  if (c.spec.resumption != Resumption::kOff) return "resumption";
  if (!c.spec.mutual) return "baseline";
  return c.expected_error ? "negative" : "positive";
}

const std::vector<Case>& AllCases() {
  static const std::vector<Case> cases = BuildCases();
  return cases;
}

absl::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kRejectedAsExpected:
      return "rejected-as-expected";
    case Verdict::kDeviation:
      return "deviation";
    case Verdict::kFinding:
      return "finding";
    case Verdict::kUnsupported:
      return "unsupported";
    case Verdict::kFail:
      return "FAIL";
  }
  return "?";
}

}  // namespace mtls::conformance
