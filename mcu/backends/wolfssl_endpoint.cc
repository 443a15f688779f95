// wolfSSL 5.7 on the microcontroller: the firmware's Endpoint interface over wolfSSL_*, with
// the project's allocator (wolfSSL_SetAllocators) and its I/O callbacks (WOLFSSL_USER_IO); the
// clock and the fixed-seed random source are wired in by the configuration header. TLS 1.2 / 1.3
// over the byte stream, DTLS 1.2 over the datagram link (wolfssl_dtls.cc); certificates or an
// external PSK.
#include <stdio.h>
#include <string.h>

#include "endpoint.h"
#include "side_meter.h"
#include "wolfssl/error-ssl.h"
#include "wolfssl/ssl.h"
#include "wolfssl/version.h"
#include "wolfssl/wolfcrypt/error-crypt.h"
#include "wolfssl_dtls.h"

namespace mtls::mcu {
namespace {

int Send(WOLFSSL*, char* data, int size, void* end) {
  size_t n = static_cast<ByteChannel::End*>(end)->Write(reinterpret_cast<uint8_t*>(data),
                                                        static_cast<size_t>(size));
  return n == 0 ? WOLFSSL_CBIO_ERR_WANT_WRITE : static_cast<int>(n);
}

int Receive(WOLFSSL*, char* data, int size, void* end) {
  size_t n = static_cast<ByteChannel::End*>(end)->Read(reinterpret_cast<uint8_t*>(data),
                                                       static_cast<size_t>(size));
  return n == 0 ? WOLFSSL_CBIO_ERR_WANT_READ : static_cast<int>(n);
}

class WolfConnection : public Connection {
 public:
  WolfConnection(WOLFSSL* ssl, bool client) : ssl_(ssl), client_(client) {}
  ~WolfConnection() override { wolfSSL_free(ssl_); }

  Progress Step() override {
    int status = client_ ? wolfSSL_connect(ssl_) : wolfSSL_accept(ssl_);
    if (status == WOLFSSL_SUCCESS) {
      error_ = 0;
      return Progress::kDone;
    }
    error_ = wolfSSL_get_error(ssl_, status);
    if (error_ == WOLFSSL_ERROR_WANT_READ || error_ == WOLFSSL_ERROR_WANT_WRITE) {
      return Progress::kWantIo;
    }
    return Progress::kFailed;
  }

  // wolfSSL_get_peer_certificate returns a copy (wolfSSL_X509_dup) the caller frees: kept, it
  // took 2.4 KiB of heap per call from every later handshake in the same boot.
  bool HasPeerCertificate() const {
    WOLFSSL_X509* peer = wolfSSL_get_peer_certificate(ssl_);
    wolfSSL_X509_free(peer);
    return peer != nullptr;
  }

  Verdict Result() const override {
    Verdict verdict;
    verdict.library_error = error_;
    // The suite the handshake negotiated is a PSK one (PSK-AES128-GCM-SHA256): it completes only
    // when both sides proved the key (their Finished MACs).
    const char* suite = error_ == 0 ? wolfSSL_get_cipher_name(ssl_) : nullptr;
    verdict.psk = suite != nullptr && strncmp(suite, "PSK-", 4) == 0;
    // WOLFSSL_VERIFY_PEER | FAIL_IF_NO_PEER_CERT: a completed handshake verified a peer chain.
    verdict.peer_verified = error_ == 0 && (verdict.psk || HasPeerCertificate());
    if (error_ == 0) return verdict;
    switch (error_) {
      case ASN_NO_SIGNER_E:
        verdict.error_class = "untrusted_issuer";
        break;
      case EXTKEYUSE_AUTH_E:
      case KEYUSE_SIGNATURE_E:
        verdict.error_class = "bad_key_usage";
        break;
      case ASN_AFTER_DATE_E:
        verdict.error_class = "expired";
        break;
      default:
        verdict.error_class = "handshake_failure";
    }
    return verdict;
  }

 protected:
  WOLFSSL* ssl_;
  bool client_;
  int error_ = 0;
};

// TLS over the byte stream, through the context's I/O callbacks.
class StreamConnection : public WolfConnection {
 public:
  StreamConnection(WOLFSSL* ssl, ByteChannel::End end, bool client)
      : WolfConnection(ssl, client), end_(end) {
    wolfSSL_SetIOReadCtx(ssl_, &end_);
    wolfSSL_SetIOWriteCtx(ssl_, &end_);
  }

 private:
  ByteChannel::End end_;
};

// DTLS over the datagram link.
class DatagramConnection : public WolfConnection {
 public:
  DatagramConnection(WOLFSSL* ssl, DatagramChannel::End end, bool client)
      : WolfConnection(ssl, client), io_(end) {}

