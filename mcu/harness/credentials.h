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

}  // namespace mtls::mcu::pki
