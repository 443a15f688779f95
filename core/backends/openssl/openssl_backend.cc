// Backend adapter for the OpenSSL API, compiled against OpenSSL (core/backends/openssl) and
// against BoringSSL (core/backends/boringssl). Where the two libraries differ, the code says so
// with `#if defined(OPENSSL_IS_BORINGSSL)`; everything else is the same source.
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mtls/backend.h"
#include "mtls/status.h"
#include "mtls/x509_identity.h"
#include "openssl_context_random.h"
#include "openssl_types.h"
#include "openssl_x509.h"
#if !defined(OPENSSL_IS_BORINGSSL) && !defined(OPENSSL_NO_SRP)
#define MTLS_OPENSSL_SRP 1
#include "openssl_srp.h"
#endif

namespace mtls {
namespace {

using namespace openssl_api;  // NOLINT: the owning pointer types of this directory
using openssl_random::NewSslContext;
using LibraryContextPtr = std::unique_ptr<openssl_random::SeamLibraryContext>;

// Whether a verification ran at all: BoringSSL reports X509_V_ERR_INVALID_CALL before it has.
bool VerificationRan([[maybe_unused]] long verify_result) {
#if defined(OPENSSL_IS_BORINGSSL)
  return verify_result != X509_V_ERR_INVALID_CALL;
#else
  return true;
#endif
}

int VersionConstant(TlsVersion version) {
  return version == TlsVersion::kTls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
}

std::optional<Group> NegotiatedGroup(SSL* ssl) {
#if defined(OPENSSL_IS_BORINGSSL)
  return GroupFromCodePoint(SSL_get_curve_id(ssl));
#else
  const int negotiated = SSL_get_negotiated_group(ssl);
  // Groups without a NID (ML-KEM and its hybrids, OpenSSL 3.5) come back as their code point.
  if ((negotiated & TLSEXT_nid_unknown) != 0) return GroupFromCodePoint(negotiated & 0xffff);
  switch (negotiated) {
    case NID_X25519:
      return Group::kX25519;
    case NID_X9_62_prime256v1:
      return Group::kP256;
    case NID_secp384r1:
      return Group::kP384;
    default:
      return std::nullopt;
  }
#endif
}

// The TLS SignatureScheme the peer signed its CertificateVerify (or key exchange) with.
uint16_t PeerSignatureAlgorithm(SSL* ssl) {
#if defined(OPENSSL_IS_BORINGSSL)
  return SSL_get_peer_signature_algorithm(ssl);
#elif defined(SSL_get0_peer_signature_name)
  // OpenSSL 3.5 names the scheme (IANA name), ML-DSA included.
  const char* name = nullptr;
  if (SSL_get0_peer_signature_name(ssl, &name) != 1 || name == nullptr) return 0;
  absl::StatusOr<uint16_t> code_point = ParseSignatureAlgorithm(name);
  return code_point.ok() ? *code_point : 0;
#else
  // OpenSSL 3.0 has no code-point getter: rebuild it from key type and hash. PSS is reported
  // as rsae since every RSA key this project uses is an rsaEncryption key.
  int type = NID_undef;
  int hash = NID_undef;
  if (SSL_get_peer_signature_type_nid(ssl, &type) != 1) return 0;
  SSL_get_peer_signature_nid(ssl, &hash);
  const bool sha384 = hash == NID_sha384;
  switch (type) {
    case EVP_PKEY_ED25519:
      return sigalg::kEd25519;
    case EVP_PKEY_EC:
      return sha384 ? sigalg::kEcdsaSecp384r1Sha384 : sigalg::kEcdsaSecp256r1Sha256;
    case EVP_PKEY_RSA_PSS:
      return sha384 ? sigalg::kRsaPssRsaeSha384 : sigalg::kRsaPssRsaeSha256;
    case EVP_PKEY_RSA:
      return sha384 ? sigalg::kRsaPkcs1Sha384 : sigalg::kRsaPkcs1Sha256;
    default:
      return 0;
  }
#endif
}

X509Ptr PeerCertificate(SSL* ssl) {
#if defined(OPENSSL_IS_BORINGSSL)
  return X509Ptr(SSL_get_peer_certificate(ssl));
#else
  return X509Ptr(SSL_get1_peer_certificate(ssl));
#endif
}

// The peer's identity from its DER, read by the core like for every backend.
std::optional<PeerIdentity> IdentityOf(X509* certificate) {
  uint8_t* der = nullptr;
  const int length = i2d_X509(certificate, &der);
  if (length <= 0) return std::nullopt;
  auto identity = IdentityFromCertificate(
      absl::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(length)));
  OPENSSL_free(der);
  if (!identity.ok()) return std::nullopt;
  return *std::move(identity);
}

// A BIO whose reads and writes go to an mtls::Transport ("0 bytes" = retry later).
int TransportBioWrite(BIO* bio, const char* data, int length) {
  BIO_clear_retry_flags(bio);
  auto* transport = static_cast<Transport*>(BIO_get_data(bio));
  auto written = transport->Write(
      absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(length)));
  if (!written.ok()) return -1;
  if (*written == 0) {
    BIO_set_retry_write(bio);
    return -1;
  }
  return static_cast<int>(*written);
}

