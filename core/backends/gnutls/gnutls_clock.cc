#include "gnutls_clock.h"

#include <gnutls/gnutls.h>

#include <ctime>
#include <mutex>

namespace mtls::gnutls_clock {
namespace {

thread_local std::optional<int64_t> current_time;

// The library's time function: this thread's scope's time, else the system clock (the library's
// default).
time_t ScopedTime(time_t* out) {
  const time_t now = current_time ? static_cast<time_t>(*current_time) : time(nullptr);
  if (out != nullptr) *out = now;
  return now;
}

}  // namespace

Scope::Scope(std::optional<int64_t> unix_time) : previous_(current_time) {
  if (!unix_time) return;
  // Installed on first use only: processes that never fix a time keep the library's own clock.
  static std::once_flag once;
  std::call_once(once, [] { gnutls_global_set_time_function(ScopedTime); });
  current_time = unix_time;
}

Scope::~Scope() { current_time = previous_; }

}  // namespace mtls::gnutls_clock
