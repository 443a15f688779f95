// Backend adapter for Mbed TLS: 2.28 (Debian's libmbedtls-dev: TLS 1.2 only) and 3.6 (built by
// scripts/deps: TLS 1.3 too). Where their APIs differ the code says so with MBEDTLS_VERSION_MAJOR.
// Neither has Ed25519. Concerns of their own: mbedtls_dtls.cc (DTLS 1.2), mbedtls_psk.cc,
// mbedtls_resumption.cc, mbedtls_signature_algorithms.cc, mbedtls_x509.cc (the peer policy, shared
// with VerifyPeerChain).
#include <mbedtls/version.h>
#if MBEDTLS_VERSION_MAJOR >= 3
#include <psa/crypto.h>
#endif
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "mtls/backend.h"
#include "mtls/determinism.h"
#include "mbedtls_determinism.h"
#include "mtls/status.h"
#include "mtls/x509_identity.h"
#include "mbedtls_dtls.h"
#include "mbedtls_private.h"
#include "mbedtls_psk.h"
#include "mbedtls_resumption.h"
#include "mbedtls_signature_algorithms.h"
#include "mbedtls_x509.h"

namespace mtls {
namespace {

using mbedtls_adapter::AcceptPsk;
using mbedtls_adapter::ConfigurePsk;
using mbedtls_adapter::ConfigureSignatureAlgorithms;
using mbedtls_adapter::PskRejection;
using mbedtls_adapter::RandomFunction;
using mbedtls_adapter::ResumptionStore;
using mbedtls_adapter::SignatureAlgorithmList;
using mbedtls_adapter::Tls12PskUseOf;
using mbedtls_x509::ClassifyVerifyFlags;

std::string ErrorText(int code) {
  char text[256];
  mbedtls_strerror(code, text, sizeof(text));
  return text;
}

#if MBEDTLS_VERSION_MAJOR >= 3
using GroupId = uint16_t;  // 3.x configures groups by their IANA code points
constexpr GroupId kEndOfGroups = MBEDTLS_SSL_IANA_TLS_GROUP_NONE;
GroupId GroupIdOf(Group group) { return GroupCodePoint(group); }
#else
using GroupId = mbedtls_ecp_group_id;
constexpr GroupId kEndOfGroups = MBEDTLS_ECP_DP_NONE;
GroupId GroupIdOf(Group group) {
  switch (group) {
    case Group::kX25519:
      return MBEDTLS_ECP_DP_CURVE25519;
    case Group::kP256:
      return MBEDTLS_ECP_DP_SECP256R1;
    case Group::kP384:
      return MBEDTLS_ECP_DP_SECP384R1;
    case Group::kX25519MlKem768:
    case Group::kMlKem768:
    case Group::kKyber768:
    case Group::kP384Kyber768:
      break;  // no post-quantum groups in Mbed TLS (its manifest says so)
  }
  return MBEDTLS_ECP_DP_NONE;
}
#endif

int SendToTransport(void* transport, const unsigned char* data, size_t size) {
  auto written = static_cast<Transport*>(transport)->Write(absl::MakeConstSpan(data, size));
  if (!written.ok()) return MBEDTLS_ERR_NET_CONN_RESET;
  if (*written == 0) return MBEDTLS_ERR_SSL_WANT_WRITE;
  return static_cast<int>(*written);
}

int ReceiveFromTransport(void* transport, unsigned char* buffer, size_t size) {
  auto read = static_cast<Transport*>(transport)->Read(absl::MakeSpan(buffer, size));
  if (!read.ok()) return 0;  // end of stream
  if (*read == 0) return MBEDTLS_ERR_SSL_WANT_READ;
  return static_cast<int>(*read);
}

// The random source: the configured seam, or a CTR-DRBG seeded from the system.
int SeamRandom(void* seams, unsigned char* out, size_t size) {
  static_cast<const DeterminismSeams*>(seams)->random(absl::MakeSpan(out, size));
  return 0;
}

int StreamRandom(void*, unsigned char* out, size_t size) {
  DeterministicBytes(absl::MakeSpan(out, size));
  return 0;
}

// What the library's handshake state machine showed while it ran, step by step: the library
// frees its handshake parameters (and their `resume` flag) when the handshake ends, but which
// state follows which is its own decision about the handshake's shape.
struct HandshakeTrace {
  // TLS 1.2: the ServerHello was followed by ChangeCipherSpec (or, before it, a NewSessionTicket)
  // instead of certificates and key exchange: the abbreviated handshake of a resumed session.
  bool abbreviated = false;
  // TLS 1.3: EncryptedExtensions was followed by Finished, without CertificateRequest,
  // Certificate and CertificateVerify: the library accepted a PSK (external or resumption).
  bool tls13_psk = false;