int TransportBioRead(BIO* bio, char* buffer, int length) {
  BIO_clear_retry_flags(bio);
  auto* transport = static_cast<Transport*>(BIO_get_data(bio));
  auto read = transport->Read(
      absl::MakeSpan(reinterpret_cast<uint8_t*>(buffer), static_cast<size_t>(length)));
  if (!read.ok()) return 0;  // end of stream
  if (*read == 0) {
    BIO_set_retry_read(bio);
    return -1;
  }
  return static_cast<int>(*read);
}

long TransportBioCtrl(BIO*, int command, long, void*) { return command == BIO_CTRL_FLUSH ? 1 : 0; }

const BIO_METHOD* TransportBioMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_TYPE_SOURCE_SINK, "mtls transport");
    BIO_meth_set_write(m, TransportBioWrite);
    BIO_meth_set_read(m, TransportBioRead);
    BIO_meth_set_ctrl(m, TransportBioCtrl);
    return m;
  }();
  return method;
}

int SessionOwnerIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

class OpensslContext;

class OpensslSession : public Session {
 public:
  OpensslSession(SslPtr ssl, OpensslContext* context) : ssl_(std::move(ssl)), context_(context) {}

  OpensslContext* context() const { return context_; }
  SSL* ssl() const { return ssl_.get(); }
  // Server: the external-PSK identity the client offered (classifies a rejection).
  void NotePskOffered(std::string identity) { offered_psk_identity_ = std::move(identity); }

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
    if (const std::optional<std::string> psk_rejection = PskRejection(codes)) {
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

  bool PskUsed() const;
  // Why an external-PSK handshake failed on the PSK, if it did.
  std::optional<std::string> PskRejection(const std::vector<unsigned long>& errors) const;
  // Why a TLS-SRP handshake failed on the user name or password, if it did.
  std::optional<std::string> SrpRejection(const std::vector<unsigned long>& errors) const;

  SslPtr ssl_;
  OpensslContext* context_;
  bool done_ = false;
  absl::Status failure_;
  std::string offered_psk_identity_;
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
    BIO* bio = BIO_new(TransportBioMethod());
    BIO_set_data(bio, &transport);
    BIO_set_init(bio, 1);
    SSL_set_bio(ssl.get(), bio, bio);  // one reference, owned by ssl
    const bool is_client = config_.role == Role::kClient;
    if (is_client) {
      SSL_set_connect_state(ssl.get());
      if (!config_.expected_peer_name.empty()) {
        SSL_set_tlsext_host_name(ssl.get(), config_.expected_peer_name.c_str());
      }
      if (resumable_) SSL_set_session(ssl.get(), resumable_.get());
    } else {
      SSL_set_accept_state(ssl.get());
    }
#if defined(TLSEXT_cert_type_rpk)
    // OpenSSL matches raw keys as DANE-EE(3) SPKI(1) Full(0) records of the session.
    if (!trusted_raw_keys_.empty() && SSL_dane_enable(ssl.get(), nullptr) <= 0) {
      return absl::InternalError(absl::StrCat("SSL_dane_enable: ", DrainErrors()));
    }
    for (const EvpPkeyPtr& key : trusted_raw_keys_) {
      if (SSL_add_expected_rpk(ssl.get(), key.get()) != 1) {
        return absl::InternalError(absl::StrCat("SSL_add_expected_rpk: ", DrainErrors()));
      }
    }
#endif
    auto session = std::make_unique<OpensslSession>(std::move(ssl), this);
    SSL_set_ex_data(session->ssl(), SessionOwnerIndex(), session.get());
    return std::unique_ptr<Session>(std::move(session));
  }

