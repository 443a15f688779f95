#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

namespace mtls::mcu {
namespace {

constexpr const char* kCases[] = {"mtls", "untrusted-ca", "wrong-eku", "psk"};

[[noreturn]] void Usage(const char* problem) {
  fprintf(stderr,
          "mtls-mcu: %s (--case=mtls|untrusted-ca|wrong-eku|psk --protocol=tls|dtls "
          "--version=1.2|1.3 --group=P-256|X25519 --mtu=N --handshakes=N)\n",
          problem);
  BoardExit(2);
}

bool Starts(const char* arg, const char* prefix) {
  return strncmp(arg, prefix, strlen(prefix)) == 0;
}

}  // namespace

Options ParseOptions(int argc, char** argv) {
  Options options;
  bool version_given = false, mtu_given = false;
  for (int i = 1; i < argc; ++i) {
    const char* arg = argv[i];
    if (Starts(arg, "--case=")) {
      options.case_name = arg + 7;
      bool known = false;
      for (const char* name : kCases) known = known || strcmp(options.case_name, name) == 0;
      if (!known) Usage("unknown case");
    } else if (strcmp(arg, "--protocol=tls") == 0) {
      options.protocol = Protocol::kTls;
    } else if (strcmp(arg, "--protocol=dtls") == 0) {
      options.protocol = Protocol::kDtls;
    } else if (Starts(arg, "--protocol=")) {
      Usage("unknown protocol");
    } else if (strcmp(arg, "--version=1.2") == 0 || strcmp(arg, "--version=1.3") == 0) {
      options.version = arg[12] == '2' ? Version::k12 : Version::k13;
      version_given = true;
    } else if (Starts(arg, "--version=")) {
      Usage("unknown version");
    } else if (strcmp(arg, "--group=P-256") == 0) {
      options.group = Group::kP256;
    } else if (strcmp(arg, "--group=X25519") == 0) {
      options.group = Group::kX25519;
    } else if (Starts(arg, "--mtu=")) {
      long mtu = atol(arg + 6);
      if (mtu < static_cast<long>(DatagramChannel::kMinMtu) ||
          mtu > static_cast<long>(DatagramChannel::kCapacity)) {
        char problem[64];
        snprintf(problem, sizeof problem, "--mtu must be %u to %u bytes",
                 static_cast<unsigned>(DatagramChannel::kMinMtu),
                 static_cast<unsigned>(DatagramChannel::kCapacity));
        Usage(problem);
      }
      options.mtu = static_cast<size_t>(mtu);
      mtu_given = true;
    } else if (Starts(arg, "--handshakes=")) {
      options.handshakes = atoi(arg + 13);
      if (options.handshakes < 1) Usage("--handshakes must be a positive number");
    } else {
      Usage("unknown argument");
    }
  }
  if (options.protocol == Protocol::kDtls && !version_given) options.version = Version::k12;
  if (mtu_given && options.protocol != Protocol::kDtls) Usage("--mtu needs --protocol=dtls");
  // The firmware's PSK suites are (D)TLS 1.2's; TLS 1.3's external PSK is not implemented here.
  if (IsCase(options, "psk") && options.version != Version::k12) {
    Usage("--case=psk runs (D)TLS 1.2 (--version=1.2, DTLS's default)");
  }
  return options;
}

const char* VersionName(const Options& options) {
  if (options.protocol == Protocol::kDtls) {
    return options.version == Version::k12 ? "DTLSv1.2" : "DTLSv1.3";
  }
  return options.version == Version::k12 ? "TLSv1.2" : "TLSv1.3";
}

const char* GroupName(Group group) { return group == Group::kP256 ? "P-256" : "X25519"; }

bool IsCase(const Options& options, const char* name) {
  return strcmp(options.case_name, name) == 0;
}

}  // namespace mtls::mcu
