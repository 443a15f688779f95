// wolfSSL 5.7 on the microcontroller: the firmware's Endpoint interface over wolfSSL_*, with
// the project's allocator (wolfSSL_SetAllocators) and its I/O callbacks (WOLFSSL_USER_IO); the
// clock and the fixed-seed random source are wired in by the configuration header.
#include <stdio.h>
#include <string.h>

#include "endpoint.h"
#include "side_meter.h"
#include "wolfssl/error-ssl.h"
#include "wolfssl/ssl.h"
#include "wolfssl/version.h"
#include "wolfssl/wolfcrypt/error-crypt.h"

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
  WolfConnection(WOLFSSL* ssl, ByteChannel::End end, bool client)
      : ssl_(ssl), end_(end), client_(client) {
    wolfSSL_SetIOReadCtx(ssl_, &end_);
    wolfSSL_SetIOWriteCtx(ssl_, &end_);
  }
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

  Verdict Result() const override {
    Verdict verdict;
    verdict.library_error = error_;
    // WOLFSSL_VERIFY_PEER | FAIL_IF_NO_PEER_CERT: a completed handshake verified a peer chain.
    verdict.peer_verified = error_ == 0 && wolfSSL_get_peer_certificate(ssl_) != nullptr;
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

 private:
  WOLFSSL* ssl_;
  ByteChannel::End end_;
  bool client_;
  int error_ = 0;
};

class WolfContext : public Context {
 public:
  ~WolfContext() override { wolfSSL_CTX_free(ctx_); }

  bool Configure(const EndpointConfig& config, char* error, size_t size) {
    client_ = config.role == Role::kClient;
    server_name_ = client_ ? config.server_name : nullptr;
    group_ = config.group == Group::kP256 ? WOLFSSL_ECC_SECP256R1 : WOLFSSL_ECC_X25519;
    ctx_ = wolfSSL_CTX_new(client_ ? wolfTLSv1_3_client_method() : wolfTLSv1_3_server_method());
    if (ctx_ == nullptr) {
      snprintf(error, size, "wolfSSL_CTX_new failed");
      return false;
    }
    const char* step = nullptr;
    if (wolfSSL_CTX_load_verify_buffer(ctx_, Pem(config.trust_anchor_pem),
                                       strlen(config.trust_anchor_pem),
                                       WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
      step = "trust anchor";
    } else if (wolfSSL_CTX_use_certificate_chain_buffer(
                   ctx_, Pem(config.chain_pem), strlen(config.chain_pem)) != WOLFSSL_SUCCESS) {
      step = "certificate chain";
    } else if (wolfSSL_CTX_use_PrivateKey_buffer(ctx_, Pem(config.key_pem), strlen(config.key_pem),
                                                 WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
      step = "private key";
    }
    if (step != nullptr) {
      snprintf(error, size, "%s: wolfSSL rejected it", step);
      return false;
    }
    wolfSSL_CTX_set_verify(ctx_, WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                           nullptr);
    wolfSSL_CTX_SetIORecv(ctx_, Receive);
    wolfSSL_CTX_SetIOSend(ctx_, Send);
    return true;
  }

  std::unique_ptr<Connection> Connect(ByteChannel::End end) override {
    WOLFSSL* ssl = wolfSSL_new(ctx_);
    if (ssl == nullptr) return nullptr;
    auto connection = std::make_unique<WolfConnection>(ssl, end, client_);
    int groups[] = {group_};
    if (wolfSSL_set_groups(ssl, groups, 1) != WOLFSSL_SUCCESS) return nullptr;
    if (client_ && (wolfSSL_UseKeyShare(ssl, static_cast<word16>(group_)) != WOLFSSL_SUCCESS ||
                    wolfSSL_check_domain_name(ssl, server_name_) != WOLFSSL_SUCCESS)) {
      return nullptr;
    }
    return connection;
  }

 private:
  static const unsigned char* Pem(const char* text) {
    return reinterpret_cast<const unsigned char*>(text);
  }

  WOLFSSL_CTX* ctx_ = nullptr;
  bool client_ = false;
  int group_ = 0;
  const char* server_name_ = nullptr;
};

}  // namespace

const char* LibraryName() { return "wolfssl"; }
const char* LibraryVersion() { return LIBWOLFSSL_VERSION_STRING; }

const char* UnsupportedGroup(Group) { return nullptr; }

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