  const EndpointConfig& config() const override { return config_; }

  // Client side: keep only the newest session (TLS 1.3 tickets are single use).
  void KeepResumable(SSL_SESSION* session) { resumable_.reset(session); }

 private:
  OpensslContext(const EndpointConfig& config, LibraryContextPtr library)
      : config_(config), library_(std::move(library)), ctx_(NewSslContext(library_.get())) {}

  absl::Status Configure();
  absl::Status ConfigureTrust();
  absl::Status ConfigureCredentials();
  absl::Status ConfigureAlgorithms();
  absl::Status ConfigurePsk();
  absl::Status ConfigureRawPublicKeys();
  absl::Status ConfigureSrp();
  void ConfigureResumption();

  EndpointConfig config_;
  LibraryContextPtr library_;  // the seam's generators: null without one; outlives ctx_
  SslCtxPtr ctx_;
  SessionPtr resumable_;
  std::vector<EvpPkeyPtr> trusted_raw_keys_;  // added to every session (OpenSSL keeps them there)
#if defined(MTLS_OPENSSL_SRP)
  std::shared_ptr<openssl_srp::ServerAccount> srp_account_;  // a server's verifier
#endif
};

absl::Status OpensslContext::Configure() {
  if (!ctx_) return absl::InternalError(absl::StrCat("SSL_CTX_new: ", DrainErrors()));
  SSL_CTX_set_min_proto_version(ctx_.get(), VersionConstant(config_.min_version));
  SSL_CTX_set_max_proto_version(ctx_.get(), VersionConstant(config_.max_version));
#if defined(SSL_MODE_NO_AUTO_CHAIN)
  // Send exactly the configured chain; OpenSSL would otherwise append the root (more bytes/CPU).
  SSL_CTX_set_mode(ctx_.get(), SSL_MODE_NO_AUTO_CHAIN);
#endif
  // With an external PSK the trust store stays empty and peer verification on: a peer that
  // ignored the PSK and fell back to certificates would not verify.
  MTLS_RETURN_IF_ERROR(ConfigureTrust());
  MTLS_RETURN_IF_ERROR(ConfigureCredentials());
  MTLS_RETURN_IF_ERROR(ConfigureAlgorithms());
  if (config_.psk) MTLS_RETURN_IF_ERROR(ConfigurePsk());
  if (config_.raw_public_keys) MTLS_RETURN_IF_ERROR(ConfigureRawPublicKeys());
  if (config_.srp) MTLS_RETURN_IF_ERROR(ConfigureSrp());
  ConfigureResumption();
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
  if (is_server) {
    // Required for resumption whenever the server verifies peers.
    static constexpr unsigned char kSessionContext[] = "mtls-bench";
    SSL_CTX_set_session_id_context(ctx_.get(), kSessionContext, sizeof(kSessionContext) - 1);
  }
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

OpensslSession* OwnerOf(SSL* ssl) {
  return static_cast<OpensslSession*>(SSL_get_ex_data(ssl, SessionOwnerIndex()));
}

const ExternalPsk& PskOf(SSL* ssl) { return *OwnerOf(ssl)->context()->config().psk; }

// TLS 1.2 PSK suites (RFC 4279, 5489): BoringSSL has only their SHA-1 CBC variants.
const char* Tls12PskCiphers(PskKeyExchange key_exchange) {
  const bool dhe = key_exchange == PskKeyExchange::kDhe;
#if defined(OPENSSL_IS_BORINGSSL)
  return dhe ? "ECDHE-PSK-AES128-CBC-SHA" : "PSK-AES128-CBC-SHA";
#else
  return dhe ? "ECDHE-PSK-AES128-CBC-SHA256" : "PSK-AES128-GCM-SHA256";
#endif
}

unsigned int ClientTls12Psk(SSL* ssl, const char*, char* identity, unsigned int max_identity,
                            unsigned char* key, unsigned int max_key) {
  const ExternalPsk& psk = PskOf(ssl);
  if (psk.identity.size() >= max_identity || psk.key.size() > max_key) return 0;
  memcpy(identity, psk.identity.c_str(), psk.identity.size() + 1);
  memcpy(key, psk.key.data(), psk.key.size());
  return static_cast<unsigned int>(psk.key.size());
}

unsigned int ServerTls12Psk(SSL* ssl, const char* identity, unsigned char* key,
                            unsigned int max_key) {
  const ExternalPsk& psk = PskOf(ssl);
  OwnerOf(ssl)->NotePskOffered(identity);
  if (identity != psk.identity || psk.key.size() > max_key) return 0;  // unknown: rejected
  memcpy(key, psk.key.data(), psk.key.size());
  return static_cast<unsigned int>(psk.key.size());
}

#if !defined(OPENSSL_IS_BORINGSSL)
// TLS 1.3 external PSKs are sessions made up from the key: TLS_AES_128_GCM_SHA256 (its hash is
// the PSK's, RFC 8446 section 4.2.11).
SSL_SESSION* NewTls13PskSession(SSL* ssl, const ExternalPsk& psk) {
  static constexpr unsigned char kAes128GcmSha256[] = {0x13, 0x01};
  const SSL_CIPHER* cipher = SSL_CIPHER_find(ssl, kAes128GcmSha256);
  SessionPtr session(SSL_SESSION_new());
  if (cipher == nullptr || !session ||
      SSL_SESSION_set1_master_key(session.get(), reinterpret_cast<const uint8_t*>(psk.key.data()),
                                  psk.key.size()) != 1 ||
      SSL_SESSION_set_cipher(session.get(), cipher) != 1 ||
      SSL_SESSION_set_protocol_version(session.get(), TLS1_3_VERSION) != 1) {
    return nullptr;
  }
  return session.release();
}

int ClientTls13Psk(SSL* ssl, const EVP_MD* md, const unsigned char** identity,
                   size_t* identity_length, SSL_SESSION** session) {
  const ExternalPsk& psk = PskOf(ssl);
  *session = NewTls13PskSession(ssl, psk);
  if (*session == nullptr) return 0;
  if (md != nullptr && md != SSL_CIPHER_get_handshake_digest(SSL_SESSION_get0_cipher(*session))) {
    SSL_SESSION_free(*session);  // after a HelloRetryRequest for another hash: offer nothing
    *session = nullptr;
    return 1;
  }
  *identity = reinterpret_cast<const unsigned char*>(psk.identity.data());
  *identity_length = psk.identity.size();
  return 1;
}

int ServerTls13Psk(SSL* ssl, const unsigned char* identity, size_t identity_length,
                   SSL_SESSION** session) {
  const ExternalPsk& psk = PskOf(ssl);
  const std::string offered(reinterpret_cast<const char*>(identity), identity_length);
  OwnerOf(ssl)->NotePskOffered(offered);
  *session = offered == psk.identity ? NewTls13PskSession(ssl, psk) : nullptr;
  return offered != psk.identity || *session != nullptr;
}
#endif

absl::Status OpensslContext::ConfigurePsk() {
  SSL_CTX* ctx = ctx_.get();
  const ExternalPsk& psk = *config_.psk;
  const bool is_client = config_.role == Role::kClient;
  if (config_.max_version == TlsVersion::kTls12) {
    if (SSL_CTX_set_cipher_list(ctx, Tls12PskCiphers(psk.key_exchange)) != 1) {
      return Unsupported(absl::StrCat("no TLS 1.2 PSK suite ", Tls12PskCiphers(psk.key_exchange),
                                      ": ", DrainErrors()));
    }
    if (is_client) {
      SSL_CTX_set_psk_client_callback(ctx, ClientTls12Psk);
    } else {
      SSL_CTX_set_psk_server_callback(ctx, ServerTls12Psk);
    }
    return absl::OkStatus();
  }
#if defined(OPENSSL_IS_BORINGSSL)
  return RequireCapability(PskFeature(psk.key_exchange, TlsVersion::kTls13));
#else
  MTLS_RETURN_IF_ERROR(RequireCapability(PskFeature(psk.key_exchange, TlsVersion::kTls13)));
  // The suite's hash must be the PSK's, or the server skips the PSK.
  SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256");
  if (psk.key_exchange == PskKeyExchange::kPskOnly) {
    // Both sides must allow psk_ke; the server prefers it only when told (OpenSSL 3.3+).
    SSL_CTX_set_options(ctx, SSL_OP_ALLOW_NO_DHE_KEX);
#if defined(SSL_OP_PREFER_NO_DHE_KEX)
    if (!is_client) SSL_CTX_set_options(ctx, SSL_OP_PREFER_NO_DHE_KEX);
#endif
  }
  if (is_client) {
    SSL_CTX_set_psk_use_session_callback(ctx, ClientTls13Psk);
  } else {
    SSL_CTX_set_psk_find_session_callback(ctx, ServerTls13Psk);
  }
  return absl::OkStatus();
#endif
}

absl::Status OpensslContext::ConfigureRawPublicKeys() {
  MTLS_RETURN_IF_ERROR(RequireCapability("rpk"));
#if defined(TLSEXT_cert_type_rpk)
  // Raw keys only, both directions: a peer that insists on certificates fails the handshake.
  static constexpr unsigned char kRawKeysOnly[] = {TLSEXT_cert_type_rpk};
  if (SSL_CTX_dane_enable(ctx_.get()) <= 0 ||
      SSL_CTX_set1_client_cert_type(ctx_.get(), kRawKeysOnly, 1) != 1 ||
      SSL_CTX_set1_server_cert_type(ctx_.get(), kRawKeysOnly, 1) != 1) {
    return absl::InternalError(absl::StrCat("certificate type extension: ", DrainErrors()));
  }
  const auto& keys = config_.raw_public_keys->trusted_peer_keys_der;
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto* cursor = reinterpret_cast<const uint8_t*>(keys[i].data());
    EvpPkeyPtr key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(keys[i].size())));
    if (!key) {
      DrainErrors();
      return BadInput(
          absl::StrCat("trusted raw public key ", i + 1, ": not a valid SubjectPublicKeyInfo"));
    }
    trusted_raw_keys_.push_back(std::move(key));
  }
