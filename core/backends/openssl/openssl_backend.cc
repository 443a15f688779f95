// Backend adapter for the OpenSSL API, compiled against OpenSSL (core/backends/openssl) and
// against BoringSSL (core/backends/boringssl). Where the two libraries differ, the code says so
// with `#if defined(OPENSSL_IS_BORINGSSL)`; everything else is the same source. This file is the
// skeleton (context set-up, the session's steps, failure and result); each scheme and concern
// lives in a file of its own: openssl_psk, openssl_raw_public_key, openssl_srp,
// openssl_resumption, openssl_negotiated (what a handshake agreed on), openssl_transport_bio,
// openssl_dtls, openssl_cert_compression.
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mtls/backend.h"
#include "mtls/status.h"
#include "mtls/x509_identity.h"
#include "openssl_cert_compression.h"
#include "openssl_context_random.h"
#include "openssl_dtls.h"
#include "openssl_negotiated.h"
#include "openssl_psk.h"
#include "openssl_raw_public_key.h"
#include "openssl_resumption.h"
#include "openssl_srp.h"
#include "openssl_transport_bio.h"
#include "openssl_types.h"
#include "openssl_x509.h"

namespace mtls {
namespace {

using namespace openssl_api;  // NOLINT: the owning pointer types of this directory
using openssl_random::NewSslContext;
using LibraryContextPtr = std::unique_ptr<openssl_random::SeamLibraryContext>;

int SessionOwnerIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

class OpensslContext;

class OpensslSession : public Session {
 public:
  OpensslSession(SslPtr ssl, OpensslContext* context, const EndpointConfig& config)
      : ssl_(std::move(ssl)), context_(context), dtls_(config.protocol == Protocol::kDtls) {
    if (config.psk) {
      psk_.psk = &*config.psk;
      openssl_psk::Attach(ssl_.get(), &psk_);
    }
  }

  OpensslContext* context() const { return context_; }
  SSL* ssl() const { return ssl_.get(); }

