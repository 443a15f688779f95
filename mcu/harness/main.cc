// Bare-metal mutual-auth handshake harness: a client and a server of one TLS library in one
// firmware image, talking over an in-memory byte stream (TLS) or datagram link (DTLS), with
// per-side instruction markers, cycles (where the core counts them), heap, stack, bytes,
// datagrams and flights. Prints one JSON line per case; the exit status says whether the cases
// behaved. Without arguments (a board with no debugger to pass any) it runs the board's plan:
// the cases of its CTest suite, one line each, then a summary line.
//   --case=mtls          both peers must verify each other's certificates (exit 0)
//   --case=untrusted-ca  the client's chain is from another root: the server must reject it
//   --case=wrong-eku     the client's leaf lacks clientAuth: the server must reject it
//   --case=psk           an external PSK instead of certificates: both must prove it ((D)TLS 1.2)
//   --protocol=tls|dtls  TLS over the stream (default) or DTLS over the datagram link
//   --version=1.2|1.3    the (D)TLS version (default: TLS 1.3, DTLS 1.2)
//   --group=P-256|X25519 the key exchange group (default P-256)
//   --mtu=N              DTLS: the link's path MTU (default 1232)
//   --handshakes=N       handshakes to run (figures are per handshake; default 1)
// Exit status: 0 as expected, 1 not as expected, 2 bad arguments or set-up, 77 unsupported.
#include <stdio.h>
#include <string.h>

#include <new>

#include "board.h"
#include "credentials.h"
#include "endpoint.h"
#include "options.h"
#include "side_meter.h"

#ifndef MTLS_MCU_CONFIGURATION
#error "MTLS_MCU_CONFIGURATION names the library configuration (mcu/CMakeLists.txt)"
#endif

