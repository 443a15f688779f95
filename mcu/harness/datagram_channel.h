// The in-memory datagram link between the two endpoints of the firmware (DTLS): one queue of
// datagrams per direction that keeps their boundaries (a write is one datagram, a read one whole
// datagram), a path MTU it enforces, and a virtual clock for the libraries' retransmission
// timers. As the host's DatagramLink counts them: bytes and datagrams per direction, and flights
// (changes of sending direction).
//
// It loses nothing, so its clock stands still: a handshake over it must never wait for a
// retransmission timer (the driver fails one that does).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mtls::mcu {

class DatagramChannel {
 public:
  // What fits one IPv6 packet of the minimum MTU (1280) after the IPv6 and UDP headers: the
  // host's default path MTU.
  static constexpr size_t kDefaultMtu = 1280 - 40 - 8;
  // DTLS implementations' floor (OpenSSL's, the host's kMinDatagramMtu).
  static constexpr size_t kMinMtu = 256;
  static constexpr size_t kCapacity = 8 * 1024;  // more than any handshake flight here
  static constexpr size_t kMaxDatagrams = 32;    // per direction and flight
  static constexpr size_t kRefused = SIZE_MAX;   // Read's and Write's answer to an error

  // One endpoint's side of the link: what it reads, and where it writes.
  class End {
   public:
    // One whole datagram into `data`: its size; 0 when none has arrived (the library should
    // wait); kRefused when it does not fit `size` (UDP would truncate it).
    size_t Read(uint8_t* data, size_t size);
    // `data` as one datagram: `size`; 0 when the queue is full; kRefused above the path MTU.
    size_t Write(const uint8_t* data, size_t size);
    size_t mtu() const;
    uint32_t NowMs() const;

   private:
    friend class DatagramChannel;
    End(DatagramChannel* channel, int direction) : channel_(channel), direction_(direction) {}
    DatagramChannel* channel_;
    int direction_;  // index of the queue this end writes
  };

  explicit DatagramChannel(size_t mtu = kDefaultMtu) : mtu_(mtu) {}

  End ClientEnd() { return End(this, 0); }
  End ServerEnd() { return End(this, 1); }
  void Reset();

  size_t mtu() const { return mtu_; }
  uint32_t now_ms() const { return now_ms_; }
  size_t bytes_c2s() const { return queues_[0].total_bytes; }
  size_t bytes_s2c() const { return queues_[1].total_bytes; }
  size_t datagrams_c2s() const { return queues_[0].total_datagrams; }
  size_t datagrams_s2c() const { return queues_[1].total_datagrams; }
  int flights() const { return flights_; }
  // Datagrams refused: above the MTU, or not fitting the reader's buffer.
  size_t refused() const { return refused_; }

 private:
  struct Queue {
    uint8_t data[kCapacity];
    uint16_t sizes[kMaxDatagrams];
    size_t first = 0, count = 0;  // datagrams queued: sizes[first .. first + count)
    size_t head = 0, tail = 0;    // their bytes: data[head .. tail)
    size_t total_bytes = 0, total_datagrams = 0;
  };
  Queue queues_[2];
  size_t mtu_;
  uint32_t now_ms_ = 0;
  int last_direction_ = -1;
  int flights_ = 0;
  size_t refused_ = 0;
};

}  // namespace mtls::mcu
