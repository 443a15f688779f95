// mtls-fuzz-seeds: writes the seed corpora. Handshake seeds are recorded from real handshakes:
// the side under test runs in a child process exactly as the fuzz target runs it (deterministic
// where the backend allows), its honest peer in this process; the peer's bytes, after the option
// byte, are the seed. Certificate seeds come from the test PKI.
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "driver/byte_transports.h"
#include "driver/side_under_test.h"
#include "mtls/backend.h"
#include "mtls/chain_input.h"
#include "mtls/datagram_link.h"
#include "mtls/cli.h"
#include "mtls/pki.h"
#include "mtls/pki_catalog.h"
#include "mtls/tcp.h"

ABSL_FLAG(std::string, out, "", "corpora directory to write <target>/ seed files into");
ABSL_FLAG(bool, handshakes, false,
          "record server_mtls and client_mtls seeds with this build's backend");
ABSL_FLAG(bool, certificates, false,
          "write x509_der, x509_pem and client_chain seeds from the test PKI");

namespace mtls::fuzz {
namespace {

constexpr absl::Duration kTimeout = absl::Seconds(10);

void WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

Role Other(Role role) { return role == Role::kClient ? Role::kServer : Role::kClient; }

// Runs `body` in a child process and reports whether it exited with 0.
template <typename Body>
bool InChild(Body body) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) _exit(body() ? 0 : 1);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// DTLS over one end of a datagram socket pair: each read waits for a datagram, so a session
// completes its handshake in Handshake() calls as over TCP (nothing is lost: no timer need
// fire), and a read that waits in vain ends it. Keeps what it sends in the seeds' form.
class SocketDatagramTransport : public DatagramTransport {
 public:
  explicit SocketDatagramTransport(int fd) : fd_(fd) {}
  ~SocketDatagramTransport() override { close(fd_); }
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override {
    if (send(fd_, data.data(), data.size(), 0) != static_cast<ssize_t>(data.size())) {
      return absl::UnavailableError("send");
    }
    AppendDatagram(written_, data);
    return data.size();
  }
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override {
    pollfd waiting{fd_, POLLIN, 0};
    if (poll(&waiting, 1, static_cast<int>(absl::ToInt64Milliseconds(kDatagramWait))) <= 0) {
      return absl::DeadlineExceededError("no datagram from the peer");
    }
    const ssize_t n = recv(fd_, buffer.data(), buffer.size(), MSG_TRUNC);
    if (n <= 0 || static_cast<size_t>(n) > buffer.size()) return absl::UnavailableError("recv");
    return static_cast<size_t>(n);
  }
  size_t mtu() const override { return kDefaultDatagramMtu; }
  int64_t NowUs() const override { return absl::ToUnixMicros(absl::Now()); }
  const std::string& written() const { return written_; }

 private:
  static constexpr absl::Duration kDatagramWait = absl::Seconds(2);
  int fd_;
  std::string written_;
};

// The peer's bytes of one handshake against the side under test, or an error.
absl::StatusOr<std::string> Record(Role side, const HandshakeOptions& options) {
  const bool dtls = options.protocol == Protocol::kDtls;
  int fds[2];
  if (socketpair(AF_UNIX, dtls ? SOCK_DGRAM : SOCK_STREAM, 0, fds) != 0) {
    return absl::InternalError("socketpair");
  }
  auto adopt = [dtls](int fd) -> std::unique_ptr<Transport> {
    if (dtls) return std::make_unique<SocketDatagramTransport>(fd);
    return TcpTransport::Adopt(fd, kTimeout);
  };
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    auto transport = adopt(fds[1]);
    const SideOutcome outcome = RunSide(side, options, *transport);
    _exit(outcome.completed && outcome.result.peer_verified ? 0 : 1);
  }
  close(fds[1]);
  std::unique_ptr<Transport> socket = adopt(fds[0]);
  RecordingTransport recording(*socket);
  HandshakeResult peer;
  auto config = SideConfig(Other(side), options, /*deterministic=*/false);
  auto context = config.ok() ? CreateContext(*config) : config.status();
  if (context.ok()) {
    auto session = (*context)->NewSession(dtls ? *socket : recording);
    if (session.ok()) {
      peer = CompleteHandshake(**session);
    } else {
      peer.status = session.status();
    }
  } else {
    peer.status = context.status();
  }
  const std::string sent =
      dtls ? static_cast<SocketDatagramTransport&>(*socket).written() : recording.written();
  socket.reset();  // end of stream for a child still waiting
  int status = 0;
  waitpid(pid, &status, 0);
  if (!peer.completed()) return peer.status;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError("the side under test did not complete");
  }
  const std::optional<uint8_t> tag = EncodeOptions(options);
  if (!tag) return absl::InvalidArgumentError("no option byte selects these options");
  return std::string(1, static_cast<char>(*tag)) + sent;
}

