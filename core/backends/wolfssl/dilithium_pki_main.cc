// Writes the test PKI of wolfSSL's pre-standard Dilithium (5.7: round-3 OIDs, the FIPS 204 draft
// algorithm): no other tool makes these certificates, and OpenSSL's ML-DSA ones are a different
// algorithm under other OIDs. Same layout, names, validity and profiles as scripts/gen-pki, which
// runs this for the dilithium2 / dilithium3 schemes.
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/dilithium.h>
#include <wolfssl/wolfcrypt/random.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#if defined(HAVE_DILITHIUM) && defined(WOLFSSL_CERT_GEN) && defined(WOLFSSL_CERT_EXT) && \
    defined(WOLFSSL_ALT_NAMES)
namespace {

constexpr int kBufferSize = 32 * 1024;  // a level-3 certificate is about 5.5 KiB

[[noreturn]] void Fail(const std::string& what, int rc = 0) {
  std::fprintf(stderr, "dilithium-pki: %s failed%s\n", what.c_str(),
               rc ? (" (wolfCrypt error " + std::to_string(rc) + ")").c_str() : "");
  std::exit(1);
}

// DER-encoded validity times, as gen-pki sets them: UTCTime before 2050, GeneralizedTime after.
std::string Time(const std::string& text) {
  const char tag = text.size() == 13 ? 0x17 : 0x18;
  return std::string{tag, static_cast<char>(text.size())} + text;
}
const std::string kLeafFrom = Time("240101000000Z");
const std::string kCaFrom = Time("000101000000Z");
const std::string kUntil = Time("20991231235959Z");

// SubjectAltName values (GeneralNames): [2] dNSName, [6] URI, [7] iPAddress.
std::string GeneralName(char tag, const std::string& value) {
  return std::string{tag, static_cast<char>(value.size())} + value;
}
std::string GeneralNames(const std::string& names) {
  return std::string{0x30, static_cast<char>(names.size())} + names;
}
const std::string kServerNames =
    GeneralNames(GeneralName(char(0x82), "server.mtls.test") +
                 GeneralName(char(0x87), std::string("\x7f\0\0\1", 4)));
const std::string kClientNames = GeneralNames(GeneralName(char(0x82), "client.mtls.test") +
                                              GeneralName(char(0x86), "urn:mtls:device:0001"));

enum class Profile { kCa, kServer, kClient };

struct Issued {
  std::string der;
  dilithium_key key;
};

class DilithiumPki {
 public:
  explicit DilithiumPki(int level)
      : level_(level),
        key_type_(level == 2 ? DILITHIUM_LEVEL2_TYPE : DILITHIUM_LEVEL3_TYPE),
        sig_type_(level == 2 ? CTC_DILITHIUM_LEVEL2 : CTC_DILITHIUM_LEVEL3) {
#ifdef WC_RNG_SEED_CB
    wc_SetSeed_Cb(wc_GenerateSeed);  // such builds have no seed source until one is set
#endif
    if (int rc = wc_InitRng(&rng_)) Fail("wc_InitRng", rc);
  }
  ~DilithiumPki() { wc_FreeRng(&rng_); }

  // A new key and its certificate, signed by `issuer` (self-signed when null).
  void Issue(Issued& out, Profile profile, const std::string& common_name, Issued* issuer,
             const std::string& not_before) {
    NewKey(out.key);
    Cert cert;
    if (int rc = wc_InitCert(&cert)) Fail("wc_InitCert", rc);
    cert.sigType = sig_type_;
    std::snprintf(cert.subject.org, CTC_NAME_SIZE, "%s", "mtls-bench test PKI");
    std::snprintf(cert.subject.commonName, CTC_NAME_SIZE, "%s", common_name.c_str());
    Copy(not_before, cert.beforeDate, cert.beforeDateSz);
    Copy(kUntil, cert.afterDate, cert.afterDateSz);
    const bool ca = profile == Profile::kCa;
    cert.isCA = ca ? 1 : 0;
    Check(wc_SetKeyUsage(&cert, ca ? "keyCertSign,cRLSign" : "digitalSignature,keyEncipherment"),
          "wc_SetKeyUsage");
    if (!ca) {
      const bool server = profile == Profile::kServer;
      Check(wc_SetExtKeyUsage(&cert, server ? "serverAuth" : "clientAuth"), "wc_SetExtKeyUsage");
      Copy(server ? kServerNames : kClientNames, cert.altNames, cert.altNamesSz);
    }
    dilithium_key& signer = issuer ? issuer->key : out.key;
    Check(wc_SetSubjectKeyIdFromPublicKey_ex(&cert, key_type_, &out.key), "subject key id");
    Check(wc_SetAuthKeyIdFromPublicKey_ex(&cert, key_type_, &signer), "authority key id");
    if (issuer) {
      Check(wc_SetIssuerBuffer(&cert, Bytes(issuer->der), static_cast<int>(issuer->der.size())),
            "wc_SetIssuerBuffer");
    }
    std::string der(kBufferSize, '\0');
    auto* buffer = reinterpret_cast<byte*>(der.data());
    Check(wc_MakeCert_ex(&cert, buffer, kBufferSize, key_type_, &out.key, &rng_), "wc_MakeCert_ex");
    const int size =
        wc_SignCert_ex(cert.bodySz, cert.sigType, buffer, kBufferSize, key_type_, &signer, &rng_);
    if (size <= 0) Fail("wc_SignCert_ex", size);
    der.resize(size);
    out.der = der;
  }