  bool Attach() { return io_.Attach(ssl_); }
  long RetransmissionTimeoutMs() const override { return io_.TimeoutMs(ssl_); }

 private:
  wolfssl_dtls::DatagramIo io_;
};

#if !defined(NO_PSK)
// wolfSSL's PSK callbacks: the context's Psk (wolfSSL_CTX_set_psk_callback_ctx).
const Psk& PskOf(WOLFSSL* ssl) {
  return *static_cast<const Psk*>(wolfSSL_get_psk_callback_ctx(ssl));
}

unsigned int CopyKey(const Psk& psk, unsigned char* key, unsigned int max_key) {
  if (psk.key_size > max_key) return 0;
  memcpy(key, psk.key, psk.key_size);
  return static_cast<unsigned int>(psk.key_size);
}

unsigned int ClientPsk(WOLFSSL* ssl, const char*, char* identity, unsigned int max_identity,
                       unsigned char* key, unsigned int max_key) {
  const Psk& psk = PskOf(ssl);
  size_t identity_size = strlen(psk.identity);
  if (identity_size >= max_identity) return 0;
  memcpy(identity, psk.identity, identity_size + 1);
  return CopyKey(psk, key, max_key);
}

// The server keys only our identity: any other gets no key, and wolfSSL refuses it.
unsigned int ServerPsk(WOLFSSL* ssl, const char* identity, unsigned char* key,
                       unsigned int max_key) {
  const Psk& psk = PskOf(ssl);
  return identity != nullptr && strcmp(identity, psk.identity) == 0 ? CopyKey(psk, key, max_key)
                                                                    : 0;
}
#endif

WOLFSSL_METHOD* MethodOf(const EndpointConfig& config) {
  bool client = config.role == Role::kClient;
  if (config.protocol == Protocol::kDtls) {
#if defined(WOLFSSL_DTLS)
    return client ? wolfDTLSv1_2_client_method() : wolfDTLSv1_2_server_method();
#else
    return nullptr;  // UnsupportedVersion says why
#endif
  }
  if (config.version == Version::k12) {
    return client ? wolfTLSv1_2_client_method() : wolfTLSv1_2_server_method();
  }
  return client ? wolfTLSv1_3_client_method() : wolfTLSv1_3_server_method();
}

class WolfContext : public Context {
 public:
  ~WolfContext() override { wolfSSL_CTX_free(ctx_); }

  bool Configure(const EndpointConfig& config, char* error, size_t size) {
    client_ = config.role == Role::kClient;
    datagrams_ = config.protocol == Protocol::kDtls;
    tls13_ = config.version == Version::k13;
    server_name_ = client_ ? config.server_name : nullptr;
    group_ = config.group == Group::kP256 ? WOLFSSL_ECC_SECP256R1 : WOLFSSL_ECC_X25519;
    ctx_ = wolfSSL_CTX_new(MethodOf(config));
    if (ctx_ == nullptr) {
      snprintf(error, size, "wolfSSL_CTX_new failed");
      return false;
    }
    const char* step =
        config.psk != nullptr ? ConfigurePsk(*config.psk) : ConfigureCertificates(config);
    // (D)TLS 1.2 also verifies the certificates' ECDSA on the curves of this list: P-256 joins
    // X25519 (as the host's GroupsFor does). TLS 1.3's groups are set per connection.
    if (step == nullptr && !tls13_ &&
        (wolfSSL_CTX_UseSupportedCurve(ctx_, static_cast<word16>(group_)) != WOLFSSL_SUCCESS ||
         (group_ != WOLFSSL_ECC_SECP256R1 &&
          wolfSSL_CTX_UseSupportedCurve(ctx_, WOLFSSL_ECC_SECP256R1) != WOLFSSL_SUCCESS))) {
      step = "supported groups";
    }
    if (step != nullptr) {
      snprintf(error, size, "%s: wolfSSL rejected it", step);
      return false;
    }
    wolfSSL_CTX_SetIORecv(ctx_, Receive);
    wolfSSL_CTX_SetIOSend(ctx_, Send);
    return true;
  }

  std::unique_ptr<Connection> Connect(ByteChannel::End end) override {
    if (datagrams_) return nullptr;
    WOLFSSL* ssl = wolfSSL_new(ctx_);
    if (ssl == nullptr) return nullptr;
    auto connection = std::make_unique<StreamConnection>(ssl, end, client_);
    return Prepare(ssl) ? std::move(connection) : nullptr;
  }

