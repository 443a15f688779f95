// Backend adapter for GnuTLS. Verification happens inside the handshake
// (gnutls_session_set_verify_cert2 with the key purpose each side must see), so a rejected peer
// fails the handshake like it does on the other backends.
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <cerrno>
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gnutls_alert.h"
#include "gnutls_chain_policy.h"
#include "gnutls_psk.h"
#include "gnutls_resumption.h"
#include "gnutls_srp.h"
#include "gnutls_util.h"
#include "mtls/backend.h"
#include "mtls/status.h"
#include "mtls/x509_identity.h"

namespace mtls {
namespace {

using gnutls_util::Datum;
using gnutls_util::LibraryError;

// "NORMAL" minus what the config excludes, plus its order of groups and signature algorithms.
std::string PriorityString(const EndpointConfig& config) {
  std::string priority = "NORMAL:-VERS-ALL";
  if (config.min_version <= TlsVersion::kTls12) absl::StrAppend(&priority, ":+VERS-TLS1.2");
  if (config.max_version >= TlsVersion::kTls13) absl::StrAppend(&priority, ":+VERS-TLS1.3");
  if (!config.groups.empty()) {
    absl::StrAppend(&priority, ":-GROUP-ALL");
    for (Group group : config.groups) {
      absl::StrAppend(&priority, ":+GROUP-", gnutls_util::GroupKeyword(group));
    }
  }
  if (!config.signature_algorithms.empty()) {
    absl::StrAppend(&priority, ":-SIGN-ALL");
    for (uint16_t code_point : config.signature_algorithms) {
      absl::StrAppend(&priority, ":+SIGN-", gnutls_util::SignatureKeyword(code_point));
    }
  }
  if (config.srp) absl::StrAppend(&priority, gnutls_srp::kPriority);
  if (config.raw_public_keys) {
    absl::StrAppend(&priority, ":-CTYPE-ALL:+CTYPE-RAWPK");  // raw keys only, both directions
  }
  if (config.psk) {
    // Only the PSK key exchange asked for, so nothing but the PSK can complete a handshake;
    // AES-128 suites with SHA-256 (the PSK's hash), as on the other backends.
    const bool dhe = config.psk->key_exchange == PskKeyExchange::kDhe;
    absl::StrAppend(&priority, ":-KX-ALL:", dhe ? "+ECDHE-PSK" : "+PSK", ":-CIPHER-ALL");
    if (dhe && config.max_version == TlsVersion::kTls12) {
      absl::StrAppend(&priority, ":+AES-128-CBC:-MAC-ALL:+SHA256");
    } else {
      absl::StrAppend(&priority, ":+AES-128-GCM");
    }
  }
  return priority;
}

class GnutlsContext;

class GnutlsSession : public Session {
 public:
  GnutlsSession(gnutls_session_t session, GnutlsContext* context, Transport& transport)
      : session_(session), context_(context), transport_(transport) {
    gnutls_transport_set_ptr(session_, this);
    gnutls_transport_set_push_function(session_, Push);
    gnutls_transport_set_pull_function(session_, Pull);
  }
  ~GnutlsSession() override { gnutls_deinit(session_); }

  absl::StatusOr<bool> Handshake() override {
    if (!failure_.ok()) return failure_;
    if (done_) return true;
    const int rc = gnutls_handshake(session_);
    if (rc == GNUTLS_E_SUCCESS) {
      done_ = true;
      return true;
    }
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED || !gnutls_error_is_fatal(rc)) {
      return false;
    }
    return Fail(rc);
  }

