// Bare-metal mutual-auth handshake harness: a client and a server of one TLS library in one
// firmware image, talking over an in-memory channel, with per-side instruction markers, heap,
// stack, bytes and flights. Prints one JSON line; the exit status says whether the case behaved.
//   --case=mtls          both peers must verify each other (exit 0)
//   --case=untrusted-ca  the client's chain is from another root: the server must reject it
//   --case=wrong-eku     the client's leaf lacks clientAuth: the server must reject it
//   --group=P-256|X25519 the key exchange group (default P-256)
//   --handshakes=N       handshakes to run (figures are per handshake; default 1)
// Exit status: 0 as expected, 1 not as expected, 2 bad arguments or set-up, 77 unsupported.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "credentials.h"
#include "endpoint.h"
#include "side_meter.h"

#ifndef MTLS_MCU_CONFIGURATION
#error "MTLS_MCU_CONFIGURATION names the library configuration (mcu/CMakeLists.txt)"
#endif

namespace mtls::mcu {
namespace {

constexpr int kSkipped = 77;
constexpr int kMaxSteps = 64;  // a handshake takes a handful; more means a stuck endpoint

struct Options {
  const char* case_name = "mtls";
  Group group = Group::kP256;
  int handshakes = 1;
};

struct SideFigures {
  size_t heap_peak = 0;     // beyond its context, during one handshake
  size_t context_heap = 0;  // what its context holds
  size_t stack_peak = 0;
  Verdict verdict;
};

[[noreturn]] void Usage(const char* problem) {
  fprintf(stderr,
          "mtls-mcu: %s (--case=mtls|untrusted-ca|wrong-eku --group=P-256|X25519 "
          "--handshakes=N)\n",
          problem);
  BoardExit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const char* arg = argv[i];
    if (strncmp(arg, "--case=", 7) == 0) {
      options.case_name = arg + 7;
      if (strcmp(options.case_name, "mtls") != 0 &&
          strcmp(options.case_name, "untrusted-ca") != 0 &&
          strcmp(options.case_name, "wrong-eku") != 0) {
        Usage("unknown case");
      }
    } else if (strcmp(arg, "--group=P-256") == 0) {
      options.group = Group::kP256;
    } else if (strcmp(arg, "--group=X25519") == 0) {
      options.group = Group::kX25519;
    } else if (strncmp(arg, "--handshakes=", 13) == 0) {
      options.handshakes = atoi(arg + 13);
      if (options.handshakes < 1) Usage("--handshakes must be a positive number");
    } else {
      Usage("unknown argument");
    }
  }
  return options;
}

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

// One handshake on fresh connections of the two contexts; false if an endpoint got stuck
// waiting for input that never came.
bool Handshake(Context& client_context, Context& server_context, ByteChannel& channel,
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
    if (channel.bytes_c2s() + channel.bytes_s2c() == sent_before) break;
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

void PrintSide(const char* name, const SideFigures& side) {
  printf(
      "\"%s_heap_peak\": %u, \"%s_context_heap\": %u, \"%s_stack_peak\": %u, "
      "\"%s_peer_verified\": %s, \"%s_error\": \"%s\", \"%s_library_error\": %ld, ",
      name, static_cast<unsigned>(side.heap_peak), name, static_cast<unsigned>(side.context_heap),
      name, static_cast<unsigned>(side.stack_peak), name,
      side.verdict.peer_verified ? "true" : "false", name, side.verdict.error_class, name,
      side.verdict.library_error);
}

int Run(const Options& options) {
  printf(
      "{\"library\": \"%s\", \"version\": \"%s\", \"configuration\": \"%s\", \"case\": \"%s\", "
      "\"group\": \"%s\", ",
      LibraryName(), LibraryVersion(), MTLS_MCU_CONFIGURATION, options.case_name,
      options.group == Group::kP256 ? "P-256" : "X25519");
  if (const char* reason = UnsupportedGroup(options.group)) {
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
  if (strcmp(options.case_name, "untrusted-ca") == 0) {
    client_chain = pki::kUntrustedClient;
    client_key = pki::kUntrustedClientKey;
  } else if (strcmp(options.case_name, "wrong-eku") == 0) {
    client_chain = pki::kServerAuthEkuClient;
    client_key = pki::kServerAuthEkuClientKey;
  }
  std::unique_ptr<Context> server_context = MakeContext(
      Side::kServer,
      {Role::kServer, options.group, pki::kRoot, pki::kServerChain, pki::kServerKey, nullptr});
  std::unique_ptr<Context> client_context = MakeContext(
      Side::kClient,
      {Role::kClient, options.group, pki::kRoot, client_chain, client_key, pki::kServerName});
  static ByteChannel channel;
  SideFigures client, server;
  bool finished = true;
  int verified_handshakes = 0;  // every handshake is checked, not only the last
  for (int i = 0; i < options.handshakes && finished; ++i) {
    finished = Handshake(*client_context, *server_context, channel, client, server);
    if (finished && client.verdict.peer_verified && server.verdict.peer_verified) {
      ++verified_handshakes;
    }
  }
  bool verified = verified_handshakes == options.handshakes;
  printf(
      "\"handshakes\": %d, \"verified_handshakes\": %d, \"mutual_auth_verified\": %s, "
      "\"bytes_c2s\": %u, \"bytes_s2c\": %u, \"flights\": %d, ",
      options.handshakes, verified_handshakes, verified ? "true" : "false",
      static_cast<unsigned>(channel.bytes_c2s()), static_cast<unsigned>(channel.bytes_s2c()),
      channel.flights());
  PrintSide("client", client);
  PrintSide("server", server);
  printf("\"finished\": %s}\n", finished ? "true" : "false");
  if (strcmp(options.case_name, "mtls") == 0) return verified ? 0 : 1;
  // A negative case: the server must reject the client's chain for the right reason, and
  // neither side may report a verified peer.
  const char* expected =
      strcmp(options.case_name, "untrusted-ca") == 0 ? "untrusted_issuer" : "bad_key_usage";
  bool rejected = !server.verdict.peer_verified && verified_handshakes == 0 &&
                  strcmp(server.verdict.error_class, expected) == 0;
  if (!rejected) {
    fprintf(stderr, "mtls-mcu: %s: expected the server to reject the client with %s, got '%s'\n",
            options.case_name, expected, server.verdict.error_class);
  }
  return rejected ? 0 : 1;
}

}  // namespace
}  // namespace mtls::mcu

int main(int argc, char** argv) { return mtls::mcu::Run(mtls::mcu::ParseOptions(argc, argv)); }
