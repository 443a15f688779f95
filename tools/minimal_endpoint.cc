// mtls-minimal-client / mtls-minimal-server: the least a device needs for one verified mTLS
// handshake over TCP with this build's backend, and nothing else (no flags library, no JSON).
// scripts/footprint links them statically and reports their text/data/bss.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/time/time.h"
#include "mtls/backend.h"
#include "mtls/pki.h"
#include "mtls/pki_catalog.h"
#include "mtls/tcp.h"

#ifndef MTLS_MINIMAL_ROLE_SERVER
#define MTLS_MINIMAL_ROLE_SERVER 0
#endif

namespace mtls {
namespace {

constexpr bool kServer = MTLS_MINIMAL_ROLE_SERVER != 0;
constexpr absl::Duration kTimeout = absl::Seconds(20);

int Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), std::string(status.message()).c_str());
  return 2;
}

int Run(const std::string& host, int port, const std::string& chain, const std::string& key,
        const std::string& root) {
  EndpointConfig config;
  config.role = kServer ? Role::kServer : Role::kClient;
  if (!kServer) config.expected_peer_name = kTestServerName;
  auto anchors = LoadCertificates(root);
  if (!anchors.ok()) return Fail(root, anchors.status());
  config.trust_anchors_der = *std::move(anchors);
  auto credentials = LoadCredentials(chain, key);
  if (!credentials.ok()) return Fail(chain, credentials.status());
  config.credentials = *std::move(credentials);
  auto context = CreateContext(config);
  if (!context.ok()) return Fail("context", context.status());

  std::unique_ptr<TcpListener> listener;
  absl::StatusOr<std::unique_ptr<TcpTransport>> transport;
  if (kServer) {
    auto listening = TcpListener::Listen(host, static_cast<uint16_t>(port));
    if (!listening.ok()) return Fail("listen", listening.status());
    listener = *std::move(listening);
    std::printf("listening on %u\n", listener->port());  // port 0: the one the system chose
    std::fflush(stdout);
    transport = listener->Accept(kTimeout);
  } else {
    transport = TcpTransport::Connect(host, static_cast<uint16_t>(port), kTimeout);
  }
  if (!transport.ok()) return Fail("connect", transport.status());
  auto session = (*context)->NewSession(**transport);
  if (!session.ok()) return Fail("session", session.status());
  const HandshakeResult result = CompleteHandshake(**session);
  (*session)->Close();
  if (!result.completed()) return Fail("handshake", result.status);
  std::printf("%s\n", result.peer_verified ? "peer verified" : "peer NOT verified");
  return result.peer_verified ? 0 : 1;
}

}  // namespace
}  // namespace mtls

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s HOST PORT CHAIN.pem KEY.pem ROOT.pem\n", argv[0]);
    return 2;
  }
  char* end = nullptr;
  const long port = std::strtol(argv[2], &end, 10);
  if (*end != '\0' || port < 0 || port > 65535) {
    std::fprintf(stderr, "%s: '%s' is not a port\n", argv[0], argv[2]);
    return 2;
  }
  return mtls::Run(argv[1], static_cast<int>(port), argv[3], argv[4], argv[5]);
}
