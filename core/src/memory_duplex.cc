#include "mtls/transport.h"

#include <algorithm>

#include "mtls/heap_accounting.h"

namespace mtls {

MemoryDuplex::MemoryDuplex() : client_end_(this, 0), server_end_(this, 1) {}

absl::StatusOr<size_t> MemoryDuplex::End::Write(absl::Span<const uint8_t> data) {
  if (data.empty()) return 0;
  heap::ScopedTag harness_memory(heap::Tag::kNone);  // the pipe's buffers are not the side's
  if (duplex_->last_direction_ != dir_) {
    duplex_->flight_log_.push_back({dir_ == 0 ? Role::kClient : Role::kServer, 0});
    duplex_->last_direction_ = dir_;
  }
  duplex_->flight_log_.back().bytes += data.size();
  duplex_->queues_[dir_].insert(duplex_->queues_[dir_].end(), data.begin(), data.end());
  duplex_->bytes_[dir_] += data.size();
  return data.size();
}

absl::StatusOr<size_t> MemoryDuplex::End::Read(absl::Span<uint8_t> buffer) {
  heap::ScopedTag harness_memory(heap::Tag::kNone);
  auto& queue = duplex_->queues_[1 - dir_];
  const size_t n = std::min(buffer.size(), queue.size());
  std::copy_n(queue.begin(), n, buffer.begin());
  queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
  return n;
}

}  // namespace mtls