#endif
  return absl::OkStatus();
}

// The peer's raw public key (SubjectPublicKeyInfo DER) when one was negotiated and received.
std::string PeerRawPublicKey([[maybe_unused]] SSL* ssl) {
#if defined(TLSEXT_cert_type_rpk)
  EVP_PKEY* key = SSL_get0_peer_rpk(ssl);
  if (key == nullptr) return "";
  const int length = i2d_PUBKEY(key, nullptr);
  if (length <= 0) return "";
  std::string der(static_cast<size_t>(length), '\0');
  auto* cursor = reinterpret_cast<uint8_t*>(der.data());
  i2d_PUBKEY(key, &cursor);
  return der;
#else
  return "";
#endif
}

absl::Status OpensslContext::ConfigureSrp() {
#if defined(MTLS_OPENSSL_SRP)
  return openssl_srp::Configure(ctx_.get(), *config_.srp, config_.role, srp_account_);
#else
  return RequireCapability("srp:tls1.2");
#endif
}

std::optional<std::string> OpensslSession::SrpRejection(
    const std::vector<unsigned long>& errors) const {
  const std::optional<SrpPassword>& srp = context_->config().srp;
  if (!srp) return std::nullopt;
#if defined(MTLS_OPENSSL_SRP)
  const std::string offered = openssl_srp::OfferedUser(ssl_.get());
  if (context_->config().role == Role::kServer && !offered.empty() && offered != srp->username) {
    return absl::StrCat("unknown SRP user '", offered, "'");
  }
#endif
  for (unsigned long error : errors) {
    if (ERR_GET_LIB(error) == ERR_LIB_SSL &&
        ERR_GET_REASON(error) == SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC) {
      return "the peer did not prove the password";  // its Finished is under other keys
    }
  }
  return std::nullopt;
}

