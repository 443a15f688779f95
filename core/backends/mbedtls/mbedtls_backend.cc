// Backend adapter for Mbed TLS: 2.28 (Debian's libmbedtls-dev: TLS 1.2 only) and 3.6 (built by
// scripts/deps: TLS 1.3 too). Where their APIs differ the code says so with MBEDTLS_VERSION_MAJOR.
// Neither has Ed25519.
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
#include "mbedtls_x509.h"

namespace mtls {
namespace {

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

class MbedtlsSession : public Session {
 public:
  MbedtlsSession(int max_chain_depth, const std::optional<ExternalPsk>& psk)
      : max_chain_depth_(max_chain_depth), psk_(psk) {
    mbedtls_ssl_init(&ssl_);
  }
  ~MbedtlsSession() override { mbedtls_ssl_free(&ssl_); }

  absl::Status Setup(const mbedtls_ssl_config* config, Transport& transport, bool is_client,
                     const std::string& expected_name) {
    if (int rc = mbedtls_ssl_setup(&ssl_, config); rc != 0) {
      return absl::InternalError(absl::StrCat("mbedtls_ssl_setup: ", ErrorText(rc)));
    }
    mbedtls_ssl_set_bio(&ssl_, &transport, SendToTransport, ReceiveFromTransport, nullptr);
    mbedtls_ssl_set_verify(&ssl_, CheckDepth, this);
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_ssl_set_user_data_p(&ssl_, this);  // for the PSK callback
#endif
    // Clients name the server they expect (3.6.3+ insists on the call even without a name).
    if (is_client)
      mbedtls_ssl_set_hostname(&ssl_, expected_name.empty() ? nullptr : expected_name.c_str());
    return absl::OkStatus();
  }

  absl::StatusOr<bool> Handshake() override {
    if (!failure_.ok()) return failure_;
    if (done_) return true;
    const int rc = mbedtls_ssl_handshake(&ssl_);
    if (rc == 0) {
      done_ = true;
      return true;
    }
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) return false;
    return Fail(rc);
  }

  absl::Status ProcessPostHandshake() override {
    if (!failure_.ok()) return failure_;
    unsigned char byte;
    const int rc = mbedtls_ssl_read(&ssl_, &byte, 1);
    if (rc >= 0 || rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) {
      return absl::OkStatus();
    }
#if MBEDTLS_VERSION_MAJOR >= 3
    if (rc == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) return absl::OkStatus();
#endif
    return Fail(rc);
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
    if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
      return MakeError(absl::StatusCode::kUnavailable, ErrorClass::kNone, "peer closed");
    }
    return Fail(rc);
  }

  void Close() override {
    if (done_ && failure_.ok()) mbedtls_ssl_close_notify(&ssl_);
  }

  HandshakeResult Result() const override {
    HandshakeResult result = ResultOfSession(failure_, done_);
    if (!done_) return result;
#if MBEDTLS_VERSION_MAJOR >= 3
    result.version = mbedtls_ssl_get_version_number(&ssl_) == MBEDTLS_SSL_VERSION_TLS1_3
                         ? TlsVersion::kTls13
                         : TlsVersion::kTls12;
#else
    result.version = TlsVersion::kTls12;  // the only version 2.28 speaks
#endif
    // IANA names with dashes ("TLS-ECDHE-ECDSA-WITH-…"): spell them the standard way.
    result.cipher = absl::StrReplaceAll(mbedtls_ssl_get_ciphersuite(&ssl_), {{"-", "_"}});
    if (psk_) {
      // The context allows only PSK suites / PSK key exchange modes, so a completed handshake
      // is one in which both sides proved the key (Mbed TLS has no call saying so).
      result.peer_verified = true;
      result.psk_identity = psk_->identity;
      return result;
    }
    if (const mbedtls_x509_crt* peer = mbedtls_ssl_get_peer_cert(&ssl_)) {
      auto identity = IdentityFromCertificate(
          absl::string_view(reinterpret_cast<const char*>(peer->raw.p), peer->raw.len));
      if (identity.ok()) result.peer = *std::move(identity);
      // Verification ran in the handshake (authmode required): a failure would have aborted it.
      result.peer_verified = mbedtls_ssl_get_verify_result(&ssl_) == 0;
    }
    return result;
  }

