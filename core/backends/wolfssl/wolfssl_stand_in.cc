#include "wolfssl_stand_in.h"

#include <wolfssl/options.h>  // first: it carries the library's build configuration
#include <wolfssl/ssl.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "mtls/status.h"
#include "wolfssl_chain_policy.h"
#include "wolfssl_x509.h"

namespace mtls::wolfssl_stand_in {
namespace {

using wolfssl_x509::ClassifyError;
using wolfssl_x509::ErrorText;

// The server side of the exchange (the verifier for a client's chain, else the stand-in) needs a
// credential of its own to reach the Certificate message: a throwaway self-signed P-256 pair made
// for this file. Nobody verifies it (the stand-in does not verify; a verifying server's own
// certificate is not its policy).
constexpr char kServerCertificate[] = R"(-----BEGIN CERTIFICATE-----
MIIBpTCCAUugAwIBAgIUDMpmReigTnwkZbyBUk+zoj7v6YMwCgYIKoZIzj0EAwIw
JzElMCMGA1UEAwwcbXRscy1iZW5jaCBzdGFuZC1pbiB2ZXJpZmllcjAgFw0yNjEy
MDQxODIyMjZaGA8yMTI2MTExMDE4MjIyNlowJzElMCMGA1UEAwwcbXRscy1iZW5j
aCBzdGFuZC1pbiB2ZXJpZmllcjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNS3
qzGytkEewtGpHp6jHFJ31LV8gCduMYbPFi5MP8YHhrPzG6xagCFYvYI03ipNKWw5
oVHd/nYeq6STgGFF38GjUzBRMB0GA1UdDgQWBBTYDNU3LLIRRKhiiMHffc74RQ5n
IjAfBgNVHSMEGDAWgBTYDNU3LLIRRKhiiMHffc74RQ5nIjAPBgNVHRMBAf8EBTAD
AQH/MAoGCCqGSM49BAMCA0gAMEUCIQCMDhYECcENXsi/CkANIw9B+T9QrOEZP77m
r2Y8pDm8wwIgKZpNtRB2904UuI2/NwxsyhBQ8iBMrb0eUi3FleTlvnA=
-----END CERTIFICATE-----
)";
constexpr char kServerKey[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNIiBpotoXgVTgwrv
PqECxnEeDNIv/9RZwMNmi0liCGehRANCAATUt6sxsrZBHsLRqR6eoxxSd9S1fIAn
bjGGzxYuTD/GB4az8xusWoAhWL2CNN4qTSlsOaFR3f52Hqukk4BhRd/B
-----END PRIVATE KEY-----
)";

constexpr uint8_t kHandshakeRecord = 22;
constexpr uint8_t kCertificateMessage = 11;
constexpr size_t kRecordHeader = 5;
constexpr size_t kMessageHeader = 4;
constexpr size_t kMaxFragment = 16384;  // RFC 5246 6.2.1
constexpr size_t kMaxUint24 = 0xffffff;

struct CtxDeleter {
  void operator()(WOLFSSL_CTX* ctx) const { wolfSSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(WOLFSSL* ssl) const { wolfSSL_free(ssl); }
};
using CtxPtr = std::unique_ptr<WOLFSSL_CTX, CtxDeleter>;
using SslPtr = std::unique_ptr<WOLFSSL, SslDeleter>;

void AppendUint24(std::string* out, size_t value) {
  out->push_back(static_cast<char>((value >> 16) & 0xff));
  out->push_back(static_cast<char>((value >> 8) & 0xff));
  out->push_back(static_cast<char>(value & 0xff));
}

size_t Uint24At(absl::string_view bytes, size_t at) {
  return (static_cast<size_t>(static_cast<uint8_t>(bytes[at])) << 16) |
         (static_cast<size_t>(static_cast<uint8_t>(bytes[at + 1])) << 8) |
         static_cast<uint8_t>(bytes[at + 2]);
}

// RFC 5246 7.4.2: the chain as given, leaf first.
absl::StatusOr<std::string> CertificateMessage(const std::vector<std::string>& chain_der) {
  std::string list;
  for (const std::string& der : chain_der) {
    if (der.size() > kMaxUint24) {
      return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kHandshakeFailure,
                       "chain: a certificate too large for a TLS Certificate message");
    }
    AppendUint24(&list, der.size());
    list += der;
  }
  if (list.size() + 3 > kMaxUint24) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kHandshakeFailure,
                     "chain: too large for a TLS Certificate message");
  }
  std::string message(1, static_cast<char>(kCertificateMessage));
  AppendUint24(&message, list.size() + 3);
  AppendUint24(&message, list.size());
  message += list;
  return message;
}