int RecordHandshakes(const std::filesystem::path& out) {
  const std::string backend = CurrentBackend().id;
  int written = 0, replaying = 0;
  for (Role side : {Role::kServer, Role::kClient}) {
    const std::string target = side == Role::kServer ? "server_mtls" : "client_mtls";
    for (const HandshakeOptions& options : SeedOptions()) {
      if (!CheckSupported(options).ok()) continue;
      const std::string name = absl::StrCat(backend, "-", OptionsName(options));
      auto seed = Record(side, options);
      if (!seed.ok()) {
        std::fprintf(stderr, "%s/%s: not recorded: %s\n", target.c_str(), name.c_str(),
                     seed.status().ToString().c_str());
        continue;
      }
      WriteFile(out / target / name, *seed);
      ++written;
      // In a fresh process, like a fuzzer starting on the seed.
      const bool replays = InChild([&] {
        const auto* bytes = reinterpret_cast<const uint8_t*>(seed->data());
        return RunSideOnInput(side, bytes, seed->size()).completed;
      });
      replaying += replays;
      std::printf("%s/%s: %zu bytes, replays to completion: %s\n", target.c_str(), name.c_str(),
                  seed->size(), replays ? "yes" : "no");
    }
  }
  std::printf("%s: %d handshake seeds, %d replay to completion\n", backend.c_str(), written,
              replaying);
  return written > 0 ? 0 : 1;
}

int WriteCertificateSeeds(const std::filesystem::path& out) {
  const std::string pki = ShippedPkiDir();
  int written = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(pki)) {
    const std::string path = entry.path().string();
    if (entry.path().extension() != ".crt" && !absl::EndsWith(path, ".chain.pem")) continue;
    auto text = ReadFile(path);
    auto certificates = text.ok() ? ParseCertificates(*text, path) : text.status();
    if (!certificates.ok()) continue;
    const std::string stem = absl::StrCat(entry.path().parent_path().filename().string(), "-",
                                          entry.path().filename().string());
    WriteFile(out / "x509_pem" / stem, *text);
    WriteFile(out / "x509_der" / stem, certificates->front());
    const std::string scheme = entry.path().parent_path().filename().string();
    if (absl::StrContains(stem, "client") || absl::StrContains(stem, "server")) {
      const std::string anchor_scheme = CheckPkiScheme(scheme).ok() ? scheme : "ecdsa-p256";
      WriteFile(out / "client_chain" / stem, EncodeChainInput({anchor_scheme, *certificates}));
    }
    written += 2;
  }
  std::printf("%d certificate seeds from %s\n", written, pki.c_str());
  return written > 0 ? 0 : 1;
}

}  // namespace
}  // namespace mtls::fuzz

int main(int argc, char** argv) {
  mtls::cli::ParseFlagsOrDie(
      argc, argv,
      "mtls-fuzz-seeds --out=DIR [--handshakes] [--certificates]: writes fuzz seed corpora");
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) mtls::cli::Die("--out is required");
  if (!absl::GetFlag(FLAGS_handshakes) && !absl::GetFlag(FLAGS_certificates)) {
    mtls::cli::Die("nothing to do: pass --handshakes and/or --certificates");
  }
  int status = 0;
  if (absl::GetFlag(FLAGS_certificates)) status |= mtls::fuzz::WriteCertificateSeeds(out);
  if (absl::GetFlag(FLAGS_handshakes)) status |= mtls::fuzz::RecordHandshakes(out);
  return status;
}