  void Observe(int before, int after) {
    if (before == after) return;
    if (before == MBEDTLS_SSL_SERVER_HELLO && after == MBEDTLS_SSL_SERVER_CHANGE_CIPHER_SPEC) {
      abbreviated = true;
    }
#if MBEDTLS_VERSION_MAJOR >= 3
    if (before == MBEDTLS_SSL_ENCRYPTED_EXTENSIONS && after == MBEDTLS_SSL_SERVER_FINISHED) {
      tls13_psk = true;
    }
#endif
  }
};

constexpr int kMaxPostHandshakeReads = 16;

class MbedtlsSession : public Session {
 public:
  MbedtlsSession(const EndpointConfig& config, ResumptionStore& resumption)
      : config_(config), resumption_(resumption), dtls_(config.protocol == Protocol::kDtls) {
    mbedtls_ssl_init(&ssl_);
    policy_.max_chain_depth = config.max_chain_depth;
    policy_.unix_time = config.seams.fixed_unix_time;
    policy_.owner = this;
  }
  ~MbedtlsSession() override { mbedtls_ssl_free(&ssl_); }

  absl::Status Setup(const mbedtls_ssl_config* config, Transport& transport) {
    if (int rc = mbedtls_ssl_setup(&ssl_, config); rc != 0) {
      return absl::InternalError(absl::StrCat("mbedtls_ssl_setup: ", ErrorText(rc)));
    }
    mbedtls_ssl_set_bio(&ssl_, &transport, SendToTransport, ReceiveFromTransport, nullptr);
    // The peer policy: the same callback and parameters as VerifyPeerChain (mbedtls_x509.h).
    mbedtls_ssl_set_verify(&ssl_, mbedtls_x509::ApplyPeerPolicy, &policy_);
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_ssl_set_user_data_p(&ssl_, this);  // for the PSK callback
#endif
    if (config_.role == Role::kClient) {
      // Clients name the server they expect (3.6.3+ insists on the call even without a name).
      const std::string& name = config_.expected_peer_name;
      mbedtls_ssl_set_hostname(&ssl_, name.empty() ? nullptr : name.c_str());
      MTLS_RETURN_IF_ERROR(resumption_.Offer(&ssl_));
    }
    if (dtls_) MTLS_RETURN_IF_ERROR(channel_.Attach(&ssl_, transport, config_));  // its own bio
    return absl::OkStatus();
  }

  // The session of a PSK callback's `ssl`.
  static MbedtlsSession* Of(mbedtls_ssl_context* ssl) {
#if MBEDTLS_VERSION_MAJOR >= 3
    return static_cast<MbedtlsSession*>(mbedtls_ssl_get_user_data_p(ssl));
#else
    return static_cast<MbedtlsSession*>(static_cast<mbedtls_x509::PeerPolicy*>(ssl->p_vrfy)->owner);
#endif
  }