 private:
  // Mbed TLS has no depth limit setting: flag chains with more intermediates than allowed.
  // `depth` counts from the leaf (0); the trust anchor is the deepest certificate.
  static int CheckDepth(void* self, mbedtls_x509_crt*, int depth, uint32_t* flags) {
    auto* session = static_cast<MbedtlsSession*>(self);
    if (depth > session->max_chain_depth_ + 1) {
      session->chain_too_long_ = true;
      *flags |= MBEDTLS_X509_BADCERT_OTHER;
    }
    return 0;
  }

  absl::Status Fail(int rc) {
    const uint32_t flags = mbedtls_ssl_get_verify_result(&ssl_);
    if (std::optional<std::string> rejection = PskRejection(rc)) {
      failure_ = MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kPskRejected,
                           absl::StrCat(*rejection, " (", ErrorText(rc), ")"));
    } else if (chain_too_long_) {
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

  // Why a PSK handshake failed on the PSK, if it did: an identity the server does not know, or a
  // key that does not match (TLS 1.3: the binder; TLS 1.2: Finished under other keys).
  std::optional<std::string> PskRejection(int rc) const {
    if (!psk_) return std::nullopt;
    if (rc == MBEDTLS_ERR_SSL_UNKNOWN_IDENTITY ||
        (!offered_psk_identity_.empty() && offered_psk_identity_ != psk_->identity)) {
      return offered_psk_identity_.empty()
                 ? std::string("unknown PSK identity")
                 : absl::StrCat("unknown PSK identity '", offered_psk_identity_, "'");
    }
#if MBEDTLS_VERSION_MAJOR >= 3
    const bool key_not_proven =
        rc == MBEDTLS_ERR_SSL_INVALID_MAC || rc == MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE;
#else
    const bool key_not_proven =
        rc == MBEDTLS_ERR_SSL_INVALID_MAC || rc == MBEDTLS_ERR_SSL_BAD_HS_FINISHED;
#endif
    if (key_not_proven) {
      return std::string("the peer did not prove the PSK");
    }
    return std::nullopt;
  }

 public:
  // Server side, from the PSK callback: the identity the client offered.
  void NotePskOffered(std::string identity) { offered_psk_identity_ = std::move(identity); }

 private:
  mbedtls_ssl_context ssl_;
  int max_chain_depth_;
  const std::optional<ExternalPsk>& psk_;  // the context's, which outlives its sessions
  std::string offered_psk_identity_;
  bool chain_too_long_ = false;
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
    if (config.min_version == TlsVersion::kTls13) MTLS_RETURN_IF_ERROR(RequireCapability("tls1.3"));
#if MBEDTLS_VERSION_MAJOR >= 3
    // PSA crypto carries TLS 1.3 (and more) in 3.x: it must be up before any handshake.
    static const psa_status_t psa_ready = psa_crypto_init();
    if (psa_ready != PSA_SUCCESS) return absl::InternalError("psa_crypto_init failed");
#endif
    if (config.resumption != Resumption::kOff) {
      MTLS_RETURN_IF_ERROR(
          RequireCapability(absl::StrCat("resumption:", ResumptionName(config.resumption))));
    }
    if (config.seams.fixed_unix_time) MTLS_RETURN_IF_ERROR(RequireCapability("seam:fixed-clock"));
    if (!config.signature_algorithms.empty()) {
      MTLS_RETURN_IF_ERROR(RequireCapability("config:signature-algorithms"));
    }
    auto context = std::unique_ptr<MbedtlsContext>(new MbedtlsContext(config));
    MTLS_RETURN_IF_ERROR(context->Configure());
    return std::unique_ptr<Context>(std::move(context));
  }