// One direction of the in-memory connection.
struct Pipe {
  std::string bytes;
  size_t read = 0;
  bool drained() const { return read == bytes.size(); }

  static int Receive(WOLFSSL*, char* buffer, int size, void* context) {
    auto* pipe = static_cast<Pipe*>(context);
    const size_t count = std::min(pipe->bytes.size() - pipe->read, static_cast<size_t>(size));
    if (count == 0) return WOLFSSL_CBIO_ERR_WANT_READ;
    std::memcpy(buffer, pipe->bytes.data() + pipe->read, count);
    pipe->read += count;
    return static_cast<int>(count);
  }
  static int Send(WOLFSSL*, char* data, int size, void* context) {
    static_cast<Pipe*>(context)->bytes.append(data, static_cast<size_t>(size));
    return size;
  }
};

// The stand-in's records on their way to the verifier: its own Certificate message replaced by
// the chain's, and nothing delivered after it.
class Presenter {
 public:
  Presenter(std::string certificate_message, Pipe* to_verifier)
      : certificate_message_(std::move(certificate_message)), to_verifier_(to_verifier) {}

  bool presented() const { return presented_; }

  static int Send(WOLFSSL*, char* data, int size, void* context) {
    static_cast<Presenter*>(context)->Take(absl::string_view(data, static_cast<size_t>(size)));
    return size;
  }

 private:
  void Take(absl::string_view data) {
    if (presented_) return;
    pending_.append(data.data(), data.size());
    while (!presented_ && pending_.size() >= kRecordHeader) {
      const size_t length = (static_cast<size_t>(static_cast<uint8_t>(pending_[3])) << 8) |
                            static_cast<uint8_t>(pending_[4]);
      if (pending_.size() < kRecordHeader + length) return;
      const std::string record = pending_.substr(0, kRecordHeader + length);
      pending_.erase(0, kRecordHeader + length);
      Forward(record);
    }
  }

  // A plaintext record (the exchange stops before ChangeCipherSpec): handshake messages are
  // walked, everything else passes as it is.
  void Forward(const std::string& record) {
    if (static_cast<uint8_t>(record[0]) != kHandshakeRecord) {
      to_verifier_->bytes += record;
      return;
    }
    const std::string header = record.substr(0, 3);  // type and version
    std::string before;                              // this record's messages before it
    size_t at = kRecordHeader;
    while (at + kMessageHeader <= record.size()) {
      const size_t length = Uint24At(record, at + 1);
      if (static_cast<uint8_t>(record[at]) == kCertificateMessage) {
        Emit(header, before);
        for (size_t offset = 0; offset < certificate_message_.size(); offset += kMaxFragment) {
          Emit(header, absl::string_view(certificate_message_).substr(offset, kMaxFragment));
        }
        presented_ = true;
        return;
      }
      before.append(record, at, kMessageHeader + length);
      at += kMessageHeader + length;
    }
    to_verifier_->bytes += record;
  }

  void Emit(const std::string& header, absl::string_view fragment) {
    if (fragment.empty()) return;
    to_verifier_->bytes += header;
    to_verifier_->bytes.push_back(static_cast<char>(fragment.size() >> 8));
    to_verifier_->bytes.push_back(static_cast<char>(fragment.size() & 0xff));
    to_verifier_->bytes.append(fragment.data(), fragment.size());
  }

  const std::string certificate_message_;
  Pipe* to_verifier_;
  std::string pending_;
  bool presented_ = false;
};

WOLFSSL_CTX* NewContext(Role role) {
  return wolfSSL_CTX_new(role == Role::kServer ? wolfTLSv1_2_server_method()
                                               : wolfTLSv1_2_client_method());
}

