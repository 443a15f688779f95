// The firmware's command line (it arrives by semihosting): which case, protocol, version and
// group to run, and how often. Bad arguments end the program with a one-line error, exit 2.
#pragma once

#include <stddef.h>

#include "endpoint.h"

namespace mtls::mcu {

struct Options {
  const char* case_name = "mtls";  // mtls, untrusted-ca, wrong-eku, psk
  Protocol protocol = Protocol::kTls;
  Version version = Version::k13;  // TLS's default; DTLS's is 1.2
  Group group = Group::kP256;
  size_t mtu = DatagramChannel::kDefaultMtu;  // DTLS only
  int handshakes = 1;
};

Options ParseOptions(int argc, char** argv);

// The host's names: "TLSv1.3", "DTLSv1.2", ...; "P-256", "X25519".
const char* VersionName(const Options& options);
const char* GroupName(Group group);
bool IsCase(const Options& options, const char* name);

}  // namespace mtls::mcu