bool OpensslSession::PskUsed() const {
  SSL* ssl = ssl_.get();
  if (SSL_version(ssl) == TLS1_3_VERSION) return SSL_session_reused(ssl) == 1;
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  return cipher != nullptr && SSL_CIPHER_get_auth_nid(cipher) == NID_auth_psk;
}

std::optional<std::string> OpensslSession::PskRejection(
    const std::vector<unsigned long>& errors) const {
  const std::optional<ExternalPsk>& psk = context_->config().psk;
  if (!psk) return std::nullopt;
  if (!offered_psk_identity_.empty() && offered_psk_identity_ != psk->identity) {
    return absl::StrCat("unknown PSK identity '", offered_psk_identity_, "'");
  }
  for (unsigned long error : errors) {
    if (ERR_GET_LIB(error) != ERR_LIB_SSL) continue;
    switch (ERR_GET_REASON(error)) {
#if defined(SSL_R_BINDER_DOES_NOT_VERIFY)
      case SSL_R_BINDER_DOES_NOT_VERIFY:  // TLS 1.3: the binder proves the key
#endif
      case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:  // TLS 1.2: Finished under another key
        return "the peer did not prove the PSK";
      default:
        break;
    }
  }
  return std::nullopt;
}

int OnNewClientSession(SSL* ssl, SSL_SESSION* session) {
  auto* owner = static_cast<OpensslSession*>(SSL_get_ex_data(ssl, SessionOwnerIndex()));
  owner->context()->KeepResumable(session);
  return 1;  // we took the reference
}

