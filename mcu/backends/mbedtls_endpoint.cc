// Mbed TLS 3.6 on the microcontroller: the firmware's Endpoint interface over mbedtls_ssl_*,
// with the project's allocator, clock and fixed-seed entropy behind Mbed TLS's platform hooks.
// TLS 1.2 / 1.3 over the byte stream, DTLS 1.2 over the datagram link (mbedtls_dtls.cc);
// certificates or an external PSK.
#include <stdio.h>
#include <string.h>

#include "endpoint.h"
#include "mbedtls_dtls.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/platform.h"
#include "mbedtls/platform_time.h"
#include "mbedtls/ssl.h"
#include "mbedtls/ssl_ciphersuites.h"
#include "mbedtls/version.h"
#include "mbedtls/x509_crt.h"
#include "platform_hooks.h"
#include "psa/crypto.h"
#include "side_meter.h"

// MBEDTLS_ENTROPY_HARDWARE_ALT: the "hardware" source is the fixed-seed stream.
extern "C" int mbedtls_hardware_poll(void*, unsigned char* output, size_t size, size_t* length) {
  MtlsFixedEntropy(output, static_cast<unsigned int>(size));
  *length = size;
  return 0;
}

// MBEDTLS_PLATFORM_MS_TIME_ALT: TLS 1.3 ticket ages.
extern "C" mbedtls_ms_time_t mbedtls_ms_time(void) {
  return static_cast<mbedtls_ms_time_t>(mtls::mcu::kFixedTime) * 1000;
}

namespace mtls::mcu {
namespace {

mbedtls_entropy_context entropy;
mbedtls_ctr_drbg_context drbg;

mbedtls_time_t FixedTime(mbedtls_time_t* out) { return MtlsFixedTime(out); }

// The code only: the minimal configuration leaves out Mbed TLS's error strings.
void Fail(char* error, size_t size, const char* what, int code) {
  snprintf(error, size, "%s: Mbed TLS error -0x%04x", what, static_cast<unsigned>(-code));
}

int Send(void* end, const unsigned char* data, size_t size) {
  size_t n = static_cast<ByteChannel::End*>(end)->Write(data, size);
  return n == 0 ? MBEDTLS_ERR_SSL_WANT_WRITE : static_cast<int>(n);
}

int Receive(void* end, unsigned char* data, size_t size) {
  size_t n = static_cast<ByteChannel::End*>(end)->Read(data, size);
  return n == 0 ? MBEDTLS_ERR_SSL_WANT_READ : static_cast<int>(n);
}

// The key exchange of the suite the handshake negotiated is an external PSK's.
bool NegotiatedPsk(const mbedtls_ssl_context* ssl) {
  const mbedtls_ssl_ciphersuite_t* suite =
      mbedtls_ssl_ciphersuite_from_id(mbedtls_ssl_get_ciphersuite_id_from_ssl(ssl));
  return suite != nullptr && suite->MBEDTLS_PRIVATE(key_exchange) == MBEDTLS_KEY_EXCHANGE_PSK;
}

class MbedConnection : public Connection {
 public:
  MbedConnection() { mbedtls_ssl_init(&ssl_); }
  ~MbedConnection() override { mbedtls_ssl_free(&ssl_); }

  int Setup(const mbedtls_ssl_config* config, const char* server_name) {
    int status = mbedtls_ssl_setup(&ssl_, config);
    if (status == 0 && server_name != nullptr)
      status = mbedtls_ssl_set_hostname(&ssl_, server_name);
    return status;
  }

  Progress Step() override {
    status_ = mbedtls_ssl_handshake(&ssl_);
    if (status_ == 0) return Progress::kDone;
    if (status_ == MBEDTLS_ERR_SSL_WANT_READ || status_ == MBEDTLS_ERR_SSL_WANT_WRITE) {
      return Progress::kWantIo;
    }
    return Progress::kFailed;
  }

  Verdict Result() const override {
    Verdict verdict;
    uint32_t flags = mbedtls_ssl_get_verify_result(&ssl_);
    verdict.library_error = status_;
    // A PSK suite completes only when both sides proved the key (their Finished MACs).
    verdict.psk = status_ == 0 && NegotiatedPsk(&ssl_);
    verdict.peer_verified =
        status_ == 0 &&
        (verdict.psk || (flags == 0 && mbedtls_ssl_get_peer_cert(&ssl_) != nullptr));
    if (status_ == 0) return verdict;
    if (flags & (MBEDTLS_X509_BADCERT_NOT_TRUSTED)) {
      verdict.error_class = "untrusted_issuer";
    } else if (flags & (MBEDTLS_X509_BADCERT_EXT_KEY_USAGE | MBEDTLS_X509_BADCERT_KEY_USAGE)) {
      verdict.error_class = "bad_key_usage";
    } else if (flags & MBEDTLS_X509_BADCERT_EXPIRED) {
      verdict.error_class = "expired";
    } else {
      verdict.error_class = "handshake_failure";
    }
    return verdict;
  }

