// Backend adapter for GnuTLS: the skeleton (context set-up, the session's steps, failure and
// result) and the library's callbacks. Verification happens inside the handshake (a verify
// function applying gnutls_chain_policy.h), so a rejected peer fails the handshake like it does
// on the other backends; every library call of a context or session runs under the context's
// clock (gnutls_clock.h). Each concern lives in a file of its own: gnutls_certificates,
// gnutls_priority, gnutls_psk, gnutls_srp, gnutls_raw_public_key, gnutls_resumption,
// gnutls_alert, gnutls_dtls.
#include <gnutls/abstract.h>
#include <gnutls/dtls.h>
#include <gnutls/gnutls.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gnutls_alert.h"
#include "gnutls_cert_compression.h"
#include "gnutls_certificates.h"
#include "gnutls_chain_policy.h"
#include "gnutls_clock.h"
#include "gnutls_dtls.h"
#include "gnutls_priority.h"
#include "gnutls_psk.h"
#include "gnutls_raw_public_key.h"
#include "gnutls_resumption.h"
#include "gnutls_srp.h"
#include "gnutls_util.h"
#include "mtls/backend.h"
#include "mtls/status.h"
#include "mtls/x509_identity.h"

namespace mtls {
namespace {

using gnutls_util::LibraryError;

class GnutlsContext;

class GnutlsSession : public Session {
 public:
  // `datagrams`: a DTLS session's I/O; `cookie_key`: a DTLS server's, when it exchanges cookies.
  GnutlsSession(gnutls_session_t session, GnutlsContext* context, Transport& transport,
                std::optional<int64_t> fixed_time,
                std::unique_ptr<gnutls_dtls::Datagrams> datagrams = nullptr,
                const gnutls_dtls::CookieKey* cookie_key = nullptr)
      : session_(session),
        context_(context),
        transport_(transport),
        fixed_time_(fixed_time),
        datagrams_(std::move(datagrams)),
        cookie_key_(cookie_key) {
    gnutls_transport_set_ptr(session_, this);
    gnutls_transport_set_push_function(session_, Push);
    gnutls_transport_set_pull_function(session_, Pull);
    // GnuTLS polls for a datagram before it decides to retransmit; its default waits on a socket.
    if (datagrams_) gnutls_transport_set_pull_timeout_function(session_, PullTimeout);
  }
  ~GnutlsSession() override { gnutls_deinit(session_); }

  absl::StatusOr<bool> Handshake() override {
    if (!failure_.ok()) return failure_;
    if (done_) return true;
    if (cookie_key_ != nullptr) {  // a stateless listener until the client echoes a cookie
      absl::StatusOr<bool> admitted = datagrams_->AdmitCookie(session_, *cookie_key_);
      if (!admitted.ok()) return failure_ = admitted.status();
      if (!*admitted) return false;
      cookie_key_ = nullptr;
    }
    const gnutls_clock::Scope clock(fixed_time_);
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
    const gnutls_clock::Scope clock(fixed_time_);
    const ssize_t rc = gnutls_record_recv(session_, &byte, 1);
    if (rc >= 0 || rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return absl::OkStatus();
    if (StaleDtlsTimeout(rc)) return absl::OkStatus();
    return Fail(static_cast<int>(rc));
  }

  absl::StatusOr<size_t> WriteApplicationData(absl::Span<const uint8_t> data) override {
    const gnutls_clock::Scope clock(fixed_time_);
    // DTLS: a record is a datagram; GnuTLS refuses one over the path MTU (GNUTLS_E_LARGE_PACKET).
    if (datagrams_) {
      data = data.first(std::min<size_t>(data.size(), gnutls_dtls_get_data_mtu(session_)));
    }
    const ssize_t rc = gnutls_record_send(session_, data.data(), data.size());
    if (rc >= 0) return static_cast<size_t>(rc);
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return 0;
    return Fail(static_cast<int>(rc));
  }

  absl::StatusOr<size_t> ReadApplicationData(absl::Span<uint8_t> buffer) override {
    const gnutls_clock::Scope clock(fixed_time_);
    const ssize_t rc = gnutls_record_recv(session_, buffer.data(), buffer.size());
    if (rc > 0) return static_cast<size_t>(rc);
    if (rc == 0) return MakeError(absl::StatusCode::kUnavailable, ErrorClass::kNone, "peer closed");
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED || StaleDtlsTimeout(rc)) return 0;
    return Fail(static_cast<int>(rc));
  }

