// Backend adapter for wolfSSL, on its native API (wolfSSL_*), not its OpenSSL compatibility layer.
// DTLS specifics (method, datagram I/O, timers) are in wolfssl_dtls.
#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/dh.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "mtls/backend.h"
#include "mtls/pki.h"
#include "mtls/status.h"
#include "mtls/x509_identity.h"
#include "wolfssl_chain_policy.h"
#include "wolfssl_dtls.h"
#include "wolfssl_keys.h"
#include "wolfssl_psk.h"
#include "wolfssl_resumption.h"
#include "wolfssl_seams.h"
#include "wolfssl_sigalgs.h"
#include "wolfssl_x509.h"

namespace mtls {
namespace {

using wolfssl_seams::SeamScope;
using wolfssl_x509::ClassifyError;
using wolfssl_x509::ErrorText;

std::optional<Group> GroupNamed(const char* name) {
  if (name == nullptr) return std::nullopt;
  const absl::string_view text(name);
  if (text == "X25519") return Group::kX25519;
  if (text == "SECP256R1") return Group::kP256;
  if (text == "SECP384R1") return Group::kP384;
  if (text == "KYBER_LEVEL3") return Group::kKyber768;
  if (text == "P384_KYBER_LEVEL3") return Group::kP384Kyber768;
  return std::nullopt;
}

// wolfSSL's I/O callbacks over an mtls::Transport.
int Receive(WOLFSSL*, char* buffer, int size, void* context) {
  auto read = static_cast<Transport*>(context)->Read(
      absl::MakeSpan(reinterpret_cast<uint8_t*>(buffer), static_cast<size_t>(size)));
  if (!read.ok()) return WOLFSSL_CBIO_ERR_CONN_CLOSE;
  if (*read == 0) return WOLFSSL_CBIO_ERR_WANT_READ;
  return static_cast<int>(*read);
}

int Send(WOLFSSL*, char* data, int size, void* context) {
  auto written = static_cast<Transport*>(context)->Write(
      absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(size)));
  if (!written.ok()) return WOLFSSL_CBIO_ERR_CONN_CLOSE;
  if (*written == 0) return WOLFSSL_CBIO_ERR_WANT_WRITE;
  return static_cast<int>(*written);
}

class WolfsslContext;

class WolfsslSession : public Session {
 public:
  WolfsslSession(WOLFSSL* ssl, WolfsslContext* context);
  ~WolfsslSession() override { wolfSSL_free(ssl_); }

  absl::StatusOr<bool> Handshake() override {
    if (!failure_.ok()) return failure_;
    if (done_) return true;
    const SeamScope scope = Seams();
    const int rc = wolfSSL_negotiate(ssl_);
    if (rc == WOLFSSL_SUCCESS) {
      done_ = true;
      Completed();
      return true;
    }
    const int error = wolfSSL_get_error(ssl_, rc);
    if (error == WOLFSSL_ERROR_WANT_READ || error == WOLFSSL_ERROR_WANT_WRITE) return false;
    return Fail(error);
  }

  absl::Status ProcessPostHandshake() override {
    if (!failure_.ok()) return failure_;
    const SeamScope scope = Seams();
    uint8_t byte;
    const int rc = wolfSSL_read(ssl_, &byte, 1);
    if (rc > 0) return absl::OkStatus();
    const int error = wolfSSL_get_error(ssl_, rc);
    if (error == WOLFSSL_ERROR_WANT_READ || error == WOLFSSL_ERROR_WANT_WRITE)
      return absl::OkStatus();
    return Fail(error);
  }

  absl::StatusOr<size_t> WriteApplicationData(absl::Span<const uint8_t> data) override {
    const SeamScope scope = Seams();
    const int rc = wolfSSL_write(ssl_, data.data(), static_cast<int>(data.size()));
    if (rc > 0) return static_cast<size_t>(rc);
    const int error = wolfSSL_get_error(ssl_, rc);
    if (error == WOLFSSL_ERROR_WANT_READ || error == WOLFSSL_ERROR_WANT_WRITE) return 0;
    return Fail(error);
  }