  absl::Status ProcessPostHandshake() override {
    if (!failure_.ok()) return failure_;
    uint8_t byte;
    const ssize_t rc = gnutls_record_recv(session_, &byte, 1);
    if (rc >= 0 || rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return absl::OkStatus();
    return Fail(static_cast<int>(rc));
  }

  absl::StatusOr<size_t> WriteApplicationData(absl::Span<const uint8_t> data) override {
    const ssize_t rc = gnutls_record_send(session_, data.data(), data.size());
    if (rc >= 0) return static_cast<size_t>(rc);
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return 0;
    return Fail(static_cast<int>(rc));
  }

  absl::StatusOr<size_t> ReadApplicationData(absl::Span<uint8_t> buffer) override {
    const ssize_t rc = gnutls_record_recv(session_, buffer.data(), buffer.size());
    if (rc > 0) return static_cast<size_t>(rc);
    if (rc == 0) return MakeError(absl::StatusCode::kUnavailable, ErrorClass::kNone, "peer closed");
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return 0;
    return Fail(static_cast<int>(rc));
  }

  void Close() override;
  HandshakeResult Result() const override;

 private:
  static ssize_t Push(gnutls_transport_ptr_t self, const void* data, size_t size) {
    auto* session = static_cast<GnutlsSession*>(self);
    auto written =
        session->transport_.Write(absl::MakeConstSpan(static_cast<const uint8_t*>(data), size));
    if (!written.ok()) {
      gnutls_transport_set_errno(session->session_, EPIPE);
      return -1;
    }
    if (*written == 0) {
      gnutls_transport_set_errno(session->session_, EAGAIN);
      return -1;
    }
    return static_cast<ssize_t>(*written);
  }

  static ssize_t Pull(gnutls_transport_ptr_t self, void* buffer, size_t size) {
    auto* session = static_cast<GnutlsSession*>(self);
    auto read = session->transport_.Read(absl::MakeSpan(static_cast<uint8_t*>(buffer), size));
    if (!read.ok()) return 0;  // end of stream
    if (*read == 0) {
      gnutls_transport_set_errno(session->session_, EAGAIN);
      return -1;
    }
    return static_cast<ssize_t>(*read);
  }

  absl::Status Fail(int rc) {
    const unsigned verify_status = verdict_.status;
    if (!raw_key_rejection_.empty()) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kUntrustedIssuer,
                           raw_key_rejection_);
    } else if (verdict_.ran && !verdict_.verified()) {
      failure_ = verdict_.ToStatus();
    } else if (std::optional<std::string> srp_rejection = SrpRejection(rc)) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kPasswordRejected,
                           absl::StrCat(*srp_rejection, " (", gnutls_strerror(rc), ")"));
    } else if (std::optional<std::string> rejection = PskRejection(rc)) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kPskRejected,
                           absl::StrCat(*rejection, " (", gnutls_strerror(rc), ")"));
    } else if (rc == GNUTLS_E_NO_CERTIFICATE_FOUND || rc == GNUTLS_E_CERTIFICATE_REQUIRED) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kNoPeerCertificate,
                           "peer sent no certificate but one is required");
    } else if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED || rc == GNUTLS_E_WARNING_ALERT_RECEIVED) {
      failure_ = MakeError(
          absl::StatusCode::kAborted, ErrorClass::kHandshakeFailure,
          absl::StrCat("peer sent alert: ", gnutls_alert_get_name(gnutls_alert_get(session_))));
    } else {
      failure_ =
          MakeError(absl::StatusCode::kAborted, ErrorClass::kHandshakeFailure, gnutls_strerror(rc));
    }
    TellPeer(rc, verify_status);
    return failure_;
  }

  // Sends the peer the alert for `rc` before the connection closes (GnuTLS sends none by itself).
  void TellPeer(int rc, unsigned verify_status);

  std::optional<std::string> PskRejection(int rc) const;
  std::optional<std::string> SrpRejection(int rc) const;

 public:
  // Server side, from the PSK callback: the identity the client offered.
  void NotePskOffered(std::string identity) { offered_psk_identity_ = std::move(identity); }
  // Server side, from the SRP lookup: the user the client logged in as.
  void NoteSrpUser(std::string user) { offered_srp_user_ = std::move(user); }
  // From the raw-public-key check: why the peer's key was refused, or that it was accepted.
  void NoteRawKeyRejected(std::string why) { raw_key_rejection_ = std::move(why); }
  void NoteRawKeyVerified() { raw_key_verified_ = true; }
  // From the certificate check: what the library's verification of the peer's chain said.
  void NoteVerdict(const gnutls_chain::Verdict& verdict) { verdict_ = verdict; }

 private:
  gnutls_session_t session_;
  GnutlsContext* context_;
  Transport& transport_;
  bool done_ = false;
  absl::Status failure_;
  std::string offered_psk_identity_;
  std::string raw_key_rejection_;
  bool raw_key_verified_ = false;
  gnutls_chain::Verdict verdict_;
  std::string offered_srp_user_;
};

