// The in-memory link between the two endpoints of the firmware: one queue per direction,
// counting bytes per direction and flights (changes of sending direction), as the host's
// MemoryDuplex does.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mtls::mcu {

class ByteChannel {
 public:
  static constexpr size_t kCapacity = 16 * 1024;  // more than any handshake flight here

  // One endpoint's side of the channel: what it reads, and where it writes.
  class End {
   public:
    // Both return the bytes moved; 0 when there is nothing to read (the library should wait)
    // or no room to write.
    size_t Read(uint8_t* data, size_t size);
    size_t Write(const uint8_t* data, size_t size);

   private:
    friend class ByteChannel;
    End(ByteChannel* channel, int direction) : channel_(channel), direction_(direction) {}
    ByteChannel* channel_;
    int direction_;  // index of the queue this end writes
  };

  End ClientEnd() { return End(this, 0); }
  End ServerEnd() { return End(this, 1); }
  void Reset();

  size_t bytes_c2s() const { return queues_[0].total; }
  size_t bytes_s2c() const { return queues_[1].total; }
  int flights() const { return flights_; }

 private:
  struct Queue {
    uint8_t data[kCapacity];
    size_t head = 0, tail = 0, total = 0;
  };
  Queue queues_[2];
  int last_direction_ = -1;
  int flights_ = 0;
};

}  // namespace mtls::mcu