  absl::StatusOr<bool> Handshake() override {
    if (!failure_.ok()) return failure_;
    if (done_) return true;
    // mbedtls_ssl_handshake's loop, one step at a time, so the trace sees every state.
    while (!HandshakeOver()) {
      const int before = ssl_.MBEDTLS_PRIVATE(state);
      const int rc = mbedtls_ssl_handshake_step(&ssl_);
      trace_.Observe(before, ssl_.MBEDTLS_PRIVATE(state));
      if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) return false;
      if (rc == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED && dtls_) {
        // The server sent its cookie and keeps no state: a fresh session awaits the ClientHello
        // that echoes it, unseen by the driver.
        if (absl::Status restarted = channel_.Restart(&ssl_); !restarted.ok()) {
          failure_ = restarted;
          return failure_;
        }
        trace_ = {};
        continue;
      }
      if (rc != 0) return Fail(rc);
    }
    done_ = true;
    if (config_.role == Role::kClient && Version() == TlsVersion::kTls12) {
      resumption_.Keep(&ssl_);  // TLS 1.3 sessions come with tickets, after the handshake
    }
    return true;
  }

  absl::Status ProcessPostHandshake() override {
    if (!failure_.ok()) return failure_;
    // A TLS 1.3 NewSessionTicket takes two reads: the first queues it (WANT_READ, the handshake
    // state machine set to take it), the second processes it.
    for (int read = 0; read < kMaxPostHandshakeReads; ++read) {
      unsigned char byte;
      const int rc = mbedtls_ssl_read(&ssl_, &byte, 1);
#if MBEDTLS_VERSION_MAJOR >= 3
      if (rc == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
        resumption_.Keep(&ssl_);
        continue;
      }
      if (rc == MBEDTLS_ERR_SSL_WANT_READ && !HandshakeOver()) continue;
#endif
      if (rc >= 0 || rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) {
        return absl::OkStatus();
      }
      return Fail(rc);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<size_t> WriteApplicationData(absl::Span<const uint8_t> data) override {
    const int rc = mbedtls_ssl_write(&ssl_, data.data(), data.size());
    if (rc >= 0) return static_cast<size_t>(rc);
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) return 0;
    return Fail(rc);
  }

  absl::StatusOr<size_t> ReadApplicationData(absl::Span<uint8_t> buffer) override {
    const int rc = mbedtls_ssl_read(&ssl_, buffer.data(), buffer.size());
    if (rc > 0) return static_cast<size_t>(rc);
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) return 0;
#if MBEDTLS_VERSION_MAJOR >= 3
    if (rc == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
      resumption_.Keep(&ssl_);
      return 0;
    }
#endif
    if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
      return MakeError(absl::StatusCode::kUnavailable, ErrorClass::kNone, "peer closed");
    }
    return Fail(rc);
  }

  std::optional<int64_t> RetransmissionTimeoutUs() override {
    if (!dtls_ || done_ || !failure_.ok()) return std::nullopt;
    return channel_.RemainingUs();
  }

  absl::Status OnRetransmissionTimeout() override {
    if (!failure_.ok()) return failure_;
    if (!dtls_ || done_) return absl::OkStatus();
    // Mbed TLS acts on its expired timer when the handshake next reads: it resends its last
    // flight, or fails with MBEDTLS_ERR_SSL_TIMEOUT after its last try.
    return Handshake().status();
  }

  void Close() override {
    if (done_ && failure_.ok()) mbedtls_ssl_close_notify(&ssl_);
  }

