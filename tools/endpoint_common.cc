#include "endpoint_common.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>

#include "absl/flags/flag.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/cli.h"
#include "mtls/datagram_link.h"
#include "mtls/pki.h"
#include "mtls/x509_identity.h"

ABSL_FLAG(std::string, trust, "", "Roots that the peer's chain must lead to (PEM bundle).");
ABSL_FLAG(std::string, chain, "", "Own certificate chain (PEM, leaf first).");
ABSL_FLAG(std::string, key, "", "Own private key (PEM).");
ABSL_FLAG(std::string, protocol, "tls", "tls (over TCP), or dtls (over UDP).");
ABSL_FLAG(
    std::string, tls_version, "",
    "Only this version (1.2 or 1.3: of TLS, or of DTLS with --protocol dtls); default: both.");
ABSL_FLAG(int, mtu, static_cast<int>(mtls::kDefaultDatagramMtu),
          "DTLS: the path MTU, the largest datagram (UDP payload) either side sends.");
ABSL_FLAG(bool, cid, false, "DTLS: negotiate a Connection ID (RFC 9146; DTLS 1.3's on wolfSSL).");
ABSL_FLAG(std::string, group, "",
          "Only this key-exchange group (X25519, P-256, P-384, "
          "X25519MLKEM768, MLKEM768, Kyber768, P384Kyber768).");
ABSL_FLAG(std::string, raw_key_peer, "",
          "Raw public keys (RFC 7250) instead of certificates: accept only the peer whose public "
          "key is that of this certificate (PEM); this side's own key is --chain/--key's.");
ABSL_FLAG(std::string, srp_user, "", "TLS-SRP (TLS 1.2) instead of certificates: user name.");
ABSL_FLAG(std::string, srp_password, "", "TLS-SRP password (with --srp_user).");
ABSL_FLAG(std::string, psk_identity, "",
          "External pre-shared key instead of certificates: its identity (with --psk_key).");
ABSL_FLAG(std::string, psk_key, "", "The pre-shared key, in hex (as openssl's -psk takes it).");
ABSL_FLAG(bool, psk_only, false,
          "With a pre-shared key: no (EC)DHE (TLS 1.3 psk_ke; TLS 1.2's plain PSK suites).");

namespace mtls::cli {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) Die(value.status());
  return *std::move(value);
}

std::string HexOrDie(absl::string_view hex, absl::string_view flag) {
  const bool valid = !hex.empty() && hex.size() % 2 == 0 &&
                     std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(c); });
  if (!valid) Die(absl::StrCat("--", flag, " must be an even number of hex digits"));
  return absl::HexStringToBytes(hex);
}

}  // namespace

EndpointConfig EndpointFromFlags(Role role) {
  EndpointConfig config;
  config.role = role;
  config.protocol = OrDie(ParseProtocol(absl::GetFlag(FLAGS_protocol)));
  if (config.protocol == Protocol::kTls &&
      (absl::GetFlag(FLAGS_cid) ||
       absl::GetFlag(FLAGS_mtu) != static_cast<int>(kDefaultDatagramMtu))) {
    Die("--mtu and --cid need --protocol dtls");
  }
  config.dtls.connection_id = absl::GetFlag(FLAGS_cid);
  if (!absl::GetFlag(FLAGS_trust).empty()) {
    config.trust_anchors_der = OrDie(LoadCertificates(absl::GetFlag(FLAGS_trust)));
  }
  const std::string chain = absl::GetFlag(FLAGS_chain);
  const std::string key = absl::GetFlag(FLAGS_key);
  if (chain.empty() != key.empty()) Die("give both --chain and --key");
  if (!chain.empty()) config.credentials = OrDie(LoadCredentials(chain, key));
  if (const std::string version = absl::GetFlag(FLAGS_tls_version); !version.empty()) {
    config.min_version = config.max_version = OrDie(ParseVersion(config.protocol, version));
  }
  if (const std::string group = absl::GetFlag(FLAGS_group); !group.empty()) {
    config.groups = {OrDie(ParseGroup(group))};
  }
  if (const std::string peer = absl::GetFlag(FLAGS_raw_key_peer); !peer.empty()) {
    RawPublicKeys keys;
    for (const std::string& certificate : OrDie(LoadCertificates(peer))) {
      keys.trusted_peer_keys_der.push_back(OrDie(CertificateSpki(certificate)));
    }
    config.raw_public_keys = std::move(keys);
  }
  const std::string user = absl::GetFlag(FLAGS_srp_user);
  const std::string password = absl::GetFlag(FLAGS_srp_password);
  if (user.empty() != password.empty()) Die("give both --srp_user and --srp_password");
  if (!user.empty()) config.srp = SrpPassword{user, password};
  const std::string psk_identity = absl::GetFlag(FLAGS_psk_identity);
  const std::string psk_key = absl::GetFlag(FLAGS_psk_key);
  if (psk_identity.empty() != psk_key.empty()) Die("give both --psk_identity and --psk_key");
  if (!psk_identity.empty()) {
    config.psk = ExternalPsk{
        psk_identity, HexOrDie(psk_key, "psk_key"),
        absl::GetFlag(FLAGS_psk_only) ? PskKeyExchange::kPskOnly : PskKeyExchange::kDhe};
  } else if (absl::GetFlag(FLAGS_psk_only)) {
    Die("--psk_only needs --psk_identity and --psk_key");
  }
  return config;
}