  std::optional<int64_t> RetransmissionTimeoutUs() override {
    if (!datagrams_ || done_ || !failure_.ok() || cookie_key_ != nullptr) return std::nullopt;
    return gnutls_dtls::RetransmissionTimeoutUs(session_);
  }

  // GnuTLS retransmits from within its handshake call once its timer has run out, or fails
  // (GNUTLS_E_TIMEDOUT) once the total timeout has passed.
  absl::Status OnRetransmissionTimeout() override {
    if (!datagrams_ || done_ || !failure_.ok()) return failure_;
    return Handshake().status();
  }

  void Close() override;
  HandshakeResult Result() const override;

 private:
  static ssize_t Push(gnutls_transport_ptr_t self, const void* data, size_t size) {
    auto* session = static_cast<GnutlsSession*>(self);
    if (session->datagrams_) return session->datagrams_->Push(session->session_, data, size);
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
    if (session->datagrams_) return session->datagrams_->Pull(session->session_, buffer, size);
    auto read = session->transport_.Read(absl::MakeSpan(static_cast<uint8_t*>(buffer), size));
    if (!read.ok()) return 0;  // end of stream
    if (*read == 0) {
      gnutls_transport_set_errno(session->session_, EAGAIN);
      return -1;
    }
    return static_cast<ssize_t>(*read);
  }

  // After a DTLS handshake, GnuTLS drops a datagram it did not expect (a peer's repeated flight)
  // with GNUTLS_E_TIMEDOUT instead of GNUTLS_E_AGAIN once the total handshake timeout has passed
  // since the handshake began: the connection is intact.
  bool StaleDtlsTimeout(ssize_t rc) const { return datagrams_ && done_ && rc == GNUTLS_E_TIMEDOUT; }

  static int PullTimeout(gnutls_transport_ptr_t self, unsigned int) {
    auto* session = static_cast<GnutlsSession*>(self);
    return session->datagrams_->PullTimeout(session->session_);
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
    } else if (datagrams_ && rc == GNUTLS_E_TIMEDOUT) {
      failure_ = MakeError(absl::StatusCode::kDeadlineExceeded, ErrorClass::kHandshakeFailure,
                           "DTLS retransmission gave up: the peer did not answer");
    } else if (datagrams_ && (rc == GNUTLS_E_PUSH_ERROR || rc == GNUTLS_E_PULL_ERROR) &&
               !datagrams_->transport_error().ok()) {
      failure_ = MakeError(
          absl::StatusCode::kAborted, ErrorClass::kHandshakeFailure,
          absl::StrCat(gnutls_strerror(rc), ": ", datagrams_->transport_error().message()));
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
  // From the handshake hook: the peer's Certificate came compressed with this algorithm.
  void NotePeerCompression(std::optional<CertificateCompression> algorithm) {
    peer_compression_ = algorithm;
  }

 private:
  gnutls_session_t session_;
  GnutlsContext* context_;
  Transport& transport_;
  std::optional<int64_t> fixed_time_;  // the context's certificate-validity clock, if fixed
  std::unique_ptr<gnutls_dtls::Datagrams> datagrams_;  // DTLS only
  const gnutls_dtls::CookieKey* cookie_key_;  // until the client's cookie verified (DTLS servers)
  bool done_ = false;
  absl::Status failure_;
  std::string offered_psk_identity_;
  std::string raw_key_rejection_;
  bool raw_key_verified_ = false;
  gnutls_chain::Verdict verdict_;
  std::string offered_srp_user_;
  std::optional<CertificateCompression> peer_compression_;
};

class GnutlsContext : public Context {
 public:
  static absl::StatusOr<std::unique_ptr<Context>> Create(const EndpointConfig& config) {
    MTLS_RETURN_IF_ERROR(Validate(config));
    MTLS_RETURN_IF_ERROR(gnutls_dtls::Check(config));
    if (config.seams.random) MTLS_RETURN_IF_ERROR(RequireCapability("seam:random"));
    auto context = std::unique_ptr<GnutlsContext>(new GnutlsContext(config));
    const gnutls_clock::Scope clock(config.seams.fixed_unix_time);
    MTLS_RETURN_IF_ERROR(context->Configure());
    return std::unique_ptr<Context>(std::move(context));
  }

  absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) override {
    const bool is_client = config_.role == Role::kClient;
    const bool dtls = config_.protocol == Protocol::kDtls;
    std::unique_ptr<gnutls_dtls::Datagrams> datagrams;
    if (dtls) {
      MTLS_ASSIGN_OR_RETURN(datagrams, gnutls_dtls::Datagrams::Over(transport));
    }
    unsigned flags = (is_client ? GNUTLS_CLIENT : GNUTLS_SERVER) | GNUTLS_NONBLOCK;
    if (dtls) flags |= GNUTLS_DATAGRAM;
    if (config_.resumption != Resumption::kTickets) flags |= GNUTLS_NO_TICKETS;
    if (config_.raw_public_keys) flags |= GNUTLS_ENABLE_RAWPK;
    gnutls_session_t session = nullptr;
    if (int rc = gnutls_init(&session, flags); rc < 0) return LibraryError("gnutls_init", rc);
    const gnutls_clock::Scope clock(config_.seams.fixed_unix_time);
    if (datagrams) {
      if (absl::Status configured = datagrams->Configure(session); !configured.ok()) {
        gnutls_deinit(session);
        return configured;
      }
    }
    auto wrapped = std::make_unique<GnutlsSession>(
        session, this, transport, config_.seams.fixed_unix_time, std::move(datagrams),
        cookie_key_.empty() ? nullptr : &cookie_key_);
    priority_.SetOn(session);
    certificates_.SetOn(session);
    if (config_.psk) psk_.SetOn(session);
    if (config_.srp) srp_.SetOn(session);
    if (!config_.certificate_compression.empty()) {
      MTLS_RETURN_IF_ERROR(
          gnutls_cert_compression::SetOn(session, config_.certificate_compression));
      gnutls_handshake_set_hook_function(session, GNUTLS_HANDSHAKE_COMPRESSED_CERTIFICATE_PKT,
                                         GNUTLS_HOOK_POST, OnCompressedCertificate);
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

  // The chain policy's verdict on the peer chain a session holds (a resumed one included).
  gnutls_chain::Verdict PeerChainVerdict(gnutls_session_t session) const {
    return gnutls_chain::Verdict::Of(session, *policy_);
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
    MTLS_RETURN_IF_ERROR(certificates_.Configure(config_, *policy_, RetrieveOwnCertificate));
    MTLS_RETURN_IF_ERROR(priority_.Configure(config_));
    if (config_.psk) {
      MTLS_RETURN_IF_ERROR(
          psk_.Configure(*config_.psk, config_.role, gnutls_dtls::MaxVersion(config_), FindPsk));
    }
    if (config_.srp) MTLS_RETURN_IF_ERROR(srp_.Configure(*config_.srp, config_.role, FindSrpUser));
    if (config_.role == Role::kServer && config_.resumption == Resumption::kTickets) {
      MTLS_RETURN_IF_ERROR(resumption_.GenerateTicketKey());
    }
    if (config_.role == Role::kServer && config_.dtls.cookie_exchange) {
      MTLS_RETURN_IF_ERROR(cookie_key_.Generate());
    }
    return absl::OkStatus();
  }

  // The library's callbacks reach the context through the session's pointer
  // (gnutls_session_get_ptr) and note what they saw in the GnutlsSession
  // (gnutls_transport_get_ptr).
  static GnutlsContext& ContextOf(gnutls_session_t session) {
    return *static_cast<GnutlsContext*>(gnutls_session_get_ptr(session));
  }
  static GnutlsSession& OwnerOf(gnutls_session_t session) {
    return *static_cast<GnutlsSession*>(gnutls_transport_get_ptr(session));
  }

  static int OnCompressedCertificate(gnutls_session_t session, unsigned, unsigned,
                                     unsigned incoming, const gnutls_datum_t* body) {
    if (incoming != 0)
      OwnerOf(session).NotePeerCompression(gnutls_cert_compression::AlgorithmOf(*body));
    return 0;
  }

  static int CheckPeerChain(gnutls_session_t session) {
    const gnutls_chain::Verdict verdict =
        gnutls_chain::Verdict::Of(session, *ContextOf(session).policy_);
    OwnerOf(session).NoteVerdict(verdict);
    return verdict.HandshakeError();
  }

  static int CheckPeerRawKey(gnutls_session_t session) {
    const std::optional<std::string> rejection =
        gnutls_rpk::PeerKeyRejection(session, *ContextOf(session).config_.raw_public_keys);
    if (rejection) {
      OwnerOf(session).NoteRawKeyRejected(*rejection);
      return -1;
    }
    OwnerOf(session).NoteRawKeyVerified();
    return 0;
  }

  // Server: the key of the configured identity only; notes what the client offered.
  static int FindPsk(gnutls_session_t session, const gnutls_datum_t* identity,
                     gnutls_datum_t* key) {
    const std::string offered(gnutls_util::ToStringView(*identity));
    OwnerOf(session).NotePskOffered(offered);
    return gnutls_psk::FindKey(*ContextOf(session).config_.psk, offered, key);
  }

  // Server: the record of the configured user only; notes who the client claimed to be.
  static int FindSrpUser(gnutls_session_t session, const char* username, gnutls_datum_t* salt,
                         gnutls_datum_t* verifier, gnutls_datum_t* generator,
                         gnutls_datum_t* prime) {
    OwnerOf(session).NoteSrpUser(username);
    return gnutls_srp::Lookup(ContextOf(session).srp_.account(), username, salt, verifier,
                              generator, prime);
  }

  static int RetrieveOwnCertificate(gnutls_session_t session, const gnutls_datum_t*, int,
                                    const gnutls_pk_algorithm_t*, int, gnutls_pcert_st** chain,
                                    unsigned int* chain_length, gnutls_privkey_t* key) {
    return ContextOf(session).certificates_.Retrieve(chain, chain_length, key);
  }

  EndpointConfig config_;
  std::unique_ptr<gnutls_chain::Policy> policy_;  // what the peer's chain must satisfy
  gnutls_certificates::Certificates certificates_;
  gnutls_priority::Priority priority_;
  gnutls_psk::Credentials psk_;
  gnutls_srp::Credentials srp_;
  gnutls_resumption::Server resumption_;  // a server's session-ID cache or ticket key
  gnutls_resumption::Client resumable_;   // a client's newest session
  gnutls_dtls::CookieKey cookie_key_;     // a DTLS server's, when it exchanges cookies
};

void GnutlsSession::TellPeer(int rc, unsigned verify_status) {
  const bool is_server = context_->config().role == Role::kServer;
  gnutls_alert::SendFor(session_, is_server, rc, verify_status);
}

void GnutlsSession::Close() {
  if (!done_ || !failure_.ok()) return;
  const gnutls_clock::Scope clock(fixed_time_);
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
  const gnutls_protocol_t version = gnutls_protocol_get_version(session_);
  if (datagrams_) {
    result.version = gnutls_dtls::VersionOf(version);
  } else {
    result.version = version == GNUTLS_TLS1_3 ? TlsVersion::kTls13 : TlsVersion::kTls12;
  }
  result.group = gnutls_util::GroupOf(gnutls_group_get(session_));
  const bool is_client = context_->config().role == Role::kClient;
  result.peer_signature_algorithm = gnutls_util::CodePointOf(
      static_cast<gnutls_sign_algorithm_t>(is_client ? gnutls_sign_algorithm_get(session_)
                                                     : gnutls_sign_algorithm_get_client(session_)));
  result.cipher = gnutls_ciphersuite_get(session_);
  result.resumed = gnutls_session_is_resumed(session_) != 0;
  result.peer_certificate_compression = peer_compression_;
  if (context_->config().srp) {
    result.peer_verified = gnutls_auth_get_type(session_) == GNUTLS_CRD_SRP;
    if (result.peer_verified) {
      // A server names the user the library authenticated; GnuTLS reports no login to a client.
      const char* user = context_->config().role == Role::kServer
                             ? gnutls_srp_server_get_username(session_)
                             : nullptr;
      if (user != nullptr) result.srp_username = user;
    }
    return result;
  }
  if (const std::optional<ExternalPsk>& psk = context_->config().psk) {
    result.resumed = false;
    result.peer_verified = gnutls_auth_get_type(session_) == GNUTLS_CRD_PSK;
    if (result.peer_verified) {
      result.psk_identity =
          gnutls_psk::AuthenticatedIdentity(session_, *psk, context_->config().role);
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
    // Verification ran inside the handshake (CheckPeerChain), a failure would have aborted it.
    // GnuTLS runs none in a resumed handshake: the library verifies the restored chain here.
    if (result.resumed) {
      const gnutls_clock::Scope clock(fixed_time_);
      result.peer_verified = context_->PeerChainVerdict(session_).verified();
    } else {
      result.peer_verified = verdict_.verified();
    }
  }
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Context>> CreateContext(const EndpointConfig& config) {
  return GnutlsContext::Create(config);
}

// GnuTLS's per-thread generator contexts are freed by gnutls_global_deinit only: nothing to do.
void ReleaseThreadState() {}

}  // namespace mtls
