// mtls-handshake: one in-memory mutual-auth handshake with the test PKI or your own credentials,
// on this binary's backend. Prints what was negotiated and verified, and what it cost.
#include <algorithm>
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mtls/backend.h"
#include "mtls/case_spec.h"
#include "mtls/cli.h"
#include "mtls/handshake.h"
#include "mtls/pki_catalog.h"
#include "mtls/status.h"

ABSL_FLAG(std::string, scheme, "ecdsa-p256",
          "Test PKI scheme for credentials not given as files: ecdsa-p256, ecdsa-p384, ed25519, "
          "rsa2048, rsa3072.");
ABSL_FLAG(int, depth, 2, "Test PKI chain depth (CA certificates above each leaf, 1..3).");
ABSL_FLAG(std::string, client_chain, "", "Client certificate chain (PEM, leaf first).");
ABSL_FLAG(std::string, client_key, "", "Client private key (PEM).");
ABSL_FLAG(std::string, server_chain, "", "Server certificate chain (PEM, leaf first).");
ABSL_FLAG(std::string, server_key, "", "Server private key (PEM).");
ABSL_FLAG(std::string, client_trust, "", "Roots the client trusts (PEM bundle).");
ABSL_FLAG(std::string, server_trust, "", "Roots the server trusts for client certificates.");
ABSL_FLAG(std::string, tls_version, "",
          "Only this TLS version (1.2 or 1.3); default: the newest both support.");
ABSL_FLAG(std::string, group, "X25519", "Key-exchange group: X25519, P-256 or P-384.");
ABSL_FLAG(std::string, server_name, mtls::kTestServerName,
          "Name the client expects the server to have.");
ABSL_FLAG(bool, no_client_auth, false,
          "Server-auth-only baseline: the server asks for no certificate.");
ABSL_FLAG(int, max_chain_depth, mtls::kDefaultMaxChainDepth,
          "Most intermediates accepted between a peer's leaf and its root.");
ABSL_FLAG(std::string, protocol, "tls", "tls, or dtls over an in-memory datagram link.");
ABSL_FLAG(int, mtu, static_cast<int>(mtls::kDefaultDatagramMtu),
          "DTLS: the path MTU (largest datagram) of the link, at least 256.");
ABSL_FLAG(double, loss, 0, "DTLS: percent of the datagrams the link loses (0 <= loss < 100).");
ABSL_FLAG(int, loss_seed, 1, "DTLS: which fixed loss pattern (a seed).");
ABSL_FLAG(bool, cookie, false, "DTLS: the server asks for a cookie (HelloVerifyRequest) first.");
ABSL_FLAG(bool, cid, false, "DTLS: both sides use a Connection ID (RFC 9146).");
ABSL_FLAG(std::string, cert_compression, "",
          "(D)TLS 1.3: both sides offer certificate compression (RFC 8879) with zlib, brotli or "
          "zstd.");

namespace mtls {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) cli::Die(value.status());
  return *std::move(value);
}

std::string PkiPath(absl::string_view file) {
  return absl::StrCat(DefaultPkiDir(), "/", absl::GetFlag(FLAGS_scheme), "/", file);
}

Credentials CredentialsFor(Role role, const std::string& chain_flag, const std::string& key_flag) {
  if (chain_flag.empty() != key_flag.empty()) {
    cli::Die(absl::StrCat("give both --", RoleName(role), "_chain and --", RoleName(role), "_key"));
  }
  if (!chain_flag.empty()) return OrDie(LoadCredentials(chain_flag, key_flag));
  return OrDie(LoadLeafCredentials(DefaultPkiDir(), absl::GetFlag(FLAGS_scheme), role,
                                   absl::GetFlag(FLAGS_depth)));
}

std::vector<std::string> TrustFor(const std::string& flag) {
  return OrDie(LoadCertificates(flag.empty() ? PkiPath("root.crt") : flag));
}

