#include "byte_channel.h"

#include <string.h>

namespace mtls::mcu {

size_t ByteChannel::End::Read(uint8_t* data, size_t size) {
  Queue& queue = channel_->queues_[1 - direction_];
  size_t n = queue.tail - queue.head;
  if (n > size) n = size;
  memcpy(data, queue.data + queue.head, n);
  queue.head += n;
  if (queue.head == queue.tail) queue.head = queue.tail = 0;  // drained: start over
  return n;
}

size_t ByteChannel::End::Write(const uint8_t* data, size_t size) {
  Queue& queue = channel_->queues_[direction_];
  size_t n = kCapacity - queue.tail;
  if (n > size) n = size;
  if (n == 0) return 0;
  memcpy(queue.data + queue.tail, data, n);
  queue.tail += n;
  queue.total += n;
  if (channel_->last_direction_ != direction_) {
    channel_->last_direction_ = direction_;
    ++channel_->flights_;
  }
  return n;
}

void ByteChannel::Reset() {
  for (Queue& queue : queues_) queue.head = queue.tail = queue.total = 0;
  last_direction_ = -1;
  flights_ = 0;
}

}  // namespace mtls::mcu
