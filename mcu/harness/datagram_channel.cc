#include "datagram_channel.h"

#include <string.h>

namespace mtls::mcu {

size_t DatagramChannel::End::Read(uint8_t* data, size_t size) {
  Queue& queue = channel_->queues_[1 - direction_];
  if (queue.count == 0) return 0;
  size_t n = queue.sizes[queue.first];
  if (n > size) {
    ++channel_->refused_;
    return kRefused;
  }
  memcpy(data, queue.data + queue.head, n);
  queue.head += n;
  ++queue.first;
  if (--queue.count == 0) queue.first = queue.head = queue.tail = 0;  // drained: start over
  return n;
}

size_t DatagramChannel::End::Write(const uint8_t* data, size_t size) {
  if (size > channel_->mtu_) {
    ++channel_->refused_;
    return kRefused;
  }
  Queue& queue = channel_->queues_[direction_];
  if (queue.first + queue.count == kMaxDatagrams || kCapacity - queue.tail < size) return 0;
  memcpy(queue.data + queue.tail, data, size);
  queue.sizes[queue.first + queue.count] = static_cast<uint16_t>(size);
  ++queue.count;
  queue.tail += size;
  queue.total_bytes += size;
  ++queue.total_datagrams;
  if (channel_->last_direction_ != direction_) {
    channel_->last_direction_ = direction_;
    ++channel_->flights_;
  }
  return size;
}

size_t DatagramChannel::End::mtu() const { return channel_->mtu_; }

uint32_t DatagramChannel::End::NowMs() const { return channel_->now_ms_; }

void DatagramChannel::Reset() {
  for (Queue& queue : queues_) {
    queue.first = queue.count = queue.head = queue.tail = 0;
    queue.total_bytes = queue.total_datagrams = 0;
  }
  last_direction_ = -1;
  flights_ = 0;
  refused_ = 0;
}

}  // namespace mtls::mcu