// The datagram link of the DTLS flags; those flags without --protocol dtls are bad input.
DatagramLinkOptions LinkFromFlags(Protocol protocol) {
  const bool datagram_flags = absl::GetFlag(FLAGS_mtu) != static_cast<int>(kDefaultDatagramMtu) ||
                              absl::GetFlag(FLAGS_loss) != 0 || absl::GetFlag(FLAGS_cookie) ||
                              absl::GetFlag(FLAGS_cid);
  if (protocol == Protocol::kTls && datagram_flags) {
    cli::Die("--mtu, --loss, --cookie and --cid need --protocol dtls");
  }
  DatagramLinkOptions link;
  link.mtu = static_cast<size_t>(std::max(absl::GetFlag(FLAGS_mtu), 0));
  link.loss.loss_rate = absl::GetFlag(FLAGS_loss) / 100;
  link.loss.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_loss_seed));
  if (absl::Status valid = Validate(link); !valid.ok()) cli::Die(valid);
  return link;
}

void PrintSide(absl::string_view name, const HandshakeResult& result) {
  if (!result.completed()) {
    std::printf("%s: FAILED (%s) %s\n", std::string(name).c_str(),
                std::string(ErrorClassName(ErrorClassOf(result.status))).c_str(),
                std::string(result.status.message()).c_str());
    return;
  }
  const std::string compressed =
      result.peer_certificate_compression
          ? absl::StrCat(", peer certificate compressed with ",
                         CertificateCompressionName(*result.peer_certificate_compression))
          : "";
  std::printf("%s: %s, peer %s, peer signed with %s, peer subject \"%s\" SANs [%s]%s\n",
              std::string(name).c_str(), result.cipher.c_str(),
              result.peer_verified ? "verified" : "NOT verified",
              SignatureAlgorithmName(result.peer_signature_algorithm).c_str(),
              result.peer ? result.peer->subject.c_str() : "",
              result.peer ? absl::StrJoin(result.peer->dns_names, ", ").c_str() : "",
              compressed.c_str());
}

