// Drives a client and a server session to completion in one thread over an in-memory duplex,
// attributing thread CPU time to the side that spent it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "mtls/backend.h"
#include "mtls/datagram_link.h"
#include "mtls/result.h"
#include "mtls/wire_view.h"

namespace mtls {

// Heap figures of one side, in usable bytes; zero unless heap accounting is enabled
// (mtls/heap_accounting.h).
struct SideHeap {
  int64_t peak = 0;      // most memory the side held at once during the handshake
  uint64_t allocs = 0;   // allocation calls during the handshake
  int64_t retained = 0;  // what the established connection still holds afterwards
};

// What a DTLS handshake cost on its datagram link (RunDatagramHandshake).
struct DatagramMetrics {
  DatagramCounters client;  // datagrams the client sent
  DatagramCounters server;
  // Datagrams each side sent when its retransmission timer fired.
  uint64_t client_retransmissions = 0;
  uint64_t server_retransmissions = 0;
  // Virtual time from the first datagram until both sides completed: transmission, latency and
  // retransmission timers on the link; CPU time is not in it.
  int64_t duration_us = 0;
};

struct HandshakeMetrics {
  double client_cpu_us = 0;
  double server_cpu_us = 0;
  uint64_t bytes_c2s = 0;
  uint64_t bytes_s2c = 0;
  int flights = 0;
  std::vector<Flight> flight_log;  // per flight: who sent it and how many bytes
  SideHeap client_heap;
  SideHeap server_heap;
  std::optional<DatagramMetrics> datagram;  // DTLS only
};

// What came through a NAT rebinding after a DTLS handshake
// (DatagramLinkOptions::rebind_client_after_handshake).
struct RebindingOutcome {
  bool server_received = false;  // the server's session read the record from the new address
  bool server_followed = false;  // by the Connection ID, the server now answers the new address
  bool client_received_reply = false;  // its answer reached the client there
};

struct HandshakeOutcome {
  HandshakeResult client;
  HandshakeResult server;
  HandshakeMetrics metrics;
  // What the cleartext on the wire showed, when asked for (HandshakeOptions::observe_wire; for
  // DTLS, ViewDatagramHandshake of the datagrams below).
  std::optional<WireView> wire;
  // DTLS: every datagram each side sent, when asked for (DatagramLinkOptions::keep_datagrams).
  std::vector<std::vector<uint8_t>> client_datagrams;
  std::vector<std::vector<uint8_t>> server_datagrams;
  std::optional<RebindingOutcome> rebinding;  // when the link rebound the client

  // Both sides completed and each verified the other: the only outcome that counts as mTLS.
  bool MutuallyAuthenticated() const;
  // Both completed, the client verified the server (the server-auth baseline's success).
  bool ServerAuthenticated() const;
  // One line: what failed on which side.
  std::string Describe() const;
};

struct HandshakeOptions {
  // Keep a copy of every byte and read the cleartext (conformance judges; benchmarks leave it
  // off so that no copying is measured). TLS; DTLS keeps its datagrams instead
  // (DatagramLinkOptions::keep_datagrams, ViewDatagramHandshake).
  bool observe_wire = false;
};

// Runs one handshake between new sessions of `client` and `server`, then closes both sessions
// (so a resumable session is kept by the client context). DTLS endpoints (the client's
// config().protocol) run over a lossless datagram link without latency (RunDatagramHandshake).
HandshakeOutcome RunInMemoryHandshake(Context& client, Context& server,
                                      const HandshakeOptions& options = {});

// DTLS endpoints over an in-memory datagram link: the driver moves the link's
// virtual clock to the next datagram's arrival or the next retransmission timer whenever both
// sides wait, so losses are recovered by the libraries' own retransmissions, in virtual time.
// A completed side keeps reading, and its timer runs while its peer has not completed; once both
// completed, what is still in flight is delivered (not counted in DatagramMetrics::duration_us).
// Fails a side that has not completed after kDtlsGiveUpUs of virtual time.
inline constexpr int64_t kDtlsGiveUpUs = 300'000'000;
HandshakeOutcome RunDatagramHandshake(Context& client, Context& server,
                                      const DatagramLinkOptions& link_options);

}  // namespace mtls
