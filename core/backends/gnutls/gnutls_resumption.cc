#include "gnutls_resumption.h"

#include <algorithm>

#include "gnutls_util.h"

namespace mtls::gnutls_resumption {

Server::~Server() {
  if (ticket_key_.data != nullptr) gnutls_free(ticket_key_.data);
}

absl::Status Server::GenerateTicketKey() {
  if (int rc = gnutls_session_ticket_key_generate(&ticket_key_); rc < 0) {
    return gnutls_util::LibraryError("ticket key", rc);
  }
  return absl::OkStatus();
}

void Server::EnableTickets(gnutls_session_t session) const {
  gnutls_session_ticket_enable_server(session, &ticket_key_);
}

void Server::UseSessionCache(gnutls_session_t session) {
  gnutls_db_set_ptr(session, this);
  gnutls_db_set_store_function(session, Store);
  gnutls_db_set_retrieve_function(session, Retrieve);
  gnutls_db_set_remove_function(session, Remove);
}

int Server::Store(void* self, gnutls_datum_t key, gnutls_datum_t data) {
  Server& server = *static_cast<Server*>(self);
  std::lock_guard<std::mutex> lock(server.cache_mutex_);
  server.cache_[gnutls_util::ToString(key)] = gnutls_util::ToString(data);
  return 0;
}

gnutls_datum_t Server::Retrieve(void* self, gnutls_datum_t key) {
  Server& server = *static_cast<Server*>(self);
  std::lock_guard<std::mutex> lock(server.cache_mutex_);
  const auto& cache = server.cache_;
  auto found = cache.find(gnutls_util::ToString(key));
  gnutls_datum_t copy{nullptr, 0};
  if (found == cache.end()) return copy;
  copy.data = static_cast<unsigned char*>(gnutls_malloc(found->second.size()));
  if (copy.data == nullptr) return copy;
  copy.size = static_cast<unsigned>(found->second.size());
  std::copy(found->second.begin(), found->second.end(), copy.data);
  return copy;
}

int Server::Remove(void* self, gnutls_datum_t key) {
  Server& server = *static_cast<Server*>(self);
  std::lock_guard<std::mutex> lock(server.cache_mutex_);
  server.cache_.erase(gnutls_util::ToString(key));
  return 0;
}

void Client::Offer(gnutls_session_t session) const {
  std::lock_guard<std::mutex> lock(data_mutex_);
  if (!data_.empty()) gnutls_session_set_data(session, data_.data(), data_.size());
}

void Client::Keep(gnutls_session_t session) {
  gnutls_datum_t data{};
  if (gnutls_session_get_data2(session, &data) == 0) {
    std::lock_guard<std::mutex> lock(data_mutex_);
    data_ = gnutls_util::ToString(data);
    gnutls_free(data.data);
  }
}

}  // namespace mtls::gnutls_resumption
