// The reference loop (mtls/reference_loop.h) in plain OpenSSL API calls, for OpenSSL and
// BoringSSL: contexts from PEM files with the library's own loaders, the same settings the
// adapter uses (no automatic chain building, no tickets, peer verification both ways), and a
// loop over a BIO pair.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "absl/strings/str_cat.h"
#include "mtls/reference_loop.h"
#include "mtls/status.h"

namespace mtls {
namespace {

absl::Status LibraryError(absl::string_view what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  char text[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, text, sizeof(text));
  return absl::InternalError(absl::StrCat("reference loop: ", what, ": ", text));
}

class OpensslReferenceLoop : public ReferenceLoop {
 public:
  ~OpensslReferenceLoop() override {
    SSL_CTX_free(client_ctx_);
    SSL_CTX_free(server_ctx_);
  }

  absl::Status Init(const ReferenceLoopSetup& setup) {
    client_ctx_ = SSL_CTX_new(TLS_method());
    server_ctx_ = SSL_CTX_new(TLS_method());
    if (client_ctx_ == nullptr || server_ctx_ == nullptr) return LibraryError("SSL_CTX_new");
    const int version = setup.version == TlsVersion::kTls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
    std::string groups;
    for (Group group : setup.groups)
      absl::StrAppend(&groups, groups.empty() ? "" : ":", GroupName(group));
    struct Side {
      SSL_CTX* ctx;
      const std::string& chain;
      const std::string& key;
      int verify;
    };
    for (const Side& side :
         {Side{client_ctx_, setup.client_chain_file, setup.client_key_file, SSL_VERIFY_PEER},
          Side{server_ctx_, setup.server_chain_file, setup.server_key_file,
               SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT}}) {
      SSL_CTX_set_min_proto_version(side.ctx, version);
      SSL_CTX_set_max_proto_version(side.ctx, version);
#if defined(SSL_MODE_NO_AUTO_CHAIN)
      SSL_CTX_set_mode(side.ctx, SSL_MODE_NO_AUTO_CHAIN);
#endif
      SSL_CTX_set_session_cache_mode(side.ctx, SSL_SESS_CACHE_OFF);
      SSL_CTX_set_options(side.ctx, SSL_OP_NO_TICKET);
#if defined(SSL_OP_NO_TX_CERTIFICATE_COMPRESSION)
      // OpenSSL 3.5 built with zlib, brotli or zstd compresses every TLS 1.3 Certificate by
      // default, afresh per connection; the harness's case sends it uncompressed.
      SSL_CTX_set_options(
          side.ctx, SSL_OP_NO_TX_CERTIFICATE_COMPRESSION | SSL_OP_NO_RX_CERTIFICATE_COMPRESSION);
#endif
      SSL_CTX_set_num_tickets(side.ctx, 0);
      SSL_CTX_set_verify(side.ctx, side.verify, nullptr);
      if (SSL_CTX_use_certificate_chain_file(side.ctx, side.chain.c_str()) != 1 ||
          SSL_CTX_use_PrivateKey_file(side.ctx, side.key.c_str(), SSL_FILETYPE_PEM) != 1 ||
          SSL_CTX_load_verify_locations(side.ctx, setup.trust_anchor_file.c_str(), nullptr) != 1 ||
          SSL_CTX_set1_curves_list(side.ctx, groups.c_str()) != 1) {
        return LibraryError("context setup");
      }
    }
    X509_VERIFY_PARAM_set1_host(SSL_CTX_get0_param(client_ctx_), setup.server_name.data(),
                                setup.server_name.size());
    return absl::OkStatus();
  }

  absl::Status RunOnce() override {
    SSL* client = SSL_new(client_ctx_);
    SSL* server = SSL_new(server_ctx_);
    BIO* client_bio = nullptr;
    BIO* server_bio = nullptr;
    BIO_new_bio_pair(&client_bio, 0, &server_bio, 0);
    SSL_set_bio(client, client_bio, client_bio);
    SSL_set_bio(server, server_bio, server_bio);
    SSL_set_connect_state(client);
    SSL_set_accept_state(server);
    bool client_done = false;
    bool server_done = false;
    bool failed = false;
    for (int round = 0; round < 32 && !(client_done && server_done) && !failed; ++round) {
      if (!client_done) Advance(client, &client_done, &failed);
      if (!server_done) Advance(server, &server_done, &failed);
    }
    const bool verified =
        client_done && server_done && SSL_get_verify_result(client) == X509_V_OK &&
        SSL_get_verify_result(server) == X509_V_OK && HasPeer(client) && HasPeer(server);
    if (client_done && server_done) {
      SSL_shutdown(client);
      SSL_shutdown(server);
    }
    SSL_free(client);
    SSL_free(server);
    if (!verified) return LibraryError("handshake did not verify both peers");
    return absl::OkStatus();
  }

 private:
  static void Advance(SSL* ssl, bool* done, bool* failed) {
    const int rc = SSL_do_handshake(ssl);
    if (rc == 1) {
      *done = true;
      return;
    }
    const int error = SSL_get_error(ssl, rc);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) *failed = true;
  }

  static bool HasPeer(SSL* ssl) {
#if defined(OPENSSL_IS_BORINGSSL)
    X509* peer = SSL_get_peer_certificate(ssl);
#else
    X509* peer = SSL_get1_peer_certificate(ssl);
#endif
    X509_free(peer);
    return peer != nullptr;
  }

  SSL_CTX* client_ctx_ = nullptr;
  SSL_CTX* server_ctx_ = nullptr;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ReferenceLoop>> MakeReferenceLoop(const ReferenceLoopSetup& setup) {
  auto loop = std::make_unique<OpensslReferenceLoop>();
  if (absl::Status status = loop->Init(setup); !status.ok()) return status;
  if (absl::Status status = loop->RunOnce(); !status.ok()) return status;
  return std::unique_ptr<ReferenceLoop>(std::move(loop));
}

}  // namespace mtls