  absl::StatusOr<std::unique_ptr<Session>> NewSession(Transport& transport) override {
    auto session = std::make_unique<MbedtlsSession>(config_.max_chain_depth, config_.psk);
    const bool is_client = config_.role == Role::kClient;
    MTLS_RETURN_IF_ERROR(session->Setup(&config_ssl_, transport, is_client,
                                        is_client ? config_.expected_peer_name : ""));
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
            MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
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
    if (config_.seams.random) {
      mbedtls_ssl_conf_rng(&config_ssl_, SeamRandom, &config_.seams);
    } else if (mbedtls_determinism::InUse()) {
      mbedtls_ssl_conf_rng(&config_ssl_, StreamRandom, nullptr);
    } else {
      mbedtls_ssl_conf_rng(&config_ssl_, mbedtls_ctr_drbg_random, &drbg_);
    }
#if MBEDTLS_VERSION_MAJOR >= 3
    auto version_of = [](TlsVersion v) {
      return v == TlsVersion::kTls13 ? MBEDTLS_SSL_VERSION_TLS1_3 : MBEDTLS_SSL_VERSION_TLS1_2;
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
    mbedtls_ssl_conf_session_tickets(&config_ssl_, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
    if (config_.psk) MTLS_RETURN_IF_ERROR(ConfigurePsk(*config_.psk));
    return absl::OkStatus();
  }

  // Server: accepts only the configured identity, and notes what the client offered.
  static int FindPsk(void* self, mbedtls_ssl_context* ssl, const unsigned char* identity,
                     size_t length) {
    const ExternalPsk& psk = *static_cast<MbedtlsContext*>(self)->config_.psk;
    const std::string offered(reinterpret_cast<const char*>(identity), length);
#if MBEDTLS_VERSION_MAJOR >= 3
    static_cast<MbedtlsSession*>(mbedtls_ssl_get_user_data_p(ssl))->NotePskOffered(offered);
#endif
    if (offered != psk.identity) return -1;
    return mbedtls_ssl_set_hs_psk(ssl, reinterpret_cast<const unsigned char*>(psk.key.data()),
                                  psk.key.size());
  }

  // Only PSK suites (TLS 1.2) or PSK key exchange modes (TLS 1.3): nothing else can complete.
  absl::Status ConfigurePsk(const ExternalPsk& psk) {
    MTLS_RETURN_IF_ERROR(RequireCapability(PskFeature(psk.key_exchange, config_.max_version)));
    const bool dhe = psk.key_exchange == PskKeyExchange::kDhe;
    if (config_.max_version == TlsVersion::kTls12) {
      suites_ = {dhe ? MBEDTLS_TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256
                     : MBEDTLS_TLS_PSK_WITH_AES_128_GCM_SHA256,
                 0};
    } else {
#if MBEDTLS_VERSION_MAJOR >= 3
      suites_ = {MBEDTLS_TLS1_3_AES_128_GCM_SHA256, 0};  // SHA-256: the PSK's hash
      mbedtls_ssl_conf_tls13_key_exchange_modes(
          &config_ssl_, dhe ? MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL
                            : MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK);
#endif
    }
    mbedtls_ssl_conf_ciphersuites(&config_ssl_, suites_.data());
    if (config_.role == Role::kServer) {
      mbedtls_ssl_conf_psk_cb(&config_ssl_, FindPsk, this);
      return absl::OkStatus();
    }
    if (int rc = mbedtls_ssl_conf_psk(
            &config_ssl_, reinterpret_cast<const unsigned char*>(psk.key.data()), psk.key.size(),
            reinterpret_cast<const unsigned char*>(psk.identity.data()), psk.identity.size());
        rc != 0) {
      return Unsupported(absl::StrCat("PSK not usable: ", ErrorText(rc)));
    }
    return absl::OkStatus();
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
};

}  // namespace

absl::StatusOr<std::unique_ptr<Context>> CreateContext(const EndpointConfig& config) {
  return MbedtlsContext::Create(config);
}

void ReleaseThreadState() {}  // Mbed TLS keeps no per-thread state

}  // namespace mtls