  HandshakeResult Result() const override {
    HandshakeResult result = ResultOfSession(failure_, done_);
    if (!done_) return result;
    result.version = Version();
    // IANA names with dashes ("TLS-ECDHE-ECDSA-WITH-…"): spell them the standard way.
    result.cipher = absl::StrReplaceAll(mbedtls_ssl_get_ciphersuite(&ssl_), {{"-", "_"}});
    const bool tls13 = result.version == TlsVersion::kTls13;
    // The library's query takes a mutable context; it only reads a completed one.
    if (config_.protocol == Protocol::kDtls) {
      result.receive_connection_id =
          mbedtls_dtls::ReceiveConnectionId(const_cast<mbedtls_ssl_context*>(&ssl_));
    }
    if (config_.psk) {
      // Proven by the library: the suite it negotiated is a PSK one (TLS 1.2), or it took the
      // PSK path through the handshake (TLS 1.3); the identity is the one the server's callback
      // accepted, or the client's only one.
      const bool used = tls13 ? trace_.tls13_psk : Tls12PskUseOf(&ssl_).psk;
      if (used) {
        result.peer_verified = true;
        result.psk_identity =
            config_.role == Role::kServer ? accepted_psk_identity_ : config_.psk->identity;
      }
      return result;
    }
    // A context without an external PSK accepts a PSK only as a resumption ticket.
    result.resumed = tls13 ? trace_.tls13_psk : trace_.abbreviated;
    if (const mbedtls_x509_crt* peer = mbedtls_ssl_get_peer_cert(&ssl_)) {
      auto identity = IdentityFromCertificate(
          absl::string_view(reinterpret_cast<const char*>(peer->raw.p), peer->raw.len));
      if (identity.ok()) result.peer = *std::move(identity);
      // Verification ran in the handshake (authmode required): a failure would have aborted it.
      // A resumed TLS 1.2 session carries the result of the handshake that created it.
      result.peer_verified = mbedtls_ssl_get_verify_result(&ssl_) == 0;
    } else if (result.resumed && tls13 &&
               (config_.role == Role::kClient || config_.client_auth == ClientAuth::kRequired)) {
      // Mbed TLS 3.6's TLS 1.3 tickets carry no peer certificate (ssl_tls13_session_save), so a
      // resumed server has no client identity; the library reports the ticket's PSK handshake as
      // verified (verify result 0), and issued the ticket only after this context's full
      // handshake had verified the client.
      result.peer_verified = mbedtls_ssl_get_verify_result(&ssl_) == 0;
    }
    return result;
  }

  // Server side, from the PSK callback: the identity the client offered, and whether it was
  // accepted.
  void NotePsk(std::string identity, bool accepted) {
    offered_psk_identity_ = identity;
    if (accepted) accepted_psk_identity_ = std::move(identity);
  }

 private:
  // As mbedtls_ssl_handshake's own loop decides: 3.x's mbedtls_ssl_is_handshake_over() is true
  // already while a TLS 1.3 server still has its NewSessionTicket states to run.
  bool HandshakeOver() const { return ssl_.MBEDTLS_PRIVATE(state) == MBEDTLS_SSL_HANDSHAKE_OVER; }

  TlsVersion Version() const {
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_ssl_get_version_number(&ssl_) == MBEDTLS_SSL_VERSION_TLS1_3 ? TlsVersion::kTls13
                                                                               : TlsVersion::kTls12;
#else
    return TlsVersion::kTls12;  // the only version 2.28 speaks
#endif
  }