int Run() {
  if (absl::Status scheme = CheckPkiScheme(absl::GetFlag(FLAGS_scheme)); !scheme.ok()) {
    cli::Die(scheme);
  }
  const Group group = OrDie(ParseGroup(absl::GetFlag(FLAGS_group)));

  // The honest case of the flags; files given replace its test PKI material.
  CaseSpec spec{
      .scheme = absl::GetFlag(FLAGS_scheme),
      .depth = absl::GetFlag(FLAGS_depth),
      .version = TlsVersion::kTls12,  // the one that needs the certificate's curve offered
      .group = group,
      .mutual = !absl::GetFlag(FLAGS_no_client_auth)};
  spec.protocol = OrDie(ParseProtocol(absl::GetFlag(FLAGS_protocol)));
  const bool one_version = !absl::GetFlag(FLAGS_tls_version).empty();
  if (one_version) {
    spec.version = OrDie(ParseVersion(spec.protocol, absl::GetFlag(FLAGS_tls_version)));
  }
  const DatagramLinkOptions link = LinkFromFlags(spec.protocol);
  EndpointConfig client = CaseEndpoint(spec, Role::kClient);
  EndpointConfig server = CaseEndpoint(spec, Role::kServer);
  if (!one_version) {  // the newest both support
    for (EndpointConfig* config : {&client, &server}) {
      config->min_version = TlsVersion::kTls12;
      config->max_version = TlsVersion::kTls13;
    }
  }
  client.expected_peer_name = absl::GetFlag(FLAGS_server_name);
  client.trust_anchors_der = TrustFor(absl::GetFlag(FLAGS_client_trust));
  server.max_chain_depth = absl::GetFlag(FLAGS_max_chain_depth);
  server.trust_anchors_der = TrustFor(absl::GetFlag(FLAGS_server_trust));
  server.credentials = CredentialsFor(Role::kServer, absl::GetFlag(FLAGS_server_chain),
                                      absl::GetFlag(FLAGS_server_key));
  if (spec.mutual) {
    client.credentials = CredentialsFor(Role::kClient, absl::GetFlag(FLAGS_client_chain),
                                        absl::GetFlag(FLAGS_client_key));
  }
  const std::string compression = absl::GetFlag(FLAGS_cert_compression);
  for (EndpointConfig* config : {&client, &server}) {
    config->dtls.connection_id = absl::GetFlag(FLAGS_cid);
    if (!compression.empty()) {
      config->certificate_compression = {OrDie(ParseCertificateCompression(compression))};
    }
  }
  server.dtls.cookie_exchange = absl::GetFlag(FLAGS_cookie);
  auto client_context = CreateContext(client);
  if (!client_context.ok()) cli::Die(absl::StrCat("client: ", client_context.status().message()));
  auto server_context = CreateContext(server);
  if (!server_context.ok()) cli::Die(absl::StrCat("server: ", server_context.status().message()));

  const HandshakeOutcome outcome =
      spec.protocol == Protocol::kDtls
          ? RunDatagramHandshake(**client_context, **server_context, link)
          : RunInMemoryHandshake(**client_context, **server_context);
  const BackendInfo info = CurrentBackend();
  std::printf("backend: %s (%s)\n", info.id.c_str(), info.version.c_str());
  PrintSide("client", outcome.client);
  PrintSide("server", outcome.server);
  std::printf("bytes c2s %llu, s2c %llu, flights %d, client CPU %.0f us, server CPU %.0f us\n",
              static_cast<unsigned long long>(outcome.metrics.bytes_c2s),
              static_cast<unsigned long long>(outcome.metrics.bytes_s2c), outcome.metrics.flights,
              outcome.metrics.client_cpu_us, outcome.metrics.server_cpu_us);
  if (const std::optional<DatagramMetrics>& datagram = outcome.metrics.datagram) {
    std::printf(
        "datagrams c2s %llu (%llu lost), s2c %llu (%llu lost), retransmitted %llu, "
        "largest %zu bytes, %.1f ms on the link\n",
        static_cast<unsigned long long>(datagram->client.datagrams),
        static_cast<unsigned long long>(datagram->client.lost),
        static_cast<unsigned long long>(datagram->server.datagrams),
        static_cast<unsigned long long>(datagram->server.lost),
        static_cast<unsigned long long>(datagram->client_retransmissions +
                                        datagram->server_retransmissions),
        std::max(datagram->client.largest, datagram->server.largest),
        static_cast<double>(datagram->duration_us) / 1000);
  }
  if (!outcome.client.receive_connection_id.empty() ||
      !outcome.server.receive_connection_id.empty()) {
    auto hex = [](const std::vector<uint8_t>& id) {
      return id.empty() ? std::string("none")
                        : absl::BytesToHexString(absl::string_view(
                              reinterpret_cast<const char*>(id.data()), id.size()));
    };
    std::printf(
        "connection id (as each library reports it): records to the client carry %s, "
        "to the server %s\n",
        hex(outcome.client.receive_connection_id).c_str(),
        hex(outcome.server.receive_connection_id).c_str());
  }
  const bool ok = absl::GetFlag(FLAGS_no_client_auth) ? outcome.ServerAuthenticated()
                                                      : outcome.MutuallyAuthenticated();
  std::printf("%s\n", ok ? (absl::GetFlag(FLAGS_no_client_auth) ? "server authenticated (baseline)"
                                                                : "mutually authenticated")
                         : "NOT authenticated");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace mtls

int main(int argc, char** argv) {
  mtls::cli::ParseFlagsOrDie(
      argc, argv,
      "Runs one in-memory mutual-auth handshake on this binary's TLS backend.\n"
      "Usage: mtls-handshake [--scheme S | --client_chain F --client_key F --server_chain F "
      "--server_key F --client_trust F --server_trust F] [--tls_version 1.2|1.3] [--group G]\n"
      "       [--protocol dtls [--mtu N] [--loss PERCENT [--loss_seed N]] [--cookie] [--cid]]\n"
      "       [--cert_compression zlib|brotli|zstd]\n"
      "Exit status: 0 authenticated, 1 rejected, 2 bad input.");
  return mtls::Run();
}
