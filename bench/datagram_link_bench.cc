// DTLS on a modelled link: the time to authenticate a verified mutual handshake on each link
// profile, at its MTU, with 0, 1 and 5 % of the datagrams lost and the libraries' own
// retransmissions recovering them. The link is simulated in virtual time (mtls/datagram_link.h),
// so a row is exact and repeats: each iteration is one handshake under loss seed = iteration.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "handshake_benchmarks.h"
#include "handshake_case.h"
#include "mtls/backend.h"
#include "mtls/handshake.h"

namespace mtls::bench {
namespace {

// Handshakes per row: enough that a 1 % loss rate hits a few of them.
constexpr int kHandshakesPerRow = 100;

void BM_DatagramLink(benchmark::State& state, const DatagramLinkCase& c) {
  auto client_config = c.handshake.Endpoint(Role::kClient);
  auto server_config = c.handshake.Endpoint(Role::kServer);
  if (!client_config.ok() || !server_config.ok()) {
    state.SkipWithError(
        std::string(
            (client_config.ok() ? server_config.status() : client_config.status()).message())
            .c_str());
    return;
  }
  auto client = CreateContext(*client_config);
  auto server = CreateContext(*server_config);
  if (!client.ok() || !server.ok()) {
    state.SkipWithError(
        std::string((client.ok() ? server.status() : client.status()).message()).c_str());
    return;
  }
  DatagramLinkOptions link;
  link.profile = c.link;
  link.loss.loss_rate = c.loss_percent / 100.0;
  double link_ms = 0;
  double cpu_us = 0;
  double datagrams = 0;
  double retransmissions = 0;
  double lost = 0;
  uint64_t seed = 0;  // state.iterations() counts only after the loop
  for (auto _ : state) {
    link.loss.seed = ++seed;
    const HandshakeOutcome outcome = RunDatagramHandshake(**client, **server, link);
    if (auto reason = c.handshake.Disqualify(outcome)) {
      state.SkipWithError(absl::StrCat("seed ", link.loss.seed, ": ", *reason).c_str());
      return;
    }
    const DatagramMetrics& metrics = *outcome.metrics.datagram;
    link_ms += static_cast<double>(metrics.duration_us) / 1000;
    cpu_us += outcome.metrics.client_cpu_us + outcome.metrics.server_cpu_us;
    datagrams += static_cast<double>(metrics.client.datagrams + metrics.server.datagrams);
    retransmissions +=
        static_cast<double>(metrics.client_retransmissions + metrics.server_retransmissions);
    lost += static_cast<double>(metrics.client.lost + metrics.server.lost);
  }
  const double n = static_cast<double>(state.iterations());
  auto& counters = state.counters;
  counters["link_ms"] = link_ms / n;
  // CPU in series with the link, as the flight model adds it (tta_ms_* of the handshake suite).
  counters["tta_ms"] = link_ms / n + cpu_us / n / 1000;
  counters["datagrams"] = datagrams / n;
  counters["retransmissions"] = retransmissions / n;
  counters["datagrams_lost"] = lost / n;
  counters["mutual_auth_verified"] = c.handshake.spec.mutual ? 1 : 0;
}

}  // namespace

std::vector<NamePart> DatagramLinkCase::NameParts() const {
  std::vector<NamePart> parts = handshake.NameParts(kDatagramLinkSuite);
  parts.push_back({"link", link.name, link.name});
  parts.push_back({"loss_percent", loss_percent, absl::StrCat("loss-", loss_percent, "pct")});
  return parts;
}

std::string DatagramLinkCase::Name() const { return JoinName(NameParts()); }

std::vector<DatagramLinkCase> DatagramLinkCases() {
  std::vector<DatagramLinkCase> cases;
  for (const HandshakeCase& handshake : DatagramCases()) {
    // Certificates and the external PSK with (EC)DHE, mutual: what CoAP devices authenticate with.
    const bool certificates = handshake.spec.credentials == CredentialKind::kCertificates;
    const bool psk_dhe = handshake.spec.credentials == CredentialKind::kExternalPsk &&
                         handshake.spec.psk_key_exchange == PskKeyExchange::kDhe;
    if (!handshake.spec.mutual || !(certificates || psk_dhe)) continue;
    for (const LinkProfile& link : LinkProfiles()) {
      for (int loss_percent : {0, 1, 5}) cases.push_back({handshake, link, loss_percent});
    }
  }
  return cases;
}

void RegisterDatagramLinkBenchmarks() {
  for (const DatagramLinkCase& c : DatagramLinkCases()) {
    if (absl::Status supported = c.handshake.Supported(); !supported.ok())
      continue;  // as handshake/
    benchmark::RegisterBenchmark(c.Name().c_str(), BM_DatagramLink, c)
        ->Iterations(kHandshakesPerRow)
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace mtls::bench
