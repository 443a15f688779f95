#include "mtls/datagram_link.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "mtls/heap_accounting.h"
#include "mtls/status.h"

namespace mtls {
namespace {

// splitmix64: a fixed, well-mixed sequence per seed, the same on every platform.
uint64_t NextRandom(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool Contains(const std::vector<uint32_t>& ordinals, uint32_t ordinal) {
  return std::find(ordinals.begin(), ordinals.end(), ordinal) != ordinals.end();
}

}  // namespace

bool LossPattern::empty() const {
  return drop[0].empty() && drop[1].empty() && hold_back[0].empty() && hold_back[1].empty() &&
         duplicate[0].empty() && duplicate[1].empty() && drop_flight_start.empty() &&
         loss_rate == 0;
}

absl::Status Validate(const DatagramLinkOptions& options) {
  if (options.mtu < kMinDatagramMtu) {
    return BadInput(absl::StrCat("path MTU ", options.mtu, " is below the minimum of ",
                                 kMinDatagramMtu, " bytes"));
  }
  if (options.mtu > 65507) {  // the largest UDP payload over IPv4
    return BadInput(absl::StrCat("path MTU ", options.mtu, " exceeds the largest UDP payload"));
  }
  if (!(options.loss.loss_rate >= 0 && options.loss.loss_rate < 1)) {
    return BadInput(absl::StrCat("loss rate ", options.loss.loss_rate, " is outside [0, 1)"));
  }
  for (const auto* list : {&options.loss.drop, &options.loss.hold_back, &options.loss.duplicate}) {
    for (const std::vector<uint32_t>& ordinals : *list) {
      if (Contains(ordinals, 0)) return BadInput("datagram ordinals count from 1");
    }
  }
  if (Contains(options.loss.drop_flight_start, 0)) return BadInput("flights count from 1");
  return absl::OkStatus();
}

DatagramLink::DatagramLink(const DatagramLinkOptions& options)
    : options_(options), random_state_(options.loss.seed), ends_{End(this, 0), End(this, 1)} {}

int64_t DatagramLink::TransmissionUs(size_t bytes) const {
  if (!options_.profile) return 0;
  const double bits = 8 * WireBytes(*options_.profile, bytes);
  return static_cast<int64_t>(std::llround(bits / options_.profile->bandwidth_bps * 1e6));
}

bool DatagramLink::Lost(int dir, uint32_t ordinal) {
  // The generator advances for every datagram, so one datagram's fate does not depend on
  // whether an earlier one was dropped by ordinal.
  const double draw = static_cast<double>(NextRandom(random_state_) >> 11) * 0x1.0p-53;
  return Contains(options_.loss.drop[dir], ordinal) || draw < options_.loss.loss_rate;
}

absl::StatusOr<size_t> DatagramLink::End::Write(absl::Span<const uint8_t> data) {
  if (data.empty()) return 0;
  DatagramLink& link = *link_;
  if (data.size() > link.options_.mtu) {
    return MakeError(absl::StatusCode::kFailedPrecondition, ErrorClass::kHandshakeFailure,
                     absl::StrCat("a datagram of ", data.size(), " bytes exceeds the path MTU of ",
                                  link.options_.mtu));
  }
  heap::ScopedTag harness_memory(heap::Tag::kNone);  // the link's buffers are not the side's
  const bool starts_flight = link.last_direction_ != dir_;
  if (starts_flight) {
    link.flight_log_.push_back({dir_ == 0 ? Role::kClient : Role::kServer, 0});
    link.last_direction_ = dir_;
  }
  link.flight_log_.back().bytes += data.size();
  DatagramCounters& counters = link.counters_[dir_];
  const auto ordinal = static_cast<uint32_t>(++counters.datagrams);
  counters.bytes += data.size();
  counters.largest = std::max(counters.largest, data.size());
  if (link.options_.keep_datagrams) link.sent_[dir_].emplace_back(data.begin(), data.end());

  // The datagram occupies the link even when it is lost on the way.
  const int64_t departure = std::max(link.now_us_, link.link_free_at_us_[dir_]);
  link.link_free_at_us_[dir_] = departure + link.TransmissionUs(data.size());
  const int64_t half_rtt =
      link.options_.profile ? std::llround(link.options_.profile->rtt_ms * 500) : 0;
  Datagram datagram{std::vector<uint8_t>(data.begin(), data.end()),
                    link.link_free_at_us_[dir_] + half_rtt,
                    dir_ == 0 ? link.client_address_ : uint8_t{0}};
  const bool flight_start_lost =
      starts_flight && Contains(link.options_.loss.drop_flight_start,
                                static_cast<uint32_t>(link.flight_log_.size()));
  // The server answers its route's peer: an address the client left is nobody's now.
  const bool to_old_address =
      dir_ == 1 && link.rebound() &&
      link.server_route_.peer() != std::vector<uint8_t>{link.client_address_};
  if (link.Lost(dir_, ordinal) || flight_start_lost || to_old_address) {
    ++counters.lost;
    return data.size();
  }
  if (Contains(link.options_.loss.duplicate[dir_], ordinal)) {
    link.queues_[dir_].push_back(datagram);  // the copy arrives first, the original behind it
  }
  std::optional<Datagram>& held = link.held_[dir_];
  if (Contains(link.options_.loss.hold_back[dir_], ordinal)) {
    if (held) link.queues_[dir_].push_back(*std::move(held));
    held = std::move(datagram);
    return data.size();
  }
  const int64_t arrival = datagram.arrival_us;
  link.queues_[dir_].push_back(std::move(datagram));
  if (held) {  // the held-back datagram arrives just behind the one that overtook it
    held->arrival_us = arrival;
    link.queues_[dir_].push_back(*std::move(held));
    held.reset();
  }
  return data.size();
}

absl::StatusOr<size_t> DatagramLink::End::Read(absl::Span<uint8_t> buffer) {
  DatagramLink& link = *link_;
  std::deque<Datagram>& queue = link.queues_[1 - dir_];
  for (;;) {
    if (queue.empty() || queue.front().arrival_us > link.now_us_) return 0;
    heap::ScopedTag harness_memory(heap::Tag::kNone);
    const Datagram& datagram = queue.front();
    // Once the client has rebound, the server takes another sender's datagram only by its route.
    if (dir_ == 1 && link.rebound() &&
        !link.server_route_.Admit({datagram.sender}, datagram.bytes)) {
      queue.pop_front();  // not this session's: discarded unread
      continue;
    }
    if (datagram.bytes.size() > buffer.size()) {
      return MakeError(
          absl::StatusCode::kFailedPrecondition, ErrorClass::kHandshakeFailure,
          absl::StrCat("a datagram of ", datagram.bytes.size(), " bytes does not fit the ",
                       buffer.size(), "-byte read buffer"));
    }
    std::copy(datagram.bytes.begin(), datagram.bytes.end(), buffer.begin());
    const size_t n = datagram.bytes.size();
    queue.pop_front();
    ++link.counters_[1 - dir_].delivered;
    return n;
  }
}

void DatagramLink::RebindClient() {
  heap::ScopedTag harness_memory(heap::Tag::kNone);
  if (!rebound()) server_route_.Admit({client_address_}, {});  // the peer it has talked to
  ++client_address_;
}

std::optional<int64_t> DatagramLink::NextArrivalUs() const {
  std::optional<int64_t> next;
  for (int dir = 0; dir < 2; ++dir) {
    if (queues_[dir].empty()) continue;
    const int64_t arrival = queues_[dir].front().arrival_us;
    if (!next || arrival < *next) next = arrival;
  }
  return next;
}

void DatagramLink::AdvanceTo(int64_t time_us) { now_us_ = std::max(now_us_, time_us); }

void DatagramLink::ReleaseHeldBack() {
  for (int dir = 0; dir < 2; ++dir) {
    if (!held_[dir]) continue;
    held_[dir]->arrival_us = std::max(held_[dir]->arrival_us, now_us_);
    queues_[dir].push_back(*std::move(held_[dir]));
    held_[dir].reset();
  }
}

size_t DatagramLink::in_flight(Role receiver) const {
  const int dir = receiver == Role::kServer ? 0 : 1;
  return queues_[dir].size() + (held_[dir] ? 1 : 0);
}

}  // namespace mtls
