// Session resumption on wolfSSL (see wolfssl_resumption.h).
#include "wolfssl_resumption.h"

#include <wolfssl/version.h>

namespace mtls::wolfssl_resumption {
namespace {

// Sessions a server context keeps: enough for every client of a benchmark or a test to resume.
constexpr size_t kStoredSessions = 256;

// The context's ex_data slot holding its SessionStore, reserved once from the library so that it
// cannot collide with another user of the context's ex_data.
int StoreIndex() {
  static const int index = wolfSSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

SessionStore* StoreOf(WOLFSSL* ssl) {
  return static_cast<SessionStore*>(
      wolfSSL_CTX_get_ex_data(wolfSSL_get_SSL_CTX(ssl), StoreIndex()));
}

}  // namespace

SessionStore::~SessionStore() {
  for (auto& [id, session] : sessions_) wolfSSL_SESSION_free(session);
}

absl::Status SessionStore::Install(WOLFSSL_CTX* ctx) {
  // Without its slot the store would see no session, and every resumption would silently fail.
  if (StoreIndex() < 0 || wolfSSL_CTX_set_ex_data(ctx, StoreIndex(), this) != WOLFSSL_SUCCESS) {
    return absl::InternalError("wolfSSL gave the session store no context ex_data slot");
  }
  wolfSSL_CTX_sess_set_new_cb(ctx, Added);
  wolfSSL_CTX_sess_set_get_cb(ctx, Find);
  wolfSSL_CTX_set_session_cache_mode(ctx, WOLFSSL_SESS_CACHE_SERVER |
                                              WOLFSSL_SESS_CACHE_NO_INTERNAL_STORE |
                                              WOLFSSL_SESS_CACHE_NO_INTERNAL_LOOKUP);
  return absl::OkStatus();
}

// The library hands over a reference (kept: return 1), filed under wolfSSL_SESSION_get_id, which
// (5.7) returns the ID the library looks the session up by: a ticket's ID where the session has
// one, else the session ID. A session added again under its ID replaces the stored one.
int SessionStore::Added(WOLFSSL* ssl, WOLFSSL_SESSION* session) {
  SessionStore* store = StoreOf(ssl);
  unsigned int length = 0;
  const unsigned char* id = wolfSSL_SESSION_get_id(session, &length);
  if (store == nullptr || id == nullptr || length == 0) return 0;
  std::string key(reinterpret_cast<const char*>(id), length);
  std::lock_guard<std::mutex> lock(store->mutex_);
  for (auto it = store->sessions_.begin(); it != store->sessions_.end(); ++it) {
    if (it->first == key) {
      wolfSSL_SESSION_free(it->second);
      store->sessions_.erase(it);
      break;
    }
  }
  if (store->sessions_.size() >= kStoredSessions) {
    wolfSSL_SESSION_free(store->sessions_.front().second);
    store->sessions_.pop_front();
  }
  store->sessions_.emplace_back(std::move(key), session);
  return 1;
}

// A reference for the library, which frees it after copying (copy = 0).
WOLFSSL_SESSION* SessionStore::Find(WOLFSSL* ssl, const unsigned char* id, int length, int* copy) {
  *copy = 0;
  SessionStore* store = StoreOf(ssl);
  if (store == nullptr || id == nullptr || length <= 0) return nullptr;
  const std::string key(reinterpret_cast<const char*>(id), static_cast<size_t>(length));
  std::lock_guard<std::mutex> lock(store->mutex_);
  for (auto it = store->sessions_.begin(); it != store->sessions_.end(); ++it) {
    if (it->first != key) continue;
    // Most recently used last: a session resumed again and again stays while newer ones come.
    std::pair<std::string, WOLFSSL_SESSION*> entry = std::move(*it);
    store->sessions_.erase(it);
    store->sessions_.push_back(std::move(entry));
    WOLFSSL_SESSION* session = store->sessions_.back().second;
    return wolfSSL_SESSION_up_ref(session) == WOLFSSL_SUCCESS ? session : nullptr;
  }
  return nullptr;
}

absl::Status Configure(WOLFSSL_CTX* ctx, const EndpointConfig& config, SessionStore* store) {
  switch (config.resumption) {
    case Resumption::kOff:
      wolfSSL_CTX_set_session_cache_mode(ctx, WOLFSSL_SESS_CACHE_OFF);
      wolfSSL_CTX_NoTicketTLSv12(ctx);
      wolfSSL_CTX_no_ticket_TLSv13(ctx);
      return absl::OkStatus();
    case Resumption::kTickets:
      break;  // TLS 1.2 and 1.3 tickets are on by default in these builds
    case Resumption::kSessionIds:
      wolfSSL_CTX_NoTicketTLSv12(ctx);
      break;
  }
  if (config.role != Role::kServer) return absl::OkStatus();
#if LIBWOLFSSL_VERSION_HEX < 0x05007000
  // 5.5.4's wolfSSL_SESSION_get_id returns only the session ID, not the ID a ticket carries: a
  // store could not file a ticket's session under the ID the library looks it up by, so 5.5's
  // tickets keep the internal cache (see the manifest's findings).
  if (config.resumption == Resumption::kTickets) return absl::OkStatus();
#endif
  return store->Install(ctx);
}

}  // namespace mtls::wolfssl_resumption
