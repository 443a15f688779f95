#include "handshake_options.h"

#include "absl/strings/str_cat.h"
#include "mtls/pki_catalog.h"

namespace mtls::fuzz {
namespace {
constexpr Group kGroups[4] = {Group::kX25519, Group::kP256, Group::kP384, Group::kX25519};
}  // namespace

HandshakeOptions DecodeOptions(uint8_t tag) {
  HandshakeOptions options;
  options.version = (tag & 1) ? TlsVersion::kTls12 : TlsVersion::kTls13;
  options.group = kGroups[(tag >> 1) & 3];
  const auto& schemes = PkiSchemes();
  options.scheme = schemes[((tag >> 3) & 7) % schemes.size()];
  options.depth = (tag >> 6) == 3 ? 1 : (tag >> 6) + 1;
  return options;
}

uint8_t EncodeOptions(const HandshakeOptions& options) {
  const auto& schemes = PkiSchemes();
  int scheme = 0;
  while (schemes[scheme] != options.scheme) ++scheme;
  const int group = options.group == Group::kX25519 ? 0 : options.group == Group::kP256 ? 1 : 2;
  return static_cast<uint8_t>((options.version == TlsVersion::kTls12 ? 1 : 0) | group << 1 |
                              scheme << 3 | (options.depth - 1) << 6);
}

std::string OptionsName(const HandshakeOptions& options) {
  return absl::StrCat(TlsVersionName(options.version), "-", GroupName(options.group), "-",
                      options.scheme, "-d", options.depth);
}

}  // namespace mtls::fuzz