  std::unique_ptr<Connection> Connect(DatagramChannel::End end) override {
    if (!datagrams_) return nullptr;
    WOLFSSL* ssl = wolfSSL_new(ctx_);
    if (ssl == nullptr) return nullptr;
    auto connection = std::make_unique<DatagramConnection>(ssl, end, client_);
    return connection->Attach() && Prepare(ssl) ? std::move(connection) : nullptr;
  }

 private:
  static const unsigned char* Pem(const char* text) {
    return reinterpret_cast<const unsigned char*>(text);
  }

  // The step wolfSSL refused, or nullptr.
  const char* ConfigureCertificates(const EndpointConfig& config) {
    if (wolfSSL_CTX_load_verify_buffer(ctx_, Pem(config.trust_anchor_pem),
                                       strlen(config.trust_anchor_pem),
                                       WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
      return "trust anchor";
    }
    if (wolfSSL_CTX_use_certificate_chain_buffer(ctx_, Pem(config.chain_pem),
                                                 strlen(config.chain_pem)) != WOLFSSL_SUCCESS) {
      return "certificate chain";
    }
    if (wolfSSL_CTX_use_PrivateKey_buffer(ctx_, Pem(config.key_pem), strlen(config.key_pem),
                                          WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
      return "private key";
    }
    wolfSSL_CTX_set_verify(ctx_, WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                           nullptr);
    return nullptr;
  }

  // The (D)TLS 1.2 suite PSK-AES128-GCM-SHA256 alone; no certificates either way.
  const char* ConfigurePsk(const Psk& psk) {
#if !defined(NO_PSK)
    if (wolfSSL_CTX_set_cipher_list(ctx_, kPskSuite) != WOLFSSL_SUCCESS) return kPskSuite;
    wolfSSL_CTX_set_psk_callback_ctx(ctx_, const_cast<Psk*>(&psk));
    if (client_) {
      wolfSSL_CTX_set_psk_client_callback(ctx_, ClientPsk);
    } else {
      wolfSSL_CTX_set_verify(ctx_, WOLFSSL_VERIFY_NONE, nullptr);
      wolfSSL_CTX_set_psk_server_callback(ctx_, ServerPsk);
    }
    return nullptr;
#else
    (void)psk;
    return "external PSK";
#endif
  }

  // Per connection: TLS 1.3's group and the client's key share, the server's name to check.
  bool Prepare(WOLFSSL* ssl) {
    if (tls13_) {
      int groups[] = {group_};
      if (wolfSSL_set_groups(ssl, groups, 1) != WOLFSSL_SUCCESS) return false;
      if (client_ && wolfSSL_UseKeyShare(ssl, static_cast<word16>(group_)) != WOLFSSL_SUCCESS) {
        return false;
      }
    }
    return !client_ || wolfSSL_check_domain_name(ssl, server_name_) == WOLFSSL_SUCCESS;
  }

  static constexpr const char* kPskSuite = "PSK-AES128-GCM-SHA256";

  WOLFSSL_CTX* ctx_ = nullptr;
  bool client_ = false;
  bool datagrams_ = false;
  bool tls13_ = true;
  int group_ = 0;
  const char* server_name_ = nullptr;
};

}  // namespace

const char* LibraryName() { return "wolfssl"; }
const char* LibraryVersion() { return LIBWOLFSSL_VERSION_STRING; }

const char* UnsupportedGroup(Group) { return nullptr; }

const char* UnsupportedVersion(Protocol protocol, Version version) {
  if (protocol == Protocol::kTls) return nullptr;  // TLS 1.2 and 1.3 in every configuration
  if (const char* reason = wolfssl_dtls::UnsupportedReason()) return reason;
#if !defined(WOLFSSL_DTLS13)
  if (version == Version::k13) {
    return "this wolfSSL configuration is built without DTLS 1.3 (WOLFSSL_DTLS13)";
  }
#endif
  (void)version;
  return nullptr;
}

const char* UnsupportedPsk() {
#if defined(NO_PSK)
  return "this wolfSSL configuration is built without PSK (NO_PSK; wolfssl-cortex-m-asm-psk has "
         "it)";
#else
  return nullptr;
#endif
}

bool InitLibrary(char* error, size_t size) {
  if (wolfSSL_SetAllocators(MeteredMalloc, MeteredFree, MeteredRealloc) != 0 ||
      wolfSSL_Init() != WOLFSSL_SUCCESS) {
    snprintf(error, size, "wolfSSL_Init failed");
    return false;
  }
  return true;
}

std::unique_ptr<Context> NewContext(const EndpointConfig& config, char* error, size_t size) {
  auto context = std::make_unique<WolfContext>();
  if (!context->Configure(config, error, size)) return nullptr;
  return context;
}

}  // namespace mtls::mcu