namespace mtls::mcu {
namespace {

constexpr int kSkipped = 77;
constexpr int kMaxSteps = 64;  // a handshake takes a handful; more means a stuck endpoint

struct SideFigures {
  size_t heap_peak = 0;     // beyond its context, during one handshake
  size_t context_heap = 0;  // what its context holds
  size_t stack_peak = 0;
  Verdict verdict;
};

// Runs one step of `side` with its stack painted beforehand and its figures updated after.
Progress MeteredStep(Side side, Connection& connection, SideFigures& figures) {
  BoardPaintStack();
  EnterSide(side);
  Progress progress = connection.Step();
  EnterSide(Side::kNone);
  size_t stack = BoardStackPeak();
  if (stack > figures.stack_peak) figures.stack_peak = stack;
  return progress;
}

std::unique_ptr<Context> MakeContext(Side side, const EndpointConfig& config) {
  char error[160] = "";
  OwnHeap(side);
  std::unique_ptr<Context> context = NewContext(config, error, sizeof error);
  OwnHeap(Side::kNone);
  if (!context) {
    fprintf(stderr, "mtls-mcu: %s set-up: %s\n", side == Side::kClient ? "client" : "server",
            error);
    BoardExit(2);
  }
  return context;
}

// A handshake that stopped with a side still waiting: over the lossless datagram link, the only
// thing it can wait for is its retransmission timer, which no handshake here may need.
void ExplainStall(const Connection& client, Progress client_progress, const Connection& server,
                  Progress server_progress) {
  const Connection* waiting[2] = {client_progress == Progress::kWantIo ? &client : nullptr,
                                  server_progress == Progress::kWantIo ? &server : nullptr};
  for (int i = 0; i < 2; ++i) {
    long timeout_ms = waiting[i] ? waiting[i]->RetransmissionTimeoutMs() : -1;
    if (timeout_ms < 0) continue;
    fprintf(stderr,
            "mtls-mcu: the %s waits for its retransmission timer (%ld ms): a handshake over a "
            "link that loses nothing must never need it\n",
            i == 0 ? "client" : "server", timeout_ms);
  }
}

// One handshake on fresh connections of the two contexts over `channel` (ByteChannel or
// DatagramChannel); false if an endpoint got stuck waiting for input that never came.
template <typename Channel>
bool Handshake(Context& client_context, Context& server_context, Channel& channel,
               SideFigures& client, SideFigures& server) {
  channel.Reset();
  ResetHeapPeak(Side::kClient);
  ResetHeapPeak(Side::kServer);
  client.context_heap = HeapOf(Side::kClient).live;
  server.context_heap = HeapOf(Side::kServer).live;
  EnterSide(Side::kClient);
  std::unique_ptr<Connection> client_connection = client_context.Connect(channel.ClientEnd());
  EnterSide(Side::kServer);
  std::unique_ptr<Connection> server_connection = server_context.Connect(channel.ServerEnd());
  EnterSide(Side::kNone);
  if (!client_connection || !server_connection) {
    fprintf(stderr, "mtls-mcu: the library could not create a %s connection\n",
            client_connection ? "server" : "client");
    return false;
  }
  Progress client_progress = Progress::kWantIo, server_progress = Progress::kWantIo;
  for (int step = 0; step < kMaxSteps; ++step) {
    size_t sent_before = channel.bytes_c2s() + channel.bytes_s2c();
    if (client_progress == Progress::kWantIo) {
      client_progress = MeteredStep(Side::kClient, *client_connection, client);
    }
    if (server_progress == Progress::kWantIo) {
      server_progress = MeteredStep(Side::kServer, *server_connection, server);
    }
    if (client_progress != Progress::kWantIo && server_progress != Progress::kWantIo) break;
    // A round in which nobody sent anything: the waiting side will never get its input.
    if (channel.bytes_c2s() + channel.bytes_s2c() == sent_before) {
      ExplainStall(*client_connection, client_progress, *server_connection, server_progress);
      break;
    }
  }
  client.verdict = client_connection->Result();
  server.verdict = server_connection->Result();
  client.heap_peak = HeapOf(Side::kClient).peak - client.context_heap;
  server.heap_peak = HeapOf(Side::kServer).peak - server.context_heap;
  EnterSide(Side::kClient);
  client_connection.reset();
  EnterSide(Side::kServer);
  server_connection.reset();
  EnterSide(Side::kNone);
  return client_progress != Progress::kWantIo && server_progress != Progress::kWantIo;
}

// A 64-bit count in decimal (newlib-nano's printf has no %llu).
const char* Decimal(uint64_t value, char (&text)[24]) {
  char* digit = text + sizeof text - 1;
  *digit = '\0';
  do {
    *--digit = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  return digit;
}

void PrintCycles() {
  if (!BoardCountsCycles()) {
    printf("\"client_cycles\": null, \"server_cycles\": null, ");
    return;
  }
  char client[24], server[24];
  printf("\"client_cycles\": %s, \"server_cycles\": %s, ", Decimal(CyclesOf(Side::kClient), client),
         Decimal(CyclesOf(Side::kServer), server));
  if (BoardClockHz() != 0) {
    printf("\"clock_hz\": %lu, ", static_cast<unsigned long>(BoardClockHz()));
  }
}

void PrintSide(const char* name, const SideFigures& side) {
  printf(
      "\"%s_heap_peak\": %u, \"%s_context_heap\": %u, \"%s_stack_peak\": %u, "
      "\"%s_peer_verified\": %s, \"%s_psk\": %s, \"%s_error\": \"%s\", "
      "\"%s_library_error\": %ld, ",
      name, static_cast<unsigned>(side.heap_peak), name, static_cast<unsigned>(side.context_heap),
      name, static_cast<unsigned>(side.stack_peak), name,
      side.verdict.peer_verified ? "true" : "false", name, side.verdict.psk ? "true" : "false",
      name, side.verdict.error_class, name, side.verdict.library_error);
}

// Why this configuration cannot run the case, or nullptr.
const char* Unsupported(const Options& options) {
  if (const char* reason = UnsupportedVersion(options.protocol, options.version)) return reason;
  if (IsCase(options, "psk")) return UnsupportedPsk();
  return UnsupportedGroup(options.group);
}

// The handshakes of a run over `channel`; the number that verified both peers as the case asks
// (every handshake is checked, not only the last).
template <typename Channel>
int RunHandshakes(const Options& options, Context& client_context, Context& server_context,
                  Channel& channel, SideFigures& client, SideFigures& server, bool& finished) {
  const bool psk = IsCase(options, "psk");
  int verified_handshakes = 0;
  finished = true;
  for (int i = 0; i < options.handshakes && finished; ++i) {
    finished = Handshake(client_context, server_context, channel, client, server);
    // Certificates or the PSK, as the library reports what it negotiated.
    bool as_asked = client.verdict.psk == psk && server.verdict.psk == psk;
    if (finished && as_asked && client.verdict.peer_verified && server.verdict.peer_verified) {
      ++verified_handshakes;
    }
  }
  return verified_handshakes;
}

void PrintLink(const ByteChannel& channel) {
  printf("\"bytes_c2s\": %u, \"bytes_s2c\": %u, \"flights\": %d, ",
         static_cast<unsigned>(channel.bytes_c2s()), static_cast<unsigned>(channel.bytes_s2c()),
         channel.flights());
}

void PrintLink(const DatagramChannel& channel) {
  printf(
      "\"bytes_c2s\": %u, \"bytes_s2c\": %u, \"flights\": %d, \"datagrams_c2s\": %u, "
      "\"datagrams_s2c\": %u, \"mtu\": %u, \"datagrams_refused\": %u, ",
      static_cast<unsigned>(channel.bytes_c2s()), static_cast<unsigned>(channel.bytes_s2c()),
      channel.flights(), static_cast<unsigned>(channel.datagrams_c2s()),
      static_cast<unsigned>(channel.datagrams_s2c()), static_cast<unsigned>(channel.mtu()),
      static_cast<unsigned>(channel.refused()));
}

int Run(const Options& options) {
  printf(
      "{\"library\": \"%s\", \"version\": \"%s\", \"configuration\": \"%s\", \"case\": \"%s\", "
      "\"tls_version\": \"%s\", \"group\": \"%s\", ",
      LibraryName(), LibraryVersion(), MTLS_MCU_CONFIGURATION, options.case_name,
      VersionName(options), GroupName(options.group));
  if (const char* reason = Unsupported(options)) {
    printf("\"skipped\": \"%s\"}\n", reason);
    return kSkipped;
  }
  char error[160] = "";
  OwnHeap(Side::kNone);
  if (!InitLibrary(error, sizeof error)) {
    fprintf(stderr, "mtls-mcu: %s\n", error);
    return 2;
  }
  const char* client_chain = pki::kClientChain;
  const char* client_key = pki::kClientKey;
  if (IsCase(options, "untrusted-ca")) {
    client_chain = pki::kUntrustedClient;
    client_key = pki::kUntrustedClientKey;
  } else if (IsCase(options, "wrong-eku")) {
    client_chain = pki::kServerAuthEkuClient;
    client_key = pki::kServerAuthEkuClientKey;
  }
  static constexpr Psk kPsk = {pki::kPskIdentity, pki::kPskKey, sizeof pki::kPskKey};
  const Psk* psk = IsCase(options, "psk") ? &kPsk : nullptr;
  std::unique_ptr<Context> server_context =
      MakeContext(Side::kServer, {Role::kServer, options.protocol, options.version, options.group,
                                  pki::kRoot, pki::kServerChain, pki::kServerKey, nullptr, psk});
  std::unique_ptr<Context> client_context =
      MakeContext(Side::kClient, {Role::kClient, options.protocol, options.version, options.group,
                                  pki::kRoot, client_chain, client_key, pki::kServerName, psk});
  // Both links in one block: a run uses one, and the harness's RAM stays that of the larger.
  alignas(DatagramChannel) alignas(ByteChannel) static unsigned char
      link_memory[sizeof(DatagramChannel) > sizeof(ByteChannel) ? sizeof(DatagramChannel)
                                                                : sizeof(ByteChannel)];
  SideFigures client, server;
  ResetCycles();
  bool finished = true;
  int verified_handshakes = 0;
  size_t refused = 0;
  if (options.protocol == Protocol::kDtls) {
    DatagramChannel& channel = *new (link_memory) DatagramChannel(options.mtu);
    verified_handshakes =
        RunHandshakes(options, *client_context, *server_context, channel, client, server, finished);
    refused = channel.refused();
    PrintLink(channel);
  } else {
    ByteChannel& channel = *new (link_memory) ByteChannel();
    verified_handshakes =
        RunHandshakes(options, *client_context, *server_context, channel, client, server, finished);
    PrintLink(channel);
  }
  bool verified = verified_handshakes == options.handshakes;
  printf("\"handshakes\": %d, \"verified_handshakes\": %d, \"mutual_auth_verified\": %s, ",
         options.handshakes, verified_handshakes, verified ? "true" : "false");
  PrintCycles();
  PrintSide("client", client);
  PrintSide("server", server);
  printf("\"finished\": %s}\n", finished ? "true" : "false");
  if (refused > 0) {
    fprintf(stderr,
            "mtls-mcu: the link refused %u datagrams: above its MTU of %u bytes, or larger "
            "than the reader's buffer\n",
            static_cast<unsigned>(refused), static_cast<unsigned>(options.mtu));
  }
  if (IsCase(options, "mtls") || IsCase(options, "psk")) return verified ? 0 : 1;
  // A negative case: the server must reject the client's chain for the right reason, and
  // neither side may report a verified peer.
  const char* expected = IsCase(options, "untrusted-ca") ? "untrusted_issuer" : "bad_key_usage";
  bool rejected = !server.verdict.peer_verified && verified_handshakes == 0 &&
                  strcmp(server.verdict.error_class, expected) == 0;
  if (!rejected) {
    fprintf(stderr, "mtls-mcu: %s: expected the server to reject the client with %s, got '%s'\n",
            options.case_name, expected, server.verdict.error_class);
  }
  return rejected ? 0 : 1;
}

// The board's plan, for a board that cannot pass a command line: every case of its CTest suite
// (mcu/CMakeLists.txt), over both groups; the PSK over TLS 1.2 and DTLS 1.2.
int RunPlan() {
  struct Planned {
    const char* case_name;
    Protocol protocol;
    Version version;
  };
  static constexpr Planned kPlan[] = {
      {"mtls", Protocol::kTls, Version::k13},      {"untrusted-ca", Protocol::kTls, Version::k13},
      {"wrong-eku", Protocol::kTls, Version::k13}, {"mtls", Protocol::kTls, Version::k12},
      {"mtls", Protocol::kDtls, Version::k12},     {"untrusted-ca", Protocol::kDtls, Version::k12},
      {"wrong-eku", Protocol::kDtls, Version::k12}};
  int cases = 0, failed = 0;
  auto run = [&](Options options) {
    int status = Run(options);
    ++cases;
    if (status != 0 && status != kSkipped) ++failed;
  };
  for (const Planned& planned : kPlan) {
    for (Group group : {Group::kP256, Group::kX25519}) {
      Options options;
      options.case_name = planned.case_name;
      options.protocol = planned.protocol;
      options.version = planned.version;
      options.group = group;
      run(options);
    }
  }
  for (Protocol protocol : {Protocol::kTls, Protocol::kDtls}) {
    Options options;
    options.case_name = "psk";
    options.protocol = protocol;
    options.version = Version::k12;
    run(options);
  }
  printf("mtls-mcu: %d cases, %d not as expected\n", cases, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace mtls::mcu

int main(int argc, char** argv) {
  if (argc <= 1) return mtls::mcu::RunPlan();
  return mtls::mcu::Run(mtls::mcu::ParseOptions(argc, argv));
}
