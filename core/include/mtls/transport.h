// The byte pipe a session writes its records to and reads its peer's records from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "mtls/types.h"

namespace mtls {

class Transport {
 public:
  virtual ~Transport() = default;
  // Bytes accepted (all of them for in-memory pipes); an error when the pipe is closed.
  virtual absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) = 0;
  // Bytes read; 0 means "nothing available yet" (the caller retries later), never end of stream.
  // End of stream and failures are errors.
  virtual absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) = 0;
};

// One flight: the bytes a side sent before the other side answered.
struct Flight {
  Role sender;
  uint64_t bytes;
};

// Two connected in-memory endpoints for driving client and server in one thread. Counts bytes
// per direction and flights: maximal runs of writes in one direction (a direction change starts
// a new flight), which is what costs a round trip on a real link.
class MemoryDuplex {
 public:
  MemoryDuplex();
  Transport& client_end() { return client_end_; }
  Transport& server_end() { return server_end_; }

  uint64_t bytes_client_to_server() const { return bytes_[0]; }
  uint64_t bytes_server_to_client() const { return bytes_[1]; }
  int flights() const { return static_cast<int>(flight_log_.size()); }
  const std::vector<Flight>& flight_log() const { return flight_log_; }
  size_t pending_for_client() const { return queues_[1].size(); }
  size_t pending_for_server() const { return queues_[0].size(); }

 private:
  // Direction 0: client -> server, 1: server -> client.
  class End : public Transport {
   public:
    End(MemoryDuplex* duplex, int write_direction) : duplex_(duplex), dir_(write_direction) {}
    absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
    absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override;

   private:
    MemoryDuplex* duplex_;
    int dir_;
  };

  std::deque<uint8_t> queues_[2];
  uint64_t bytes_[2] = {0, 0};
  std::vector<Flight> flight_log_;
  int last_direction_ = -1;
  End client_end_;
  End server_end_;
};

}  // namespace mtls