  absl::Status Fail(int rc) {
    // Mbed TLS's TLS 1.2 server (mbedtls_ssl_parse_certificate, 2.28 and 3.6) fails a handshake
    // without a client certificate but sends no alert; RFC 5246 7.4.6 prescribes a fatal
    // handshake_failure. (Its TLS 1.3 server sends certificate_required itself.)
    if (rc == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE && config_.role == Role::kServer &&
        Version() == TlsVersion::kTls12) {
      mbedtls_ssl_send_alert_message(&ssl_, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
                                     MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE);
    }
    // Likewise for a TLS 1.2 CertificateVerify whose signature does not verify: the library
    // returns the public-key error without an alert; RFC 5246 7.2.2 prescribes decrypt_error.
    const bool bad_signature = rc == MBEDTLS_ERR_ECP_VERIFY_FAILED ||
                               rc == MBEDTLS_ERR_RSA_VERIFY_FAILED ||
                               rc == MBEDTLS_ERR_PK_SIG_LEN_MISMATCH;
    if (bad_signature && config_.role == Role::kServer && Version() == TlsVersion::kTls12) {
      mbedtls_ssl_send_alert_message(&ssl_, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
                                     MBEDTLS_SSL_ALERT_MSG_DECRYPT_ERROR);
    }
    const uint32_t flags = mbedtls_ssl_get_verify_result(&ssl_);
    std::optional<std::string> psk_rejection;
    if (config_.psk) psk_rejection = PskRejection(*config_.psk, rc, offered_psk_identity_);
    if (rc == MBEDTLS_ERR_SSL_TIMEOUT) {
      failure_ = MakeError(absl::StatusCode::kDeadlineExceeded, ErrorClass::kHandshakeFailure,
                           "DTLS retransmission gave up: the peer did not answer");
    } else if (psk_rejection) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kPskRejected,
                           absl::StrCat(*psk_rejection, " (", ErrorText(rc), ")"));
    } else if (policy_.chain_too_long) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kChainTooLong,
                           "peer certificate rejected: more intermediates than allowed");
    } else if (flags != 0 && flags != uint32_t(-1)) {
      // Verification failures, and the key-usage checks that report through the same flags
      // (failing the handshake with MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE).
      char text[512];
      mbedtls_x509_crt_verify_info(text, sizeof(text), "", flags);
      failure_ = MakeError(
          absl::StatusCode::kPermissionDenied, ClassifyVerifyFlags(flags),
          absl::StrCat("peer certificate rejected: ", absl::StrReplaceAll(text, {{"\n", "; "}})));
    } else if (rc == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kNoPeerCertificate,
                           "peer sent no certificate but one is required");
    } else {
      failure_ =
          MakeError(absl::StatusCode::kAborted, ErrorClass::kHandshakeFailure, ErrorText(rc));
    }
    return failure_;
  }

  mbedtls_ssl_context ssl_;
  const EndpointConfig& config_;  // the context's, which outlives its sessions
  ResumptionStore& resumption_;   // the context's too
  mbedtls_x509::PeerPolicy policy_;
  HandshakeTrace trace_;
  bool dtls_;
  mbedtls_dtls::Channel channel_;  // DTLS only
  std::string offered_psk_identity_;
  std::string accepted_psk_identity_;
  bool done_ = false;
  absl::Status failure_;
};

class MbedtlsContext : public Context {
 public:
  ~MbedtlsContext() override {
    mbedtls_ssl_config_free(&config_ssl_);
    mbedtls_x509_crt_free(&trust_);
    mbedtls_x509_crt_free(&own_chain_);
    mbedtls_pk_free(&own_key_);
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
  }

  static absl::StatusOr<std::unique_ptr<Context>> Create(const EndpointConfig& config) {
    MTLS_RETURN_IF_ERROR(Validate(config));
    MTLS_RETURN_IF_ERROR(mbedtls_dtls::CheckVersions(config));
    // Neither version has them (the manifest says why): refuse rather than use certificates.
    if (config.raw_public_keys) MTLS_RETURN_IF_ERROR(RequireCapability("rpk"));
    if (config.srp) MTLS_RETURN_IF_ERROR(RequireCapability("srp:tls1.2"));
    if (config.min_version == TlsVersion::kTls13) MTLS_RETURN_IF_ERROR(RequireCapability("tls1.3"));
#if MBEDTLS_VERSION_MAJOR >= 3
    // PSA crypto carries TLS 1.3 (and more) in 3.x: it must be up before any handshake.
    static const psa_status_t psa_ready = psa_crypto_init();
    if (psa_ready != PSA_SUCCESS) return absl::InternalError("psa_crypto_init failed");
#endif
    auto context = std::unique_ptr<MbedtlsContext>(new MbedtlsContext(config));
    MTLS_RETURN_IF_ERROR(context->Configure());
    return std::unique_ptr<Context>(std::move(context));
  }

  absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) override {
    auto session = std::make_unique<MbedtlsSession>(config_, resumption_);
    MTLS_RETURN_IF_ERROR(session->Setup(&config_ssl_, transport));
    return std::unique_ptr<Session>(std::move(session));
  }

  const EndpointConfig& config() const override { return config_; }

 private:
  explicit MbedtlsContext(const EndpointConfig& config) : config_(config) {
    mbedtls_ssl_config_init(&config_ssl_);
    mbedtls_x509_crt_init(&trust_);
    mbedtls_x509_crt_init(&own_chain_);
    mbedtls_pk_init(&own_key_);
    mbedtls_ctr_drbg_init(&drbg_);
    mbedtls_entropy_init(&entropy_);
  }

  absl::Status Configure() {
    const bool is_client = config_.role == Role::kClient;
    if (int rc = mbedtls_ssl_config_defaults(
            &config_ssl_, is_client ? MBEDTLS_SSL_IS_CLIENT : MBEDTLS_SSL_IS_SERVER,
            mbedtls_dtls::TransportOf(config_), MBEDTLS_SSL_PRESET_DEFAULT);
        rc != 0) {
      return absl::InternalError(absl::StrCat("config defaults: ", ErrorText(rc)));
    }
    // The DRBG also serves key operations while loading credentials; the seam replaces it for TLS.
    static constexpr unsigned char kPersonalisation[] = "mtls-bench";
    if (int rc = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, kPersonalisation,
                                       sizeof(kPersonalisation) - 1);
        rc != 0) {
      return absl::InternalError(absl::StrCat("random generator: ", ErrorText(rc)));
    }
    RandomFunction random = mbedtls_ctr_drbg_random;
    void* random_state = &drbg_;
    if (config_.seams.random) {
      random = SeamRandom;
      random_state = &config_.seams;
    } else if (mbedtls_determinism::InUse()) {
      random = StreamRandom;
      random_state = nullptr;
    }
    mbedtls_ssl_conf_rng(&config_ssl_, random, random_state);
#if MBEDTLS_VERSION_MAJOR >= 3
    // DTLS is 1.2 only (CheckVersions refused a range of 1.3 alone).
    const bool dtls = config_.protocol == Protocol::kDtls;
    auto version_of = [dtls](TlsVersion v) {
      return v == TlsVersion::kTls13 && !dtls ? MBEDTLS_SSL_VERSION_TLS1_3
                                              : MBEDTLS_SSL_VERSION_TLS1_2;
    };
    mbedtls_ssl_conf_min_tls_version(&config_ssl_, version_of(config_.min_version));
    mbedtls_ssl_conf_max_tls_version(&config_ssl_, version_of(config_.max_version));