  absl::StatusOr<size_t> ReadApplicationData(absl::Span<uint8_t> buffer) override {
    const SeamScope scope = Seams();
    const int rc = wolfSSL_read(ssl_, buffer.data(), static_cast<int>(buffer.size()));
    if (rc > 0) return static_cast<size_t>(rc);
    const int error = wolfSSL_get_error(ssl_, rc);
    if (error == WOLFSSL_ERROR_WANT_READ || error == WOLFSSL_ERROR_WANT_WRITE) return 0;
    if (error == WOLFSSL_ERROR_ZERO_RETURN) {
      return MakeError(absl::StatusCode::kUnavailable, ErrorClass::kNone, "peer closed");
    }
    return Fail(error);
  }

  std::optional<int64_t> RetransmissionTimeoutUs() override {
    if (dtls_ == nullptr || !failure_.ok()) return std::nullopt;
    if (done_ && !dtls_->TimerRunsAfterHandshake()) return std::nullopt;
    return dtls_->TimeoutUs();
  }

  absl::Status OnRetransmissionTimeout() override {
    if (!failure_.ok()) return failure_;
    if (dtls_ == nullptr) return absl::OkStatus();
    {
      const SeamScope scope = Seams();  // a resent flight may be encrypted anew
      if (absl::Status handled = dtls_->HandleTimeout(); !handled.ok()) {
        failure_ = handled;
        return failure_;
      }
    }
    if (done_) return absl::OkStatus();
    return Handshake().status();  // the handshake goes on with whatever arrived meanwhile
  }

  void Close() override;
  HandshakeResult Result() const override;

  WolfsslContext* context() const { return context_; }
  void UseDatagrams(std::unique_ptr<wolfssl_dtls::DatagramIo> io) { dtls_ = std::move(io); }
  // From the raw-public-key check: why the peer's key was refused, or which key was accepted.
  void NoteRawKeyRejected(std::string why) { raw_key_rejection_ = std::move(why); }
  void NoteRawKeyVerified(std::string key) { verified_raw_key_ = std::move(key); }

 private:
  // The context's seams, answered on this thread while the library runs (wolfssl_seams.h).
  SeamScope Seams() const;
  // What the library reports once the handshake completed (kept: it frees its arrays).
  void Completed();

  absl::Status Fail(int error) {
    if (dtls_ != nullptr) {
      if (std::optional<absl::Status> datagram_failure = dtls_->Failure(error)) {
        failure_ = *std::move(datagram_failure);
        return failure_;
      }
    }
    if (!raw_key_rejection_.empty()) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kUntrustedIssuer,
                           absl::StrCat(raw_key_rejection_, " (", ErrorText(error), ")"));
      return failure_;
    }
    std::optional<std::string> rejection;
    if (const std::optional<ExternalPsk>& psk = PskConfig()) {
      rejection = wolfssl_psk::Rejection(ssl_, *psk, error);
    }
    if (rejection) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kPskRejected,
                           absl::StrCat(*rejection, " (", ErrorText(error), ")"));
      return failure_;
    }
    const ErrorClass error_class = ClassifyError(error);
    const std::string text = absl::StrCat(ErrorText(error), " (wolfSSL error ", error,
                                          ", verify result ", wolfSSL_get_verify_result(ssl_), ")");
    failure_ = MakeError(absl::StatusCode::kAborted, error_class,
                         error_class == ErrorClass::kHandshakeFailure
                             ? text
                             : absl::StrCat("peer certificate rejected: ", text));
    return failure_;
  }

  WOLFSSL* ssl_;
  WolfsslContext* context_;
  bool done_ = false;
  const std::optional<ExternalPsk>& PskConfig() const;

  absl::Status failure_;
  wolfssl_psk::PskUse psk_use_;
  std::string raw_key_rejection_;
  std::string verified_raw_key_;
  std::unique_ptr<wolfssl_dtls::DatagramIo> dtls_;  // DTLS only
};

class WolfsslContext : public Context {
 public:
  ~WolfsslContext() override {
    if (resumable_ != nullptr) wolfSSL_SESSION_free(resumable_);
    if (ctx_ != nullptr) wolfSSL_CTX_free(ctx_);
  }