class GnutlsContext : public Context {
 public:
  ~GnutlsContext() override {
    if (priority_ != nullptr) gnutls_priority_deinit(priority_);
    if (psk_client_ != nullptr) gnutls_psk_free_client_credentials(psk_client_);
    if (psk_server_ != nullptr) gnutls_psk_free_server_credentials(psk_server_);
    if (srp_client_ != nullptr) gnutls_srp_free_client_credentials(srp_client_);
    if (srp_server_ != nullptr) gnutls_srp_free_server_credentials(srp_server_);
    if (credentials_ != nullptr) gnutls_certificate_free_credentials(credentials_);
    for (gnutls_pcert_st& certificate : own_chain_) gnutls_pcert_deinit(&certificate);
    if (own_key_ != nullptr) gnutls_privkey_deinit(own_key_);
  }

  static absl::StatusOr<std::unique_ptr<Context>> Create(const EndpointConfig& config) {
    MTLS_RETURN_IF_ERROR(Validate(config));
    if (config.seams.random) MTLS_RETURN_IF_ERROR(RequireCapability("seam:random"));
    if (config.seams.fixed_unix_time) MTLS_RETURN_IF_ERROR(RequireCapability("seam:fixed-clock"));
    auto context = std::unique_ptr<GnutlsContext>(new GnutlsContext(config));
    MTLS_RETURN_IF_ERROR(context->Configure());
    return std::unique_ptr<Context>(std::move(context));
  }

  absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) override {
    const bool is_client = config_.role == Role::kClient;
    unsigned flags = (is_client ? GNUTLS_CLIENT : GNUTLS_SERVER) | GNUTLS_NONBLOCK;
    if (config_.resumption != Resumption::kTickets) flags |= GNUTLS_NO_TICKETS;
    if (config_.raw_public_keys) flags |= GNUTLS_ENABLE_RAWPK;
    gnutls_session_t session = nullptr;
    if (int rc = gnutls_init(&session, flags); rc < 0) return LibraryError("gnutls_init", rc);
    auto wrapped = std::make_unique<GnutlsSession>(session, this, transport);
    gnutls_priority_set(session, priority_);
    gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, credentials_);
    if (config_.psk) {
      gnutls_credentials_set(session, GNUTLS_CRD_PSK,
                             is_client ? static_cast<void*>(psk_client_) : psk_server_);
    }
    if (config_.srp) {
      gnutls_credentials_set(session, GNUTLS_CRD_SRP,
                             is_client ? static_cast<void*>(srp_client_) : srp_server_);
    }
    gnutls_session_set_ptr(session, this);
    if (is_client) {
      if (!config_.expected_peer_name.empty()) {
        gnutls_server_name_set(session, GNUTLS_NAME_DNS, config_.expected_peer_name.data(),
                               config_.expected_peer_name.size());
      }
      resumable_.Offer(session);
      VerifyPeer(session);
    } else {
      const bool require = config_.client_auth == ClientAuth::kRequired;
      gnutls_certificate_server_set_request(session,
                                            require ? GNUTLS_CERT_REQUIRE : GNUTLS_CERT_IGNORE);
      if (require) VerifyPeer(session);
      if (config_.resumption == Resumption::kTickets) {
        resumption_.EnableTickets(session);
      } else if (config_.resumption == Resumption::kSessionIds) {
        resumption_.UseSessionCache(session);
      }
    }
    return std::unique_ptr<Session>(std::move(wrapped));
  }

  const EndpointConfig& config() const override { return config_; }

  // Certificates: the chain policy (gnutls_chain_policy.h), as VerifyPeerChain applies it.
  // Raw public keys: the peer's SubjectPublicKeyInfo must be a trusted one.
  void VerifyPeer(gnutls_session_t session) {
    gnutls_session_set_verify_function(session,
                                       config_.raw_public_keys ? CheckPeerRawKey : CheckPeerChain);
  }

  static int CheckPeerChain(gnutls_session_t session) {
    auto* self = static_cast<GnutlsContext*>(gnutls_session_get_ptr(session));
    auto* owner = static_cast<GnutlsSession*>(gnutls_transport_get_ptr(session));
    const gnutls_chain::Verdict verdict = gnutls_chain::Verdict::Of(session, *self->policy_);
    owner->NoteVerdict(verdict);
    return verdict.HandshakeError();
  }

  static int CheckPeerRawKey(gnutls_session_t session) {
    auto* self = static_cast<GnutlsContext*>(gnutls_session_get_ptr(session));
    auto* owner = static_cast<GnutlsSession*>(gnutls_transport_get_ptr(session));
    unsigned count = 0;
    const gnutls_datum_t* peers = gnutls_certificate_get_peers(session, &count);
    if (gnutls_certificate_type_get2(session, GNUTLS_CTYPE_PEERS) != GNUTLS_CRT_RAWPK ||
        peers == nullptr || count == 0) {
      owner->NoteRawKeyRejected("peer sent no raw public key");
      return -1;
    }
    const std::string key(gnutls_util::ToStringView(peers[0]));
    const auto& trusted = self->config_.raw_public_keys->trusted_peer_keys_der;
    if (std::find(trusted.begin(), trusted.end(), key) == trusted.end()) {
      owner->NoteRawKeyRejected("peer raw public key is not a trusted one");
      return -1;
    }
    owner->NoteRawKeyVerified();
    return 0;
  }

  // Client side: the newest resumable session.
  void KeepResumable(gnutls_session_t session) { resumable_.Keep(session); }

 private:
  explicit GnutlsContext(const EndpointConfig& config)
      : config_(config),
        policy_(std::make_unique<gnutls_chain::Policy>(
            config.role == Role::kClient ? Role::kServer : Role::kClient, config.expected_peer_name,
            config.max_chain_depth)) {}

  absl::Status Configure() {
    if (int rc = gnutls_certificate_allocate_credentials(&credentials_); rc < 0) {
      return LibraryError("allocate credentials", rc);
    }
    MTLS_RETURN_IF_ERROR(policy_->Configure(credentials_, config_.trust_anchors_der));
    if (config_.raw_public_keys) {
      MTLS_RETURN_IF_ERROR(LoadOwnRawKey(*config_.credentials));
    } else if (config_.credentials) {
      MTLS_RETURN_IF_ERROR(LoadOwnCredentials(*config_.credentials));
    }
    const std::string priority = PriorityString(config_);
    const char* error_at = nullptr;
    if (int rc = gnutls_priority_init(&priority_, priority.c_str(), &error_at); rc < 0) {
      return Unsupported(absl::StrCat("priority string not accepted at '",
                                      error_at != nullptr ? error_at : "?", "': ", priority));
    }
    if (config_.psk) MTLS_RETURN_IF_ERROR(ConfigurePsk(*config_.psk));
    if (config_.srp) MTLS_RETURN_IF_ERROR(ConfigureSrp(*config_.srp));
    if (config_.role == Role::kServer && config_.resumption == Resumption::kTickets) {
      MTLS_RETURN_IF_ERROR(resumption_.GenerateTicketKey());
    }
    return absl::OkStatus();
  }

  absl::Status ConfigurePsk(const ExternalPsk& psk) {
    MTLS_RETURN_IF_ERROR(RequireCapability(PskFeature(psk.key_exchange, config_.max_version)));
    if (config_.role == Role::kServer) {
      if (int rc = gnutls_psk_allocate_server_credentials(&psk_server_); rc < 0) {
        return LibraryError("PSK credentials", rc);
      }
      gnutls_psk_set_server_credentials_function2(psk_server_, FindPsk);
      return absl::OkStatus();
    }
    if (int rc = gnutls_psk_allocate_client_credentials(&psk_client_); rc < 0) {
      return LibraryError("PSK credentials", rc);
    }
    gnutls_datum_t identity = Datum(psk.identity);
    gnutls_datum_t key = Datum(psk.key);
    if (int rc =
            gnutls_psk_set_client_credentials2(psk_client_, &identity, &key, GNUTLS_PSK_KEY_RAW);
        rc < 0) {
      return LibraryError("PSK", rc);
    }
    return absl::OkStatus();
  }

  absl::Status ConfigureSrp(const SrpPassword& srp) {
    MTLS_RETURN_IF_ERROR(RequireCapability("srp:tls1.2"));
    if (config_.role == Role::kClient) {
      if (int rc = gnutls_srp_allocate_client_credentials(&srp_client_); rc < 0) {
        return LibraryError("SRP credentials", rc);
      }
      if (int rc = gnutls_srp_set_client_credentials(srp_client_, srp.username.c_str(),
                                                     srp.password.c_str());
          rc < 0) {
        return LibraryError("SRP user", rc);
      }
      return absl::OkStatus();
    }
    auto account = gnutls_srp::DeriveAccount(srp);
    if (!account.ok()) return account.status();
    srp_account_ = *std::move(account);
    if (int rc = gnutls_srp_allocate_server_credentials(&srp_server_); rc < 0) {
      return LibraryError("SRP credentials", rc);
    }
    gnutls_srp_set_server_credentials_function(srp_server_, FindSrpUser);
    return absl::OkStatus();
  }

  // Server: the record of the configured user only; notes who the client claimed to be.
  static int FindSrpUser(gnutls_session_t session, const char* username, gnutls_datum_t* salt,
                         gnutls_datum_t* verifier, gnutls_datum_t* generator,
                         gnutls_datum_t* prime) {
    auto* self = static_cast<GnutlsContext*>(gnutls_session_get_ptr(session));
    static_cast<GnutlsSession*>(gnutls_transport_get_ptr(session))->NoteSrpUser(username);
    if (username != self->srp_account_.username) return -1;
    return gnutls_srp::Lookup(self->srp_account_, salt, verifier, generator, prime);
  }

  // Server: the key of the configured identity only; notes what the client offered.
  static int FindPsk(gnutls_session_t session, const gnutls_datum_t* identity,
                     gnutls_datum_t* key) {
    auto* self = static_cast<GnutlsContext*>(gnutls_session_get_ptr(session));
    const std::string offered(gnutls_util::ToStringView(*identity));
    static_cast<GnutlsSession*>(gnutls_transport_get_ptr(session))->NotePskOffered(offered);
    const ExternalPsk& psk = *self->config_.psk;
    // 1: "no such identity"; the library then goes on with a random key, so the client learns
    // only that the handshake failed (RFC 4279 §2), not which identities exist.
    if (offered != psk.identity) return 1;
    key->data = static_cast<unsigned char*>(gnutls_malloc(psk.key.size()));
    if (key->data == nullptr) return -1;
    key->size = static_cast<unsigned>(psk.key.size());
    std::copy(psk.key.begin(), psk.key.end(), key->data);
    return 0;
  }

  // The leaf's key as a raw public key (its SubjectPublicKeyInfo) with the private key.
  absl::Status LoadOwnRawKey(const Credentials& credentials) {
    auto spki = CertificateSpki(credentials.chain_der.front());
    if (!spki.ok()) return BadInput("certificate chain: leaf is not a valid X.509 certificate");
    gnutls_datum_t spki_der = Datum(*spki);
    gnutls_datum_t key_der = Datum(credentials.key_der);
    const int rc = gnutls_certificate_set_rawpk_key_mem(
        credentials_, &spki_der, &key_der, GNUTLS_X509_FMT_DER, nullptr, 0, nullptr, 0, 0);
    if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorClass::kKeyMismatch,
                       "private key does not match the raw public key");
    }
    if (rc < 0) return BadInput(absl::StrCat("raw public key: ", gnutls_strerror(rc)));
    return absl::OkStatus();
  }

  absl::Status LoadOwnCredentials(const Credentials& credentials) {
    std::vector<gnutls_x509_crt_t> chain;
    absl::Status status;
    for (size_t i = 0; i < credentials.chain_der.size() && status.ok(); ++i) {
      gnutls_x509_crt_t certificate = nullptr;
      gnutls_x509_crt_init(&certificate);
      gnutls_datum_t der = Datum(credentials.chain_der[i]);
      if (gnutls_x509_crt_import(certificate, &der, GNUTLS_X509_FMT_DER) < 0) {
        status = BadInput(absl::StrCat("certificate chain: certificate ", i + 1,
                                       " is not a valid X.509 certificate"));
      }
      chain.push_back(certificate);
    }
    gnutls_x509_privkey_t key = nullptr;
    gnutls_x509_privkey_init(&key);
    gnutls_datum_t key_der = Datum(credentials.key_der);
    if (status.ok() && gnutls_x509_privkey_import2(key, &key_der, GNUTLS_X509_FMT_DER, nullptr,
                                                   GNUTLS_PKCS_PLAIN) < 0) {
      status = BadInput("private key: not a valid private key");
    }
    if (status.ok()) {
      const int rc = gnutls_certificate_set_x509_key(credentials_, chain.data(),
                                                     static_cast<int>(chain.size()), key);
      if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
        status = MakeError(absl::StatusCode::kInvalidArgument, ErrorClass::kKeyMismatch,
                           "private key does not match the leaf certificate");
      } else if (rc < 0) {
        status = Unsupported(absl::StrCat("credentials not usable: ", gnutls_strerror(rc)));
      }
    }
    for (gnutls_x509_crt_t certificate : chain) gnutls_x509_crt_deinit(certificate);
    gnutls_x509_privkey_deinit(key);
    if (status.ok() && config_.role == Role::kClient)
      status = SendCertificateUnconditionally(credentials);
    return status;
  }

  // A GnuTLS client sends its certificate only when it suits the server's CertificateRequest
  // (CA names, and in TLS 1.2 the certificate types, which leave out Ed25519). Like the other
  // backends' clients, send the configured chain whatever the request says: the server judges.
  absl::Status SendCertificateUnconditionally(const Credentials& credentials) {
    own_chain_.resize(credentials.chain_der.size());
    for (size_t i = 0; i < credentials.chain_der.size(); ++i) {
      gnutls_datum_t der = Datum(credentials.chain_der[i]);
      if (int rc = gnutls_pcert_import_x509_raw(&own_chain_[i], &der, GNUTLS_X509_FMT_DER, 0);
          rc < 0) {
        own_chain_.resize(i);
        return LibraryError("certificate chain", rc);
      }
    }
    gnutls_privkey_init(&own_key_);
    gnutls_datum_t key_der = Datum(credentials.key_der);
    if (int rc = gnutls_privkey_import_x509_raw(own_key_, &key_der, GNUTLS_X509_FMT_DER, nullptr,
                                                GNUTLS_PKCS_PLAIN);
        rc < 0) {
      return LibraryError("private key", rc);
    }
    gnutls_certificate_set_retrieve_function2(credentials_, RetrieveOwnCertificate);
    return absl::OkStatus();
  }

  static int RetrieveOwnCertificate(gnutls_session_t session, const gnutls_datum_t*, int,
                                    const gnutls_pk_algorithm_t*, int, gnutls_pcert_st** chain,
                                    unsigned int* chain_length, gnutls_privkey_t* key) {
    auto* self = static_cast<GnutlsContext*>(gnutls_session_get_ptr(session));
    *chain = self->own_chain_.data();
    *chain_length = static_cast<unsigned>(self->own_chain_.size());
    *key = self->own_key_;
    return 0;
  }

  EndpointConfig config_;
  gnutls_certificate_credentials_t credentials_ = nullptr;
  gnutls_priority_t priority_ = nullptr;
  gnutls_psk_client_credentials_t psk_client_ = nullptr;
  gnutls_psk_server_credentials_t psk_server_ = nullptr;
  gnutls_srp_client_credentials_t srp_client_ = nullptr;
  gnutls_srp_server_credentials_t srp_server_ = nullptr;
  gnutls_srp::Account srp_account_;               // a server's record of its user
  std::unique_ptr<gnutls_chain::Policy> policy_;  // what the peer's chain must satisfy
  std::vector<gnutls_pcert_st> own_chain_;        // a client's chain, sent whatever the server asks
  gnutls_privkey_t own_key_ = nullptr;
  gnutls_resumption::Server resumption_;  // a server's session-ID cache or ticket key
  gnutls_resumption::Client resumable_;   // a client's newest session
};