  absl::StatusOr<bool> Handshake() override {
    if (!failure_.ok()) return failure_;
    if (done_) return true;
    ERR_clear_error();
    const int rc = SSL_do_handshake(ssl_.get());
    if (rc == 1) {
      done_ = true;
      return true;
    }
    const int error = SSL_get_error(ssl_.get(), rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return false;
    return Fail(error);
  }

  absl::Status ProcessPostHandshake() override {
    if (!failure_.ok()) return failure_;
#if defined(OPENSSL_IS_BORINGSSL)
    // BoringSSL writes TLS 1.3 tickets only when the server next writes; an empty write flushes.
    if (SSL_is_server(ssl_.get())) SSL_write(ssl_.get(), "", 0);
#endif
    uint8_t byte;
    ERR_clear_error();
    const int rc = SSL_read(ssl_.get(), &byte, 1);
    if (rc > 0) return absl::OkStatus();  // application data is not ours to consume; nothing lost
    const int error = SSL_get_error(ssl_.get(), rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return absl::OkStatus();
    return Fail(error);
  }

  absl::StatusOr<size_t> WriteApplicationData(absl::Span<const uint8_t> data) override {
    ERR_clear_error();
    const int rc = SSL_write(ssl_.get(), data.data(), static_cast<int>(data.size()));
    if (rc > 0) return static_cast<size_t>(rc);
    const int error = SSL_get_error(ssl_.get(), rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return 0;
    return Fail(error);
  }

  absl::StatusOr<size_t> ReadApplicationData(absl::Span<uint8_t> buffer) override {
    ERR_clear_error();
    const int rc = SSL_read(ssl_.get(), buffer.data(), static_cast<int>(buffer.size()));
    if (rc > 0) return static_cast<size_t>(rc);
    const int error = SSL_get_error(ssl_.get(), rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return 0;
    if (error == SSL_ERROR_ZERO_RETURN) {
      return MakeError(absl::StatusCode::kUnavailable, ErrorClass::kNone, "peer closed");
    }
    return Fail(error);
  }

  std::optional<int64_t> RetransmissionTimeoutUs() override {
    if (!dtls_ || done_ || !failure_.ok()) return std::nullopt;
    return openssl_dtls::RetransmissionTimeoutUs(ssl_.get());
  }

  absl::Status OnRetransmissionTimeout() override {
    if (!failure_.ok()) return failure_;
    if (!dtls_) return absl::OkStatus();
    if (absl::Status handled = openssl_dtls::HandleTimeout(ssl_.get()); !handled.ok()) {
      DrainErrors();
      failure_ = handled;
    }
    return failure_;
  }

  void Close() override {
    // A clean shutdown is what makes OpenSSL keep the session resumable.
    if (done_ && failure_.ok()) SSL_shutdown(ssl_.get());
  }

  HandshakeResult Result() const override;

 private:
  absl::Status Fail(int ssl_error) {
    const long verify_result = SSL_get_verify_result(ssl_.get());
    const unsigned long first_error = ERR_peek_error();
    std::vector<unsigned long> codes;
    std::string errors = DrainErrors(&codes);
    if (errors.empty()) {
      errors = ssl_error == SSL_ERROR_SYSCALL || ssl_error == SSL_ERROR_ZERO_RETURN
                   ? "the peer closed the connection without an alert"
                   : absl::StrCat("failed without a library error (SSL_get_error ", ssl_error, ")");
    }
    if (const std::optional<std::string> psk_rejection = openssl_psk::Rejection(psk_, codes)) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kPskRejected,
                           absl::StrCat(*psk_rejection, " (", errors, ")"));
    } else if (const std::optional<std::string> srp_rejection = SrpRejection(codes)) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kPasswordRejected,
                           absl::StrCat(*srp_rejection, " (", errors, ")"));
    } else if (verify_result != X509_V_OK && VerificationRan(verify_result)) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ClassifyVerifyError(verify_result),
                           absl::StrCat("peer certificate rejected: ",
                                        X509_verify_cert_error_string(verify_result)));
    } else if (ERR_GET_LIB(first_error) == ERR_LIB_SSL &&
               ERR_GET_REASON(first_error) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kNoPeerCertificate,
                           "peer sent no certificate but one is required");
    } else {
      failure_ = MakeError(absl::StatusCode::kAborted, ErrorClass::kHandshakeFailure, errors);
    }
    return failure_;
  }

  // Why a TLS-SRP handshake failed on the user name or password, if it did.
  std::optional<std::string> SrpRejection(const std::vector<unsigned long>& errors) const;

  SslPtr ssl_;
  OpensslContext* context_;
  bool dtls_;
  bool done_ = false;
  absl::Status failure_;
  openssl_psk::Exchange psk_;  // what the PSK callbacks read and record (with an external PSK)
};

class OpensslContext : public Context {
 public:
  static absl::StatusOr<std::unique_ptr<Context>> Create(const EndpointConfig& config) {
    MTLS_RETURN_IF_ERROR(Validate(config));
    if (config.seams.random) MTLS_RETURN_IF_ERROR(RequireCapability("seam:random"));
    MTLS_ASSIGN_OR_RETURN(auto library, openssl_random::LibraryContextFor(config.seams));
    auto context = std::unique_ptr<OpensslContext>(new OpensslContext(config, std::move(library)));
    MTLS_RETURN_IF_ERROR(context->Configure());
    return std::unique_ptr<Context>(std::move(context));
  }

  absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) override {
    SslPtr ssl(SSL_new(ctx_.get()));
    if (!ssl) return absl::InternalError(absl::StrCat("SSL_new: ", DrainErrors()));
    BIO* bio = NewTransportBio(transport);
    SSL_set_bio(ssl.get(), bio, bio);  // one reference, owned by ssl
    if (config_.protocol == Protocol::kDtls) {
      MTLS_RETURN_IF_ERROR(openssl_dtls::ConfigureSession(ssl.get(), transport));
    }
    const bool is_client = config_.role == Role::kClient;
    if (is_client) {
      SSL_set_connect_state(ssl.get());
      if (!config_.expected_peer_name.empty()) {
        SSL_set_tlsext_host_name(ssl.get(), config_.expected_peer_name.c_str());
      }
      if (config_.resumption != Resumption::kOff) {
        std::lock_guard<std::mutex> lock(resumable_mutex_);
        if (resumable_) SSL_set_session(ssl.get(), resumable_.get());
      }
    } else {
      SSL_set_accept_state(ssl.get());
    }
    MTLS_RETURN_IF_ERROR(trusted_raw_keys_.ExpectIn(ssl.get()));
    auto session = std::make_unique<OpensslSession>(std::move(ssl), this, config_);
    SSL_set_ex_data(session->ssl(), SessionOwnerIndex(), session.get());
    return std::unique_ptr<Session>(std::move(session));
  }

  const EndpointConfig& config() const override { return config_; }

 private:
  OpensslContext(const EndpointConfig& config, LibraryContextPtr library)
      : config_(config),
        library_(std::move(library)),
        ctx_(NewSslContext(library_.get(), openssl_dtls::Method(config.protocol))) {}

  absl::Status Configure();
  absl::Status ConfigureTrust();
  absl::Status ConfigureCredentials();
  absl::Status ConfigureAlgorithms();
  // Client side: keeps only the newest session (TLS 1.3 tickets are single use).
  static int OnNewClientSession(SSL* ssl, SSL_SESSION* session);

  EndpointConfig config_;
  LibraryContextPtr library_;  // the seam's generators: null without one; outlives ctx_
  SslCtxPtr ctx_;
  // A client context serves many threads: one offers the newest session while another's
  // handshake replaces it.
  std::mutex resumable_mutex_;
  SessionPtr resumable_;
  openssl_rpk::TrustedKeys trusted_raw_keys_;  // added to every session (OpenSSL keeps them there)
  std::shared_ptr<openssl_srp::ServerAccount> srp_account_;  // a server's verifier
};

absl::Status OpensslContext::Configure() {
  if (!ctx_) return absl::InternalError(absl::StrCat("SSL_CTX_new: ", DrainErrors()));
  MTLS_ASSIGN_OR_RETURN(const openssl_dtls::VersionRange versions, openssl_dtls::Versions(config_));
  SSL_CTX_set_min_proto_version(ctx_.get(), versions.min);
  SSL_CTX_set_max_proto_version(ctx_.get(), versions.max);
  MTLS_RETURN_IF_ERROR(openssl_dtls::ConfigureContext(ctx_.get(), config_));
#if defined(SSL_MODE_NO_AUTO_CHAIN)
  // Send exactly the configured chain; OpenSSL would otherwise append the root (more bytes/CPU).
  SSL_CTX_set_mode(ctx_.get(), SSL_MODE_NO_AUTO_CHAIN);
#endif
  // With an external PSK the trust store stays empty and peer verification on: a peer that
  // ignored the PSK and fell back to certificates would not verify.
  MTLS_RETURN_IF_ERROR(ConfigureTrust());
  MTLS_RETURN_IF_ERROR(ConfigureCredentials());
  MTLS_RETURN_IF_ERROR(ConfigureAlgorithms());
  MTLS_RETURN_IF_ERROR(openssl_cert_compression::Configure(ctx_.get(), config_));
  if (config_.psk) {
    MTLS_RETURN_IF_ERROR(
        openssl_psk::Configure(ctx_.get(), *config_.psk, config_.role, config_.max_version));
  }
  if (config_.raw_public_keys) {
    MTLS_RETURN_IF_ERROR(trusted_raw_keys_.Configure(ctx_.get(), *config_.raw_public_keys));
  }
  if (config_.srp) {
    MTLS_RETURN_IF_ERROR(
        openssl_srp::Configure(ctx_.get(), *config_.srp, config_.role, srp_account_));
  }
  openssl_resumption::Configure(ctx_.get(), config_.role, config_.resumption, OnNewClientSession);
  return absl::OkStatus();
}