#else
    // TLS 1.2 only: a 1.2..1.3 range negotiates 1.2 here.
    mbedtls_ssl_conf_min_version(&config_ssl_, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&config_ssl_, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
#endif
    for (size_t i = 0; i < config_.trust_anchors_der.size(); ++i) {
      const std::string& der = config_.trust_anchors_der[i];
      if (mbedtls_x509_crt_parse_der(&trust_, reinterpret_cast<const unsigned char*>(der.data()),
                                     der.size()) != 0) {
        return BadInput(absl::StrCat("trust anchor ", i + 1, ": not a valid X.509 certificate"));
      }
    }
    mbedtls_ssl_conf_ca_chain(&config_ssl_, &trust_, nullptr);
    mbedtls_ssl_conf_cert_profile(&config_ssl_, &mbedtls_x509::PeerProfile());
    int authmode = MBEDTLS_SSL_VERIFY_REQUIRED;
    if (!is_client && config_.client_auth == ClientAuth::kNone) authmode = MBEDTLS_SSL_VERIFY_NONE;
    mbedtls_ssl_conf_authmode(&config_ssl_, authmode);
    if (config_.credentials) MTLS_RETURN_IF_ERROR(LoadOwnCredentials(*config_.credentials));
    if (!config_.groups.empty()) {
      for (Group group : config_.groups) groups_.push_back(GroupIdOf(group));
      groups_.push_back(kEndOfGroups);
#if MBEDTLS_VERSION_MAJOR >= 3
      mbedtls_ssl_conf_groups(&config_ssl_, groups_.data());
#else
      mbedtls_ssl_conf_curves(&config_ssl_, groups_.data());
#endif
    }
    MTLS_RETURN_IF_ERROR(ConfigureSignatureAlgorithms(&config_ssl_, config_.signature_algorithms,
                                                      signature_algorithms_));
    MTLS_RETURN_IF_ERROR(resumption_.Configure(&config_ssl_, config_, random, random_state));
    if (config_.psk) {
      EndpointConfig negotiable = config_;  // DTLS: the PSK suites of (D)TLS 1.2
      if (config_.protocol == Protocol::kDtls) negotiable.max_version = TlsVersion::kTls12;
      MTLS_RETURN_IF_ERROR(ConfigurePsk(&config_ssl_, negotiable, suites_, FindPsk, this));
    }
    return dtls_.Configure(&config_ssl_, config_, random, random_state);
  }

  // Server: accepts only the configured identity; the session notes what the library passed.
  static int FindPsk(void* self, mbedtls_ssl_context* ssl, const unsigned char* identity,
                     size_t length) {
    const ExternalPsk& psk = *static_cast<MbedtlsContext*>(self)->config_.psk;
    std::string offered(reinterpret_cast<const char*>(identity), length);
    const int rc = AcceptPsk(psk, ssl, offered);
    MbedtlsSession::Of(ssl)->NotePsk(std::move(offered), rc == 0);
    return rc;
  }

  absl::Status LoadOwnCredentials(const Credentials& credentials) {
    for (size_t i = 0; i < credentials.chain_der.size(); ++i) {
      const std::string& der = credentials.chain_der[i];
      if (mbedtls_x509_crt_parse_der(
              &own_chain_, reinterpret_cast<const unsigned char*>(der.data()), der.size()) != 0) {
        return BadInput(absl::StrCat("certificate chain: certificate ", i + 1,
                                     " is not a valid X.509 certificate"));
      }
    }
    const std::string& key = credentials.key_der;
#if MBEDTLS_VERSION_MAJOR >= 3
    const int parsed =
        mbedtls_pk_parse_key(&own_key_, reinterpret_cast<const unsigned char*>(key.data()),
                             key.size(), nullptr, 0, mbedtls_ctr_drbg_random, &drbg_);
    const int paired = parsed != 0 ? parsed
                                   : mbedtls_pk_check_pair(&own_chain_.pk, &own_key_,
                                                           mbedtls_ctr_drbg_random, &drbg_);
#else
    const int parsed = mbedtls_pk_parse_key(
        &own_key_, reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr, 0);
    const int paired = parsed != 0 ? parsed : mbedtls_pk_check_pair(&own_chain_.pk, &own_key_);
#endif
    if (parsed != 0) {
      return BadInput("private key: not a valid private key (or of a type this Mbed TLS lacks)");
    }
    if (paired != 0) {
      return MakeError(absl::StatusCode::kInvalidArgument, ErrorClass::kKeyMismatch,
                       "private key does not match the leaf certificate");
    }
    if (int rc = mbedtls_ssl_conf_own_cert(&config_ssl_, &own_chain_, &own_key_); rc != 0) {
      return Unsupported(absl::StrCat("credentials not usable: ", ErrorText(rc)));
    }
    return absl::OkStatus();
  }

  EndpointConfig config_;
  mbedtls_ssl_config config_ssl_;
  mbedtls_x509_crt trust_;
  mbedtls_x509_crt own_chain_;
  mbedtls_pk_context own_key_;
  mbedtls_ctr_drbg_context drbg_;
  mbedtls_entropy_context entropy_;
  std::vector<GroupId> groups_;
  std::vector<int> suites_;  // ciphersuites, 0-terminated; Mbed TLS keeps the pointer
  SignatureAlgorithmList signature_algorithms_;  // Mbed TLS keeps the pointer too
  ResumptionStore resumption_;
  mbedtls_dtls::ContextState dtls_;  // cookies: the configuration points to them
};

}  // namespace

absl::StatusOr<std::unique_ptr<Context>> CreateContext(const EndpointConfig& config) {
  return MbedtlsContext::Create(config);
}

void ReleaseThreadState() {}  // Mbed TLS keeps no per-thread state

}  // namespace mtls