size_t DatagramMtuFromFlags() {
  DatagramLinkOptions link;
  link.mtu = static_cast<size_t>(std::max(absl::GetFlag(FLAGS_mtu), 0));
  if (absl::Status valid = Validate(link); !valid.ok()) Die(valid);
  return link.mtu;
}

namespace {

struct Statistics {
  double mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  double cpu_us = 0, bytes_c2s = 0, bytes_s2c = 0;  // means
};

Statistics Summarise(const std::vector<HandshakeSample>& samples) {
  Statistics s;
  if (samples.empty()) return s;
  std::vector<double> latencies;
  for (const HandshakeSample& sample : samples) {
    latencies.push_back(sample.latency_ms);
    s.cpu_us += sample.cpu_us / samples.size();
    s.bytes_c2s += static_cast<double>(sample.bytes_c2s) / samples.size();
    s.bytes_s2c += static_cast<double>(sample.bytes_s2c) / samples.size();
  }
  std::sort(latencies.begin(), latencies.end());
  auto percentile = [&](double p) {  // nearest rank
    const size_t rank = static_cast<size_t>(std::ceil(p / 100 * latencies.size()));
    return latencies[std::clamp<size_t>(rank, 1, latencies.size()) - 1];
  };
  s.mean_ms = std::accumulate(latencies.begin(), latencies.end(), 0.0) / latencies.size();
  s.p50_ms = percentile(50);
  s.p90_ms = percentile(90);
  s.p99_ms = percentile(99);
  s.max_ms = latencies.back();
  return s;
}

}  // namespace

void HandshakeTally::Print() const {
  if (samples_.empty()) return;
  const Statistics s = Summarise(samples_);
  std::printf("latency ms: mean %.3f p50 %.3f p90 %.3f p99 %.3f max %.3f\n", s.mean_ms, s.p50_ms,
              s.p90_ms, s.p99_ms, s.max_ms);
  std::printf("per handshake: %s_cpu_us %.0f bytes_c2s %.0f bytes_s2c %.0f\n",
              std::string(RoleName(role_)).c_str(), s.cpu_us, s.bytes_c2s, s.bytes_s2c);
}

nlohmann::json HandshakeTally::Json(int attempted) const {
  const Statistics s = Summarise(samples_);
  return {{"handshakes", attempted},
          {"verified", verified()},
          {"mutual_auth_verified", attempted > 0 && verified() == attempted ? 1 : 0},
          {"latency_ms",
           {{"mean", s.mean_ms},
            {"p50", s.p50_ms},
            {"p90", s.p90_ms},
            {"p99", s.p99_ms},
            {"max", s.max_ms}}},
          {absl::StrCat(RoleName(role_), "_cpu_us"), s.cpu_us},
          {"bytes_c2s", s.bytes_c2s},
          {"bytes_s2c", s.bytes_s2c}};
}

void WriteJson(const std::string& path, Role role, const nlohmann::json& results) {
  const BackendInfo info = CurrentBackend();
  const nlohmann::json document = {{"context",
                                    {{"backend", info.name},
                                     {"backend_id", info.id},
                                     {"backend_version", info.version},
                                     {"role", std::string(RoleName(role))}}},
                                   {"results", results}};
  std::ofstream out(path);
  out << document.dump(2) << "\n";
  if (!out) Die(absl::StrCat(path, ": cannot write"));
}

std::pair<std::string, uint16_t> SplitHostPort(const std::string& address, absl::string_view flag) {
  const size_t colon = address.rfind(':');
  uint32_t port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port > 65535) {
    Die(absl::StrCat("--", flag, " must be host:port, not '", address, "'"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return {host, static_cast<uint16_t>(port)};
}

}  // namespace mtls::cli