  static std::string CertificatePem(const std::string& der) { return Pem(der, CERT_TYPE); }
  static std::string KeyPem(dilithium_key& key) {
    std::string der(kBufferSize, '\0');
    // The private key alone: wolfSSL 5.7 cannot load the PKCS#8 form that carries the public
    // key too (wc_Dilithium_KeyToDer).
    const int size =
        wc_Dilithium_PrivateKeyToDer(&key, reinterpret_cast<byte*>(der.data()), kBufferSize);
    if (size <= 0) Fail("wc_Dilithium_PrivateKeyToDer", size);
    der.resize(size);
    return Pem(der, PKCS8_PRIVATEKEY_TYPE);
  }

 private:
  static const byte* Bytes(const std::string& text) {
    return reinterpret_cast<const byte*>(text.data());
  }
  static void Check(int rc, const char* what) {
    if (rc < 0) Fail(what, rc);
  }
  static void Copy(const std::string& from, byte* to, int& size) {
    std::memcpy(to, from.data(), from.size());
    size = static_cast<int>(from.size());
  }
  static std::string Pem(const std::string& der, int type) {
    std::string pem(2 * der.size() + 128, '\0');
    const int size =
        wc_DerToPem(Bytes(der), static_cast<word32>(der.size()),
                    reinterpret_cast<byte*>(pem.data()), static_cast<word32>(pem.size()), type);
    if (size <= 0) Fail("wc_DerToPem", size);
    pem.resize(size);
    return pem;
  }
  void NewKey(dilithium_key& key) {
    Check(wc_dilithium_init(&key), "wc_dilithium_init");
    Check(wc_dilithium_set_level(&key, static_cast<byte>(level_)), "wc_dilithium_set_level");
    Check(wc_dilithium_make_key(&key, &rng_), "wc_dilithium_make_key");
  }

  int level_, key_type_, sig_type_;
  WC_RNG rng_;
};

void Write(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  if (!(file << text)) Fail("writing " + path);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 || (std::strcmp(argv[1], "2") != 0 && std::strcmp(argv[1], "3") != 0)) {
    std::fprintf(stderr, "usage: %s LEVEL(2|3) SCHEME_DIR INVALID_DIR\n", argv[0]);
    return 2;
  }
  const std::string scheme = std::string("dilithium") + argv[1];
  const std::string dir = argv[2], invalid = std::string(argv[3]) + "/" + scheme;
  DilithiumPki pki(std::atoi(argv[1]));
  static Issued root, int1, int2, leaf, other_root;
  pki.Issue(root, Profile::kCa, scheme + " root CA", nullptr, kCaFrom);
  pki.Issue(int1, Profile::kCa, scheme + " intermediate CA 1", &root, kCaFrom);
  pki.Issue(int2, Profile::kCa, scheme + " intermediate CA 2", &int1, kCaFrom);
  Write(dir + "/root.crt", DilithiumPki::CertificatePem(root.der));
  Write(dir + "/root.key", DilithiumPki::KeyPem(root.key));
  Write(dir + "/int1.crt", DilithiumPki::CertificatePem(int1.der));
  Write(dir + "/int2.crt", DilithiumPki::CertificatePem(int2.der));
  Issued* issuers[] = {&root, &int1, &int2};
  for (Profile profile : {Profile::kServer, Profile::kClient}) {
    const std::string role = profile == Profile::kServer ? "server" : "client";
    std::string intermediates;  // the chain above the leaf, nearest first
    for (int depth = 1; depth <= 3; ++depth) {
      pki.Issue(leaf, profile, role + ".mtls.test", issuers[depth - 1], kLeafFrom);
      const std::string base = dir + "/" + role + "-d" + std::to_string(depth);
      Write(base + ".chain.pem", DilithiumPki::CertificatePem(leaf.der) + intermediates);
      Write(base + ".key", DilithiumPki::KeyPem(leaf.key));
      if (depth < 3) {
        intermediates = DilithiumPki::CertificatePem(issuers[depth]->der) + intermediates;
      }
    }
  }
  // Leaves from a root nobody trusts, for the negative cases.
  pki.Issue(other_root, Profile::kCa, "untrusted " + scheme + " root CA", nullptr, kCaFrom);
  Write(invalid + "-other-root.crt", DilithiumPki::CertificatePem(other_root.der));
  for (Profile profile : {Profile::kServer, Profile::kClient}) {
    const std::string role = profile == Profile::kServer ? "server" : "client";
    pki.Issue(leaf, profile, role + ".mtls.test", &other_root, kLeafFrom);
    Write(invalid + "-" + role + "-untrusted.crt", DilithiumPki::CertificatePem(leaf.der));
    Write(invalid + "-" + role + "-untrusted.key", DilithiumPki::KeyPem(leaf.key));
  }
  return 0;
}
#else
int main() {
  std::fprintf(stderr,
               "dilithium-pki: this wolfSSL build has no Dilithium certificate generation "
               "(needs --enable-experimental --enable-dilithium and certgen; see scripts/deps)\n");
  return 2;
}
#endif