void GnutlsSession::TellPeer(int rc, unsigned verify_status) {
  const bool is_server = context_->config().role == Role::kServer;
  gnutls_alert::SendFor(session_, is_server, rc, verify_status);
}

void GnutlsSession::Close() {
  if (!done_ || !failure_.ok()) return;
  if (context_->config().role == Role::kClient &&
      context_->config().resumption != Resumption::kOff) {
    context_->KeepResumable(session_);
  }
  gnutls_bye(session_, GNUTLS_SHUT_WR);
}

std::optional<std::string> GnutlsSession::PskRejection(int rc) const {
  const std::optional<ExternalPsk>& psk = context_->config().psk;
  return psk ? gnutls_psk::Rejection(*psk, offered_psk_identity_, rc) : std::nullopt;
}

std::optional<std::string> GnutlsSession::SrpRejection(int rc) const {
  const std::optional<SrpPassword>& srp = context_->config().srp;
  return srp ? gnutls_srp::Rejection(*srp, offered_srp_user_, rc) : std::nullopt;
}

HandshakeResult GnutlsSession::Result() const {
  HandshakeResult result = ResultOfSession(failure_, done_);
  if (!done_) return result;
  result.version = gnutls_protocol_get_version(session_) == GNUTLS_TLS1_3 ? TlsVersion::kTls13
                                                                          : TlsVersion::kTls12;
  result.group = gnutls_util::GroupOf(gnutls_group_get(session_));
  const bool is_client = context_->config().role == Role::kClient;
  result.peer_signature_algorithm = gnutls_util::CodePointOf(
      static_cast<gnutls_sign_algorithm_t>(is_client ? gnutls_sign_algorithm_get(session_)
                                                     : gnutls_sign_algorithm_get_client(session_)));
  result.cipher = gnutls_ciphersuite_get(session_);
  result.resumed = gnutls_session_is_resumed(session_) != 0;
  if (const std::optional<SrpPassword>& srp = context_->config().srp) {
    result.peer_verified = gnutls_auth_get_type(session_) == GNUTLS_CRD_SRP;
    if (result.peer_verified) result.srp_username = srp->username;
    return result;
  }
  if (const std::optional<ExternalPsk>& psk = context_->config().psk) {
    result.resumed = false;
    result.peer_verified = gnutls_auth_get_type(session_) == GNUTLS_CRD_PSK;
    if (!result.peer_verified) return result;
    if (context_->config().role == Role::kServer) {
      // The identity the handshake authenticated, as the library recorded it.
      gnutls_datum_t identity{};
      if (gnutls_psk_server_get_username2(session_, &identity) == 0) {
        result.psk_identity = gnutls_util::ToString(identity);
      }
    } else {
      // A GnuTLS client offers the one identity of its credentials (no getter reports it back);
      // the PSK authentication above is the library's word that the server took it.
      result.psk_identity = psk->identity;
    }
    return result;
  }
  unsigned count = 0;
  const gnutls_datum_t* peers = gnutls_certificate_get_peers(session_, &count);
  if (context_->config().raw_public_keys) {
    if (peers != nullptr && count > 0 && raw_key_verified_) {
      result.peer_raw_public_key = gnutls_util::ToString(peers[0]);
      result.peer_verified = true;
    }
    return result;
  }
  if (peers != nullptr && count > 0) {
    auto identity = IdentityFromCertificate(gnutls_util::ToStringView(peers[0]));
    if (identity.ok()) result.peer = *std::move(identity);
    // Verification ran inside the handshake (CheckPeerChain), a failure would have aborted it; a
    // resumed session carries the peer verified by the handshake that created it (GnuTLS runs no
    // verification in a resumed handshake).
    result.peer_verified = result.resumed || verdict_.verified();
  }
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Context>> CreateContext(const EndpointConfig& config) {
  return GnutlsContext::Create(config);
}

void ReleaseThreadState() {}  // GnuTLS keeps no per-thread state of its own

}  // namespace mtls
