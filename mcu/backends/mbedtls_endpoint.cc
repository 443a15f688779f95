// Mbed TLS 3.6 on the microcontroller: the firmware's Endpoint interface over mbedtls_ssl_*,
// with the project's allocator, clock and fixed-seed entropy behind Mbed TLS's platform hooks.
#include <stdio.h>
#include <string.h>

#include "endpoint.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/platform.h"
#include "mbedtls/platform_time.h"
#include "mbedtls/ssl.h"
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

class MbedConnection : public Connection {
 public:
  MbedConnection(ByteChannel::End end) : end_(end) { mbedtls_ssl_init(&ssl_); }
  ~MbedConnection() override { mbedtls_ssl_free(&ssl_); }

  int Setup(const mbedtls_ssl_config* config, const char* server_name) {
    int status = mbedtls_ssl_setup(&ssl_, config);
    if (status == 0 && server_name != nullptr)
      status = mbedtls_ssl_set_hostname(&ssl_, server_name);
    mbedtls_ssl_set_bio(&ssl_, &end_, Send, Receive, nullptr);
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
    verdict.peer_verified =
        status_ == 0 && flags == 0 && mbedtls_ssl_get_peer_cert(&ssl_) != nullptr;
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

 private:
  ByteChannel::End end_;
  mbedtls_ssl_context ssl_;
  int status_ = 0;
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
    server_name_ = config.role == Role::kClient ? config.server_name : nullptr;
    int endpoint = config.role == Role::kClient ? MBEDTLS_SSL_IS_CLIENT : MBEDTLS_SSL_IS_SERVER;
    groups_[0] = config.group == Group::kP256 ? MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1
                                              : MBEDTLS_SSL_IANA_TLS_GROUP_X25519;
    groups_[1] = MBEDTLS_SSL_IANA_TLS_GROUP_NONE;
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
    } else if ((status =
                    mbedtls_ssl_config_defaults(&config_, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM,
                                                MBEDTLS_SSL_PRESET_DEFAULT)) != 0) {
      Fail(error, size, "configuration defaults", status);
    } else if ((status = mbedtls_ssl_conf_own_cert(&config_, &chain_, &key_)) != 0) {
      Fail(error, size, "own certificate", status);
    }
    if (status != 0) return false;
    mbedtls_ssl_conf_rng(&config_, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_conf_ca_chain(&config_, &anchor_, nullptr);
    mbedtls_ssl_conf_authmode(&config_, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_min_tls_version(&config_, MBEDTLS_SSL_VERSION_TLS1_3);
    mbedtls_ssl_conf_max_tls_version(&config_, MBEDTLS_SSL_VERSION_TLS1_3);
    mbedtls_ssl_conf_groups(&config_, groups_);
    return true;
  }

  std::unique_ptr<Connection> Connect(ByteChannel::End end) override {
    auto connection = std::make_unique<MbedConnection>(end);
    if (connection->Setup(&config_, server_name_) != 0) return nullptr;
    return connection;
  }

 private:
  static const unsigned char* Pem(const char* text) {
    return reinterpret_cast<const unsigned char*>(text);
  }

  mbedtls_ssl_config config_;
  mbedtls_x509_crt anchor_, chain_;
  mbedtls_pk_context key_;
  uint16_t groups_[2];
  const char* server_name_ = nullptr;
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
