// The test PKI of corpora/pki, compiled into the firmware (a microcontroller has no files):
// credentials.cc is generated from the PEM files at configure time (mcu/CMakeLists.txt).
#pragma once

namespace mtls::mcu::pki {

extern const char kRoot[];         // ecdsa-p256/root.crt
extern const char kServerChain[];  // ecdsa-p256/server-d1.chain.pem
extern const char kServerKey[];
extern const char kClientChain[];  // ecdsa-p256/client-d1.chain.pem
extern const char kClientKey[];
extern const char kUntrustedClient[];  // invalid/client-untrusted.crt (another root's leaf)
extern const char kUntrustedClientKey[];
extern const char kServerAuthEkuClient[];  // invalid/client-serverauth-eku.crt (no clientAuth)
extern const char kServerAuthEkuClientKey[];

inline constexpr char kServerName[] = "server.mtls.test";

// The host's test external PSK (core/src/pki_catalog.cc, TestPsk): identity "device-0001" and
// the 32 bytes 0xa0, 0xa1, ... 0xbf. Test material, not a secret.
inline constexpr char kPskIdentity[] = "device-0001";
inline constexpr unsigned char kPskKey[32] = {
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
    0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf};

}  // namespace mtls::mcu::pki