  static absl::StatusOr<std::unique_ptr<Context>> Create(const EndpointConfig& config) {
    MTLS_RETURN_IF_ERROR(Validate(config));
    if (config.seams.random) MTLS_RETURN_IF_ERROR(RequireCapability("seam:random"));
    if (config.seams.fixed_unix_time) MTLS_RETURN_IF_ERROR(RequireCapability("seam:fixed-clock"));
    wolfssl_x509::EnsureLibraryInitialised();
    EndpointConfig library_config = config;
    if (config.protocol == Protocol::kDtls) {
      // Capped at the newest DTLS version this build has, as the library will negotiate.
      MTLS_ASSIGN_OR_RETURN(library_config.max_version, wolfssl_dtls::NewestVersion(config));
    }
    auto context = std::unique_ptr<WolfsslContext>(new WolfsslContext(library_config));
    MTLS_RETURN_IF_ERROR(context->Configure());
    return std::unique_ptr<Context>(std::move(context));
  }

  absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) override {
    WOLFSSL* ssl = nullptr;
    {
      const SeamScope scope(config_.seams);  // wolfSSL_new seeds the connection's generator
      ssl = wolfSSL_new(ctx_);
    }
    if (ssl == nullptr) {
      return absl::InternalError(
          config_.seams.random ? "wolfSSL_new failed (its generator refused the random seam's "
                                 "seed: wolfSSL tests seed entropy)"
                               : "wolfSSL_new failed");
    }
    auto session = std::make_unique<WolfsslSession>(ssl, this);
    if (config_.psk) wolfssl_psk::Attach(ssl, *config_.psk);
    wolfSSL_SetCertCbCtx(ssl, session.get());  // the verify callback's store->userCtx
    wolfSSL_SetIOReadCtx(ssl, &transport);
    wolfSSL_SetIOWriteCtx(ssl, &transport);
    wolfssl_chain::ConfigureSession(ssl, config_.expected_peer_name);
    if (config_.role == Role::kClient) {
      const std::string& name = config_.expected_peer_name;
      if (!name.empty()) {
        wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, name.data(),
                       static_cast<unsigned short>(name.size()));
      }
      // wolfSSL's first key share is P-256 unless told: offer the preferred group's.
      if (!config_.groups.empty() && config_.max_version == TlsVersion::kTls13) {
        wolfSSL_UseKeyShare(ssl, GroupCodePoint(config_.groups.front()));
      }
      std::lock_guard<std::mutex> lock(resumable_mutex_);
      if (resumable_ != nullptr) wolfSSL_set_session(ssl, resumable_);
    }
    if (config_.protocol == Protocol::kDtls) {
      const SeamScope scope(config_.seams);  // a DTLS 1.3 server draws its cookie secret
      MTLS_ASSIGN_OR_RETURN(auto io, wolfssl_dtls::DatagramIo::Attach(ssl, transport, config_));
      session->UseDatagrams(std::move(io));
    }
    return std::unique_ptr<Session>(std::move(session));
  }

  const EndpointConfig& config() const override { return config_; }

  void KeepResumable(WOLFSSL_SESSION* session) {
    std::lock_guard<std::mutex> lock(resumable_mutex_);
    if (resumable_ != nullptr) wolfSSL_SESSION_free(resumable_);
    resumable_ = session;
  }

 private:
  explicit WolfsslContext(const EndpointConfig& config) : config_(config) {}

  WOLFSSL_METHOD* Method() const {
    const bool client = config_.role == Role::kClient;
    if (config_.protocol == Protocol::kDtls) {
      return wolfssl_dtls::Method(config_.role, config_.min_version, config_.max_version);
    }
    if (config_.max_version == TlsVersion::kTls12) {
      return client ? wolfTLSv1_2_client_method() : wolfTLSv1_2_server_method();
    }
    if (config_.min_version == TlsVersion::kTls13) {
      return client ? wolfTLSv1_3_client_method() : wolfTLSv1_3_server_method();
    }
    return client ? wolfSSLv23_client_method() : wolfSSLv23_server_method();
  }

  absl::Status Configure() {
    ctx_ = wolfSSL_CTX_new(Method());
    if (ctx_ == nullptr) return absl::InternalError("wolfSSL_CTX_new failed");
    if (config_.protocol == Protocol::kDtls) {
      MTLS_RETURN_IF_ERROR(wolfssl_dtls::ConfigureContext(ctx_, config_));
    } else if (config_.min_version == TlsVersion::kTls12) {
      wolfSSL_CTX_SetMinVersion(ctx_, WOLFSSL_TLSV1_2);
    }
    wolfSSL_CTX_SetIORecv(ctx_, Receive);
    wolfSSL_CTX_SetIOSend(ctx_, Send);
    // The peer's chain: the policy VerifyPeerChain applies too (wolfssl_chain_policy.h).
    const bool is_server = config_.role == Role::kServer;
    wolfssl_chain::Policy policy;
    policy.own_role = config_.role;
    policy.verify_peer = !is_server || config_.client_auth == ClientAuth::kRequired;
    policy.trust_anchors_der = &config_.trust_anchors_der;
    policy.max_chain_depth = config_.max_chain_depth;
    MTLS_RETURN_IF_ERROR(wolfssl_chain::ConfigureContext(ctx_, policy));
    if (is_server) MTLS_RETURN_IF_ERROR(LoadDhParameters());
    if (config_.raw_public_keys) {
      MTLS_RETURN_IF_ERROR(
          ConfigureRawPublicKeys(WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT));
    } else if (config_.credentials) {
      MTLS_RETURN_IF_ERROR(LoadOwnCredentials(*config_.credentials));
    }
    MTLS_RETURN_IF_ERROR(ConfigureGroups());
    MTLS_RETURN_IF_ERROR(wolfssl_sigalgs::Configure(ctx_, config_.signature_algorithms));
    MTLS_RETURN_IF_ERROR(wolfssl_resumption::Configure(ctx_, config_, &session_store_));
    if (config_.psk) MTLS_RETURN_IF_ERROR(wolfssl_psk::Configure(ctx_, config_));
    return absl::OkStatus();
  }

  // wolfSSL 5.7 parses a raw public key but authenticates nothing about it (it has no DANE for
  // raw keys): the verify callback, called on success too (WOLFSSL_ALWAYS_VERIFY_CB), decides.
  absl::Status ConfigureRawPublicKeys([[maybe_unused]] int verify_mode) {
    MTLS_RETURN_IF_ERROR(RequireCapability("rpk"));
#if defined(HAVE_RPK) && defined(WOLFSSL_ALWAYS_VERIFY_CB)
    static constexpr char kRawKeysOnly[] = {WOLFSSL_CERT_TYPE_RPK};
    if (wolfSSL_CTX_set_client_cert_type(ctx_, kRawKeysOnly, 1) != WOLFSSL_SUCCESS ||
        wolfSSL_CTX_set_server_cert_type(ctx_, kRawKeysOnly, 1) != WOLFSSL_SUCCESS) {
      return absl::InternalError("wolfSSL: certificate type extension not accepted");
    }
    wolfSSL_CTX_set_verify(ctx_, verify_mode, CheckPeerRawKey);
    const Credentials& own = *config_.credentials;
    auto spki = CertificateSpki(own.chain_der.front());
    if (!spki.ok()) return BadInput("certificate chain: leaf is not a valid X.509 certificate");
    if (wolfSSL_CTX_use_certificate_buffer(
            ctx_, reinterpret_cast<const unsigned char*>(spki->data()),
            static_cast<long>(spki->size()), WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS ||
        wolfSSL_CTX_use_PrivateKey_buffer(
            ctx_, reinterpret_cast<const unsigned char*>(own.key_der.data()),
            static_cast<long>(own.key_der.size()), WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
      return BadInput("raw public key or private key not accepted by wolfSSL");
    }
    return absl::OkStatus();
#else
    return Unsupported("rpk: this wolfSSL build has no HAVE_RPK / WOLFSSL_ALWAYS_VERIFY_CB");
#endif
  }

  static int CheckPeerRawKey(int, WOLFSSL_X509_STORE_CTX* store) {
    auto* owner = static_cast<WolfsslSession*>(store->userCtx);
    if (store->totalCerts < 1 || store->certs == nullptr) {
      owner->NoteRawKeyRejected("peer sent no raw public key");
      return 0;
    }
    const std::string key(reinterpret_cast<const char*>(store->certs[0].buffer),
                          store->certs[0].length);
    const auto& trusted = owner->context()->config_.raw_public_keys->trusted_peer_keys_der;
    if (std::find(trusted.begin(), trusted.end(), key) == trusted.end()) {
      owner->NoteRawKeyRejected("peer raw public key is not a trusted one");
      return 0;
    }
    owner->NoteRawKeyVerified(key);
    return 1;
  }

  absl::Status LoadOwnCredentials(const Credentials& credentials) {
    for (size_t i = 0; i < credentials.chain_der.size(); ++i) {
      if (!IdentityFromCertificate(credentials.chain_der[i]).ok()) {
        return BadInput(absl::StrCat("certificate chain: certificate ", i + 1,
                                     " is not a valid X.509 certificate"));
      }
    }
    // The chain loader reads PEM; the core holds DER.
    std::string pem;
    for (const std::string& der : credentials.chain_der) pem += PemEncode("CERTIFICATE", der);
    if (wolfSSL_CTX_use_certificate_chain_buffer(
            ctx_, reinterpret_cast<const unsigned char*>(pem.data()),
            static_cast<long>(pem.size())) != WOLFSSL_SUCCESS) {
      return BadInput("certificate chain: not accepted by wolfSSL");
    }
    const std::string& key = credentials.key_der;
    if (wolfSSL_CTX_use_PrivateKey_buffer(ctx_, reinterpret_cast<const unsigned char*>(key.data()),
                                          static_cast<long>(key.size()),
                                          WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
      return BadInput("private key: not a valid private key");
    }
    // wolfSSL_CTX_check_private_key (5.5.4) accepts an ECDSA key that is not the certificate's,
    // so compare the public key derived from the private key with the certificate's as well.
    std::unique_ptr<wolfssl_keys::KeyPair> pair =
        wolfssl_keys::KeyPair::Decode(credentials.key_der);
    const std::optional<std::string> derived = pair ? pair->PublicKeyBits() : std::nullopt;
    const absl::StatusOr<std::string> certified =
        CertificatePublicKeyBits(credentials.chain_der[0]);
    if (wolfSSL_CTX_check_private_key(ctx_) != WOLFSSL_SUCCESS ||
        (derived && certified.ok() && *derived != *certified)) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorClass::kKeyMismatch,
                       "private key does not match the leaf certificate");
    }
    return absl::OkStatus();
  }

  // The DHE suites wolfSSL enables by default need the server's group: RFC 7919's ffdhe2048,
  // wolfCrypt's own copy of it.
  absl::Status LoadDhParameters() {
#if !defined(NO_DH) && defined(HAVE_FFDHE_2048)
    const DhParams* ffdhe2048 = wc_Dh_ffdhe2048_Get();
    if (ffdhe2048 == nullptr ||
        wolfSSL_CTX_SetTmpDH(ctx_, ffdhe2048->p, static_cast<int>(ffdhe2048->p_len), ffdhe2048->g,
                             static_cast<int>(ffdhe2048->g_len)) != WOLFSSL_SUCCESS) {
      return absl::InternalError("wolfSSL_CTX_SetTmpDH(ffdhe2048) failed");
    }
#endif
    return absl::OkStatus();
  }

  absl::Status ConfigureGroups() {
    if (config_.groups.empty()) return absl::OkStatus();
    std::vector<int> groups;
    for (Group group : config_.groups) {
      groups.push_back(GroupCodePoint(group));  // wolfSSL's group ids are the IANA ones
      if (config_.min_version == TlsVersion::kTls12 &&
          wolfSSL_CTX_UseSupportedCurve(ctx_, GroupCodePoint(group)) != WOLFSSL_SUCCESS) {
        return Unsupported(absl::StrCat("group ", GroupName(group), " not supported"));
      }
    }
    // TLS 1.3 group preference (wolfSSL_CTX_set_groups applies to TLS 1.3 only).
    if (config_.max_version == TlsVersion::kTls13 &&
        wolfSSL_CTX_set_groups(ctx_, groups.data(), static_cast<int>(groups.size())) !=
            WOLFSSL_SUCCESS) {
      return Unsupported("groups not supported for TLS 1.3");
    }
    return absl::OkStatus();
  }

  EndpointConfig config_;
  wolfssl_resumption::SessionStore session_store_;  // before ctx_: freed after it
  WOLFSSL_CTX* ctx_ = nullptr;
  std::mutex resumable_mutex_;  // a client context may serve several threads
  WOLFSSL_SESSION* resumable_ = nullptr;
};