absl::Status OpensslContext::ConfigureTrust() {
  X509_STORE* store = SSL_CTX_get_cert_store(ctx_.get());
  for (size_t i = 0; i < config_.trust_anchors_der.size(); ++i) {
    X509Ptr anchor = ParseCertificate(config_.trust_anchors_der[i]);
    if (!anchor) {
      DrainErrors();
      return BadInput(absl::StrCat("trust anchor ", i + 1, ": not a valid X.509 certificate"));
    }
    X509_STORE_add_cert(store, anchor.get());
  }
  const bool is_server = config_.role == Role::kServer;
  int verify_mode = SSL_VERIFY_PEER;
  if (is_server) {
    verify_mode = config_.client_auth == ClientAuth::kRequired
                      ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                      : SSL_VERIFY_NONE;
  }
  SSL_CTX_set_verify(ctx_.get(), verify_mode, nullptr);

  ApplyPeerChecks(SSL_CTX_get0_param(ctx_.get()), is_server ? Role::kClient : Role::kServer,
                  config_.max_chain_depth, config_.expected_peer_name,
                  config_.seams.fixed_unix_time);
  return absl::OkStatus();
}

absl::Status OpensslContext::ConfigureCredentials() {
  if (!config_.credentials) return absl::OkStatus();
  const Credentials& credentials = *config_.credentials;
  X509Ptr leaf;
  for (size_t i = 0; i < credentials.chain_der.size(); ++i) {
    X509Ptr certificate = ParseCertificate(credentials.chain_der[i]);
    if (!certificate) {
      DrainErrors();
      return BadInput(absl::StrCat("certificate chain: certificate ", i + 1,
                                   " is not a valid X.509 certificate"));
    }
    if (i == 0) {
      SSL_CTX_use_certificate(ctx_.get(), certificate.get());
      leaf = std::move(certificate);
    } else {
      SSL_CTX_add1_chain_cert(ctx_.get(), certificate.get());
    }
  }
  const auto* cursor = reinterpret_cast<const uint8_t*>(credentials.key_der.data());
  EvpPkeyPtr key(
      d2i_AutoPrivateKey(nullptr, &cursor, static_cast<long>(credentials.key_der.size())));
  if (!key) {
    DrainErrors();
    return BadInput("private key: not a valid private key");
  }
  if (X509_check_private_key(leaf.get(), key.get()) != 1) {
    DrainErrors();
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorClass::kKeyMismatch,
                     "private key does not match the leaf certificate");
  }
  if (SSL_CTX_use_PrivateKey(ctx_.get(), key.get()) != 1) {
    return Unsupported(absl::StrCat("private key not usable: ", DrainErrors()));
  }
  return absl::OkStatus();
}

absl::Status OpensslContext::ConfigureAlgorithms() {
  if (!config_.groups.empty()) {
    std::vector<std::string> names;
    for (Group group : config_.groups) names.emplace_back(GroupName(group));
    const std::string list = absl::StrJoin(names, ":");
    if (SSL_CTX_set1_curves_list(ctx_.get(), list.c_str()) != 1) {
      DrainErrors();
      return Unsupported(absl::StrCat("groups not supported: ", list));
    }
  }
#if defined(OPENSSL_IS_BORINGSSL)
  // BoringSSL takes code points, and does not accept Ed25519 signatures unless asked to.
  std::vector<uint16_t> prefs = config_.signature_algorithms;
  if (prefs.empty()) {
    prefs = {sigalg::kEcdsaSecp256r1Sha256,
             sigalg::kRsaPssRsaeSha256,
             sigalg::kRsaPkcs1Sha256,
             sigalg::kEcdsaSecp384r1Sha384,
             sigalg::kRsaPssRsaeSha384,
             sigalg::kRsaPkcs1Sha384,
             sigalg::kEd25519};
  }
  if (SSL_CTX_set_verify_algorithm_prefs(ctx_.get(), prefs.data(), prefs.size()) != 1 ||
      (!config_.signature_algorithms.empty() &&
       SSL_CTX_set_signing_algorithm_prefs(ctx_.get(), prefs.data(), prefs.size()) != 1)) {
    DrainErrors();
    return Unsupported("signature algorithm list not supported");
  }
#else
  if (!config_.signature_algorithms.empty()) {
    std::vector<std::string> names;
    for (uint16_t code_point : config_.signature_algorithms) {
      names.push_back(SignatureAlgorithmName(code_point));
    }
    const std::string list = absl::StrJoin(names, ":");
    if (SSL_CTX_set1_sigalgs_list(ctx_.get(), list.c_str()) != 1 ||
        SSL_CTX_set1_client_sigalgs_list(ctx_.get(), list.c_str()) != 1) {
      DrainErrors();
      return Unsupported(absl::StrCat("signature algorithms not supported: ", list));
    }
  }
#endif
  return absl::OkStatus();
}