 protected:
  mbedtls_ssl_context ssl_;
  int status_ = 0;
};

// TLS over the byte stream.
class StreamConnection : public MbedConnection {
 public:
  explicit StreamConnection(ByteChannel::End end) : end_(end) {}

  int Attach() {
    mbedtls_ssl_set_bio(&ssl_, &end_, Send, Receive, nullptr);
    return 0;
  }

 private:
  ByteChannel::End end_;
};

// DTLS over the datagram link.
class DatagramConnection : public MbedConnection {
 public:
  explicit DatagramConnection(DatagramChannel::End end) : link_(end) {}

  int Attach(bool server) { return link_.Attach(&ssl_, server); }
  long RetransmissionTimeoutMs() const override { return link_.RemainingMs(); }

 private:
  mbedtls_dtls::Link link_;
};

class MbedContext : public Context {
 public:
  MbedContext() {
    mbedtls_ssl_config_init(&config_);
    mbedtls_x509_crt_init(&anchor_);
    mbedtls_x509_crt_init(&chain_);
    mbedtls_pk_init(&key_);
  }
  ~MbedContext() override {
    mbedtls_pk_free(&key_);
    mbedtls_x509_crt_free(&chain_);
    mbedtls_x509_crt_free(&anchor_);
    mbedtls_ssl_config_free(&config_);
  }