WolfsslSession::WolfsslSession(WOLFSSL* ssl, WolfsslContext* context)
    : ssl_(ssl), context_(context) {}

SeamScope WolfsslSession::Seams() const {
  return SeamScope(context_->config().seams, dtls_ != nullptr ? &dtls_->transport() : nullptr);
}

const std::optional<ExternalPsk>& WolfsslSession::PskConfig() const {
  return context_->config().psk;
}

void WolfsslSession::Completed() {
  if (PskConfig()) psk_use_ = wolfssl_psk::Evidence(ssl_);
}

void WolfsslSession::Close() {
  if (!done_ || !failure_.ok()) return;
  if (context_->config().role == Role::kClient &&
      context_->config().resumption != Resumption::kOff) {
    if (WOLFSSL_SESSION* session = wolfSSL_get1_session(ssl_)) context_->KeepResumable(session);
  }
  wolfSSL_shutdown(ssl_);
}

HandshakeResult WolfsslSession::Result() const {
  HandshakeResult result = ResultOfSession(failure_, done_);
  if (!done_) return result;
  // DTLS 1.2 and 1.3 report as kTls12 and kTls13 (the protocol is the endpoint's).
  result.version =
      wolfssl_dtls::NegotiatedVersion13(ssl_) ? TlsVersion::kTls13 : TlsVersion::kTls12;
  const int suite = wolfSSL_get_current_cipher_suite(ssl_);
  if (const char* name = wolfSSL_get_cipher_name_iana_from_suite(
          static_cast<unsigned char>(suite >> 8), static_cast<unsigned char>(suite & 0xff))) {
    result.cipher = name;
  }
  result.resumed = wolfSSL_session_reused(ssl_) == 1;
  if (context_->config().protocol == Protocol::kDtls) {
    result.receive_connection_id = wolfssl_dtls::ReceiveConnectionId(ssl_);
  }
  // wolfSSL names the curve of the last (EC)DH it computed (none in TLS 1.3 psk_ke). A TLS 1.2
  // curve may be named from the hello's supported groups although no key exchange followed: there
  // it counts only for a full handshake with an (EC)DHE suite.
  const bool key_exchange = result.version == TlsVersion::kTls13 ||
                            (!result.resumed && absl::StrContains(result.cipher, "ECDHE_"));
  if (key_exchange) result.group = GroupNamed(wolfSSL_get_curve_name(ssl_));
  if (psk_use_.used) {
    // The library completed the handshake on the external PSK: both sides proved the key.
    result.peer_verified = true;
    result.psk_identity = psk_use_.identity;
    return result;
  }
  if (context_->config().raw_public_keys) {
    result.peer_raw_public_key = verified_raw_key_;
    result.peer_verified = !verified_raw_key_.empty();
    return result;
  }
  // The peer's chain through the native calls: wolfSSL_get_peer_certificate misses Ed25519 peers.
  if (WOLFSSL_X509_CHAIN* chain = wolfSSL_get_peer_chain(ssl_);
      chain != nullptr && wolfSSL_get_chain_count(chain) > 0) {
    const unsigned char* der = wolfSSL_get_chain_cert(chain, 0);
    const int length = wolfSSL_get_chain_length(chain, 0);
    if (der != nullptr && length > 0) {
      const absl::string_view leaf(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
      auto identity = IdentityFromCertificate(leaf);
      if (identity.ok()) result.peer = *std::move(identity);
      if (!result.resumed) {
        result.peer_signature_algorithm = wolfssl_sigalgs::PeerSignatureAlgorithm(ssl_, leaf);
      }
    }
    // Verification ran in the handshake (WOLFSSL_VERIFY_PEER): a failure would have aborted it.
    result.peer_verified = result.peer.has_value() && wolfSSL_get_verify_result(ssl_) == 0;
  }
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Context>> CreateContext(const EndpointConfig& config) {
  return WolfsslContext::Create(config);
}

void ReleaseThreadState() {
#if defined(FP_ECC)
  wc_ecc_fp_free();  // the per-thread fixed-point cache: freed only by this call
#endif
}

}  // namespace mtls