int OpensslContext::OnNewClientSession(SSL* ssl, SSL_SESSION* session) {
  auto* owner = static_cast<OpensslSession*>(SSL_get_ex_data(ssl, SessionOwnerIndex()));
  OpensslContext* context = owner->context();
  std::lock_guard<std::mutex> lock(context->resumable_mutex_);
  context->resumable_.reset(session);
  return 1;  // we took the reference
}

std::optional<std::string> OpensslSession::SrpRejection(
    const std::vector<unsigned long>& errors) const {
  const EndpointConfig& config = context_->config();
  if (!config.srp) return std::nullopt;
  return openssl_srp::Rejection(ssl_.get(), *config.srp, config.role, errors);
}

HandshakeResult OpensslSession::Result() const {
  HandshakeResult result = ResultOfSession(failure_, done_);
  SSL* ssl = ssl_.get();
  if (!done_) return result;
  result.version = SSL_version(ssl) == TLS1_3_VERSION ? TlsVersion::kTls13 : TlsVersion::kTls12;
  result.group = NegotiatedGroup(ssl);
  result.peer_signature_algorithm = PeerSignatureAlgorithm(ssl);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
    result.cipher = SSL_CIPHER_standard_name(cipher);
  }
  result.resumed = SSL_session_reused(ssl) == 1;
  result.peer_certificate_compression = openssl_cert_compression::PeerAlgorithm(ssl);
  if (psk_.psk != nullptr) {
    result.resumed = false;  // an external PSK handshake is a full one
    result.peer_verified = openssl_psk::Used(ssl);
    // A server names the identity its PSK callback received and accepted; a client the one it
    // offered (the conformance judge checks both against the wire).
    const bool server = context_->config().role == Role::kServer;
    if (result.peer_verified)
      result.psk_identity = server ? psk_.offered_identity : psk_.psk->identity;
    return result;
  }
  if (context_->config().srp) {
    result.peer_verified = openssl_srp::Used(ssl);
    if (result.peer_verified) result.srp_username = openssl_srp::Username(ssl);
    return result;
  }
  if (context_->config().raw_public_keys) {
    result.peer_raw_public_key = openssl_rpk::PeerKey(ssl);
    result.peer_verified =
        !result.peer_raw_public_key.empty() && SSL_get_verify_result(ssl) == X509_V_OK;
    return result;
  }
  if (X509Ptr peer = PeerCertificate(ssl)) {
    result.peer = IdentityOf(peer.get());
    result.peer_verified = SSL_get_verify_result(ssl) == X509_V_OK;
  }
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Context>> CreateContext(const EndpointConfig& config) {
  return OpensslContext::Create(config);
}

void ReleaseThreadState() {
#if !defined(OPENSSL_IS_BORINGSSL)  // BoringSSL frees its thread state by itself (thread-exit keys)
  OPENSSL_thread_stop();
#endif
}

}  // namespace mtls