void OpensslContext::ConfigureResumption() {
  SSL_CTX* ctx = ctx_.get();
  if (config_.role == Role::kClient) {
    if (config_.resumption == Resumption::kOff) {
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    } else {
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
      SSL_CTX_sess_set_new_cb(ctx, OnNewClientSession);
    }
    return;
  }
  switch (config_.resumption) {
    case Resumption::kOff:
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
      SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
      SSL_CTX_set_num_tickets(ctx, 0);
      break;
    case Resumption::kTickets:
      // Stateless tickets only; one per handshake is all a client uses.
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
      SSL_CTX_set_num_tickets(ctx, 1);
      break;
    case Resumption::kSessionIds:
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
      SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
      break;
  }
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
  if (const std::optional<ExternalPsk>& psk = context_->config().psk) {
    result.resumed = false;  // an external PSK handshake is a full one
    result.peer_verified = PskUsed();
    // A server names the identity its PSK callback received and accepted; a client the one it
    // offered (the conformance judge checks both against the wire).
    const bool server = context_->config().role == Role::kServer;
    if (result.peer_verified) result.psk_identity = server ? offered_psk_identity_ : psk->identity;
    return result;
  }
#if defined(MTLS_OPENSSL_SRP)
  if (const std::optional<SrpPassword>& srp = context_->config().srp) {
    result.peer_verified = openssl_srp::Used(ssl);
    if (result.peer_verified) result.srp_username = srp->username;
    return result;
  }
#endif
  if (context_->config().raw_public_keys) {
    result.peer_raw_public_key = PeerRawPublicKey(ssl);
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