  bool Configure(const EndpointConfig& config, char* error, size_t size) {
    server_ = config.role == Role::kServer;
    datagrams_ = config.protocol == Protocol::kDtls;
    server_name_ = server_ ? nullptr : config.server_name;
    int endpoint = server_ ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT;
    int transport = datagrams_ ? MBEDTLS_SSL_TRANSPORT_DATAGRAM : MBEDTLS_SSL_TRANSPORT_STREAM;
    int status;
    if ((status = mbedtls_ssl_config_defaults(&config_, endpoint, transport,
                                              MBEDTLS_SSL_PRESET_DEFAULT)) != 0) {
      Fail(error, size, "configuration defaults", status);
      return false;
    }
    if (config.psk != nullptr ? !ConfigurePsk(*config.psk, error, size)
                              : !ConfigureCertificates(config, error, size)) {
      return false;
    }
    mbedtls_ssl_conf_rng(&config_, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_protocol_version version =
        config.version == Version::k13 ? MBEDTLS_SSL_VERSION_TLS1_3 : MBEDTLS_SSL_VERSION_TLS1_2;
    mbedtls_ssl_conf_min_tls_version(&config_, version);
    mbedtls_ssl_conf_max_tls_version(&config_, version);
    ConfigureGroups(config);
    if (datagrams_) mbedtls_dtls::Configure(&config_, server_);
    return true;
  }

  std::unique_ptr<Connection> Connect(ByteChannel::End end) override {
    if (datagrams_) return nullptr;
    auto connection = std::make_unique<StreamConnection>(end);
    if (connection->Setup(&config_, server_name_) != 0 || connection->Attach() != 0) {
      return nullptr;
    }
    return connection;
  }

  std::unique_ptr<Connection> Connect(DatagramChannel::End end) override {
    if (!datagrams_) return nullptr;
    auto connection = std::make_unique<DatagramConnection>(end);
    if (connection->Setup(&config_, server_name_) != 0 || connection->Attach(server_) != 0) {
      return nullptr;
    }
    return connection;
  }

 private:
  static const unsigned char* Pem(const char* text) {
    return reinterpret_cast<const unsigned char*>(text);
  }

  bool ConfigureCertificates(const EndpointConfig& config, char* error, size_t size) {
    int status;
    if ((status = mbedtls_x509_crt_parse(&anchor_, Pem(config.trust_anchor_pem),
                                         strlen(config.trust_anchor_pem) + 1)) != 0) {
      Fail(error, size, "trust anchor", status);
    } else if ((status = mbedtls_x509_crt_parse(&chain_, Pem(config.chain_pem),
                                                strlen(config.chain_pem) + 1)) != 0) {
      Fail(error, size, "certificate chain", status);
    } else if ((status =
                    mbedtls_pk_parse_key(&key_, Pem(config.key_pem), strlen(config.key_pem) + 1,
                                         nullptr, 0, mbedtls_ctr_drbg_random, &drbg)) != 0) {
      Fail(error, size, "private key", status);
    } else if ((status = mbedtls_ssl_conf_own_cert(&config_, &chain_, &key_)) != 0) {
      Fail(error, size, "own certificate", status);
    }
    if (status != 0) return false;
    mbedtls_ssl_conf_ca_chain(&config_, &anchor_, nullptr);
    mbedtls_ssl_conf_authmode(&config_, MBEDTLS_SSL_VERIFY_REQUIRED);
    return true;
  }

  // The (D)TLS 1.2 suite TLS_PSK_WITH_AES_128_GCM_SHA256 alone: the client offers its identity
  // and key, the server keys only that identity (FindPsk).
  bool ConfigurePsk(const Psk& psk, char* error, size_t size) {
#if defined(MBEDTLS_KEY_EXCHANGE_PSK_ENABLED)
    psk_ = &psk;
    suites_[0] = MBEDTLS_TLS_PSK_WITH_AES_128_GCM_SHA256;
    suites_[1] = 0;
    mbedtls_ssl_conf_ciphersuites(&config_, suites_);
    if (server_) {
      mbedtls_ssl_conf_psk_cb(&config_, FindPsk, this);
      return true;
    }
    int status = mbedtls_ssl_conf_psk(&config_, psk.key, psk.key_size,
                                      reinterpret_cast<const unsigned char*>(psk.identity),
                                      strlen(psk.identity));
    if (status != 0) Fail(error, size, "PSK", status);
    return status == 0;
#else
    (void)psk;
    snprintf(error, size, "%s", UnsupportedPsk());
    return false;
#endif
  }

#if defined(MBEDTLS_KEY_EXCHANGE_PSK_ENABLED)
  static int FindPsk(void* self, mbedtls_ssl_context* ssl, const unsigned char* identity,
                     size_t identity_size) {
    const Psk& psk = *static_cast<MbedContext*>(self)->psk_;
    if (identity_size != strlen(psk.identity) ||
        memcmp(identity, psk.identity, identity_size) != 0) {
      return -1;  // Mbed TLS answers unknown_psk_identity
    }
    return mbedtls_ssl_set_hs_psk(ssl, psk.key, psk.key_size);
  }
#endif

  // TLS 1.3: the one group. (D)TLS 1.2 also signs and verifies ECDSA on the curves of this list:
  // P-256 joins X25519 for the certificates (as the host's GroupsFor does).
  void ConfigureGroups(const EndpointConfig& config) {
    size_t n = 0;
    groups_[n++] = config.group == Group::kP256 ? MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1
                                                : MBEDTLS_SSL_IANA_TLS_GROUP_X25519;
    if (config.version == Version::k12 && config.group != Group::kP256) {
      groups_[n++] = MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1;
    }
    groups_[n] = MBEDTLS_SSL_IANA_TLS_GROUP_NONE;
    mbedtls_ssl_conf_groups(&config_, groups_);
  }

  mbedtls_ssl_config config_;
  mbedtls_x509_crt anchor_, chain_;
  mbedtls_pk_context key_;
  uint16_t groups_[3];
  int suites_[2];
  const Psk* psk_ = nullptr;
  const char* server_name_ = nullptr;
  bool server_ = false;
  bool datagrams_ = false;
};

}  // namespace

const char* LibraryName() { return "mbedtls"; }
const char* LibraryVersion() { return MBEDTLS_VERSION_STRING; }

const char* UnsupportedGroup(Group group) {
#if !defined(MBEDTLS_ECP_DP_CURVE25519_ENABLED)
  if (group == Group::kX25519) return "X25519 is not in this configuration";
#endif
  (void)group;
  return nullptr;
}

const char* UnsupportedVersion(Protocol protocol, Version version) {
  if (protocol == Protocol::kDtls) {
#if !defined(MBEDTLS_SSL_PROTO_DTLS)
    return "this configuration is built without DTLS (MBEDTLS_SSL_PROTO_DTLS)";
#endif
    if (version == Version::k13) {
      return "Mbed TLS " MBEDTLS_VERSION_STRING
             " implements DTLS up to 1.2 (TLS 1.3 over streams only)";
    }
  }
#if !defined(MBEDTLS_SSL_PROTO_TLS1_2)
  if (version == Version::k12) {
    return "this configuration is built without (D)TLS 1.2 (MBEDTLS_SSL_PROTO_TLS1_2)";
  }
#endif
#if !defined(MBEDTLS_SSL_PROTO_TLS1_3)
  if (version == Version::k13) {
    return "this configuration is built without TLS 1.3 (MBEDTLS_SSL_PROTO_TLS1_3)";
  }
#endif
  return nullptr;
}

const char* UnsupportedPsk() {
#if !defined(MBEDTLS_KEY_EXCHANGE_PSK_ENABLED)
  return "this configuration has no (D)TLS 1.2 PSK key exchange "
         "(MBEDTLS_KEY_EXCHANGE_PSK_ENABLED)";
#else
  return nullptr;
#endif
}

bool InitLibrary(char* error, size_t size) {
  mbedtls_platform_set_calloc_free(MeteredCalloc, MeteredFree);
  mbedtls_platform_set_time(FixedTime);
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  int status = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, nullptr, 0);
  if (status != 0) {
    Fail(error, size, "random generator", status);
    return false;
  }
  // TLS 1.3 runs its cryptography through PSA.
  psa_status_t psa = psa_crypto_init();
  if (psa != PSA_SUCCESS) {
    snprintf(error, size, "psa_crypto_init: status %d", static_cast<int>(psa));
    return false;
  }
  return true;
}

std::unique_ptr<Context> NewContext(const EndpointConfig& config, char* error, size_t size) {
  auto context = std::make_unique<MbedContext>();
  if (!context->Configure(config, error, size)) return nullptr;
  return context;
}

}  // namespace mtls::mcu