absl::Status LoadServerCredential(WOLFSSL_CTX* ctx) {
  if (wolfSSL_CTX_use_certificate_buffer(ctx,
                                         reinterpret_cast<const unsigned char*>(kServerCertificate),
                                         static_cast<long>(sizeof(kServerCertificate) - 1),
                                         WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS ||
      wolfSSL_CTX_use_PrivateKey_buffer(ctx, reinterpret_cast<const unsigned char*>(kServerKey),
                                        static_cast<long>(sizeof(kServerKey) - 1),
                                        WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
    return absl::InternalError("wolfSSL refused the stand-in exchange's server credential");
  }
  return absl::OkStatus();
}

bool Blocked(WOLFSSL* ssl, int rc) {
  if (rc == WOLFSSL_SUCCESS) return false;
  const int error = wolfSSL_get_error(ssl, rc);
  return error == WOLFSSL_ERROR_WANT_READ || error == WOLFSSL_ERROR_WANT_WRITE;
}

}  // namespace

absl::Status VerifyPresented(const ChainCheck& check) {
  MTLS_ASSIGN_OR_RETURN(std::string certificate_message, CertificateMessage(check.chain_der));
  const Role verifier_role = check.peer_role == Role::kClient ? Role::kServer : Role::kClient;
  CtxPtr verifier_ctx(NewContext(verifier_role));
  CtxPtr stand_in_ctx(NewContext(check.peer_role));
  if (!verifier_ctx || !stand_in_ctx) return absl::InternalError("wolfSSL_CTX_new failed");

  wolfssl_chain::Policy policy;
  policy.own_role = verifier_role;
  policy.trust_anchors_der = &check.trust_anchors_der;
  policy.max_chain_depth = check.max_chain_depth;
  MTLS_RETURN_IF_ERROR(wolfssl_chain::ConfigureContext(verifier_ctx.get(), policy));
  wolfSSL_CTX_set_verify(stand_in_ctx.get(), WOLFSSL_VERIFY_NONE, nullptr);
  MTLS_RETURN_IF_ERROR(LoadServerCredential(verifier_role == Role::kServer ? verifier_ctx.get()
                                                                           : stand_in_ctx.get()));
  wolfSSL_CTX_SetIORecv(verifier_ctx.get(), Pipe::Receive);
  wolfSSL_CTX_SetIOSend(verifier_ctx.get(), Pipe::Send);
  wolfSSL_CTX_SetIORecv(stand_in_ctx.get(), Pipe::Receive);
  wolfSSL_CTX_SetIOSend(stand_in_ctx.get(), Presenter::Send);

  SslPtr verifier(wolfSSL_new(verifier_ctx.get()));
  SslPtr stand_in(wolfSSL_new(stand_in_ctx.get()));
  if (!verifier || !stand_in) return absl::InternalError("wolfSSL_new failed");
  wolfssl_chain::ConfigureSession(verifier.get(), check.expected_peer_name);
  Pipe to_verifier, to_stand_in;
  Presenter presenter(std::move(certificate_message), &to_verifier);
  wolfSSL_SetIOReadCtx(verifier.get(), &to_verifier);
  wolfSSL_SetIOWriteCtx(verifier.get(), &to_stand_in);
  wolfSSL_SetIOReadCtx(stand_in.get(), &to_stand_in);
  wolfSSL_SetIOWriteCtx(stand_in.get(), &presenter);

  // A TLS 1.2 handshake reaches the Certificate message in three flights at most.
  for (int round = 0; round < 8; ++round) {
    const int rc = wolfSSL_negotiate(verifier.get());
    if (!Blocked(verifier.get(), rc)) {
      const int error = wolfSSL_get_error(verifier.get(), rc);
      if (rc == WOLFSSL_SUCCESS || !presenter.presented()) {
        return MakeError(absl::StatusCode::kInternal, ErrorClass::kHandshakeFailure,
                         absl::StrCat("wolfSSL's in-memory exchange ended before the chain was "
                                      "judged: ",
                                      ErrorText(error)));
      }
      return MakeError(
          absl::StatusCode::kPermissionDenied, ClassifyError(error),
          absl::StrCat("chain rejected: ", ErrorText(error), " (wolfSSL error ", error, ")"));
    }
    // Judged and accepted: the verifier consumed the Certificate message and waits for the next.
    if (presenter.presented() && to_verifier.drained()) return absl::OkStatus();
    const int presented = wolfSSL_negotiate(stand_in.get());
    if (!Blocked(stand_in.get(), presented) && !presenter.presented()) {
      return MakeError(absl::StatusCode::kInternal, ErrorClass::kHandshakeFailure,
                       absl::StrCat("the stand-in peer failed before presenting the chain: ",
                                    ErrorText(wolfSSL_get_error(stand_in.get(), presented))));
    }
  }
  return MakeError(absl::StatusCode::kInternal, ErrorClass::kHandshakeFailure,
                   "wolfSSL's in-memory exchange did not reach the chain");
}

}  // namespace mtls::wolfssl_stand_in
