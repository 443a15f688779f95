#include "attacker/hostile_client.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "attacker/crypto.h"
#include "attacker/record_layer.h"
#include "attacker/wire.h"
#include "mtls/status.h"
#include "mtls/types.h"

namespace mtls::attacker {
namespace {

// SHA-256 of "HelloRetryRequest" (RFC 8446 section 4.1.3): a ServerHello with this random.
constexpr absl::string_view kHelloRetryRandom =
    "\xcf\x21\xad\x74\xe5\x9a\x61\x11\xbe\x1d\x8c\x02\x1e\x65\xb8\x91"
    "\xc2\xa2\x11\x16\x7a\xbb\x8c\x5e\x07\x9e\x09\xe2\xc8\xa8\x33\x9c";

absl::Status Malformed(absl::string_view what) { return attacker::Malformed("client", what); }

}  // namespace

class HostileClientSession : public Session {
 public:
  HostileClientSession(HostileClientContext& context, Transport& transport, Prover prover)
      : context_(context),
        config_(context.config_),
        records_(transport, config_.version),
        prover_(std::move(prover)) {}

  absl::StatusOr<bool> Handshake() override {
    if (!failure_.ok()) return failure_;
    absl::Status progress = Advance();
    if (!progress.ok()) failure_ = progress;
    if (!failure_.ok()) return failure_;
    return done_;
  }
  absl::Status ProcessPostHandshake() override { return absl::OkStatus(); }
  absl::StatusOr<size_t> WriteApplicationData(absl::Span<const uint8_t>) override {
    return Unsupported("the attacking client sends no application data");
  }
  absl::StatusOr<size_t> ReadApplicationData(absl::Span<uint8_t>) override {
    return Unsupported("the attacking client reads no application data");
  }
  void Close() override {}
  HandshakeResult Result() const override {
    HandshakeResult result = ResultOfSession(failure_, done_);
    result.version = config_.version;
    return result;  // never peer_verified: it does not check the server
  }

 private:
  bool tls13() const { return config_.version == TlsVersion::kTls13; }

  void AddToTranscript(absl::string_view message) { absl::StrAppend(&transcript_, message); }

  absl::Status Advance() {
    if (!hello_sent_) {
      hello_sent_ = true;
      MTLS_RETURN_IF_ERROR(SendClientHello());
    }
    while (!done_) {
      MTLS_ASSIGN_OR_RETURN(std::optional<std::string> next, records_.NextHandshakeMessage());
      if (!next) return absl::OkStatus();
      MTLS_RETURN_IF_ERROR(tls13() ? OnTls13Message(*next) : OnTls12Message(*next));
    }
    return absl::OkStatus();
  }

  absl::Status SendClientHello() {
    client_random_ = SeededBytes(config_.seed, "client random");
    MTLS_ASSIGN_OR_RETURN(public_share_, X25519(SeededBytes(config_.seed, "x25519")));
    const std::string signature_algorithms = absl::StrCat(
        Uint(sigalg::kEcdsaSecp256r1Sha256, 2), Uint(sigalg::kRsaPssRsaeSha256, 2),
        Uint(sigalg::kEd25519, 2), Uint(sigalg::kEcdsaSecp384r1Sha384, 2),
        Uint(sigalg::kRsaPssRsaeSha384, 2), tls13() ? "" : Uint(sigalg::kRsaPkcs1Sha256, 2));
    std::string extensions = absl::StrCat(
        Extension(kServerNameExtension,
                  Vector(absl::StrCat(std::string(1, '\0'), Vector("server.mtls.test", 2)), 2)),
        // TLS 1.2 servers also check the curve of their own ECDSA certificate against this list.
        Extension(kSupportedGroups,
                  Vector(absl::StrCat(Uint(kX25519, 2), tls13() ? "" : Uint(kP256, 2)), 2)),
        Extension(kSignatureAlgorithms, Vector(signature_algorithms, 2)));
    std::string suites;
    if (tls13()) {
      suites = Uint(kTlsAes128GcmSha256, 2);
      absl::StrAppend(
          &extensions, Extension(kSupportedVersions, Vector("\x03\x04", 1)),
          Extension(kKeyShare,
                    Vector(absl::StrCat(Uint(kX25519, 2), Vector(public_share_, 2)), 2)));
    } else {
      suites = absl::StrCat(Uint(kEcdheEcdsaAes128GcmSha256, 2), Uint(kEcdheRsaAes128GcmSha256, 2));
      absl::StrAppend(&extensions, Extension(kPointFormats, Vector(std::string(1, '\0'), 1)),
                      Extension(kExtendedMasterSecret, ""),
                      Extension(kRenegotiationInfo, std::string(1, '\0')));
    }
    const std::string hello = HandshakeMessage(
        message::kClientHello,
        absl::StrCat("\x03\x03", client_random_, std::string(1, '\0') /* session id */,
                     Vector(suites, 2), Vector(std::string(1, '\0'), 1), Vector(extensions, 2)));
    AddToTranscript(hello);
    return records_.Write(content_type::kHandshake, hello);
  }

  absl::Status OnServerHello(absl::string_view body) {
    Cursor hello(body);
    hello.Int(2);
    server_random_ = std::string(hello.Bytes(32));
    hello.Vec(1);
    const uint16_t suite = static_cast<uint16_t>(hello.Int(2));
    hello.Int(1);
    const auto extensions = Extensions(hello.Vec(2));
    if (!hello.ok()) return Malformed("ServerHello");
    if (server_random_ == kHelloRetryRandom) {
      return Unsupported("attacking client: the server asked for another key share");
    }
    for (const auto& [type, data] : extensions) {
      if (type == kExtendedMasterSecret) extended_master_secret_ = true;
      if (type == kKeyShare) {
        Cursor share(data);
        if (share.Int(2) != kX25519) return Malformed("key share");
        server_share_ = std::string(share.Vec(2));
      }
    }
    const bool suite_ok =
        tls13() ? suite == kTlsAes128GcmSha256
                : suite == kEcdheEcdsaAes128GcmSha256 || suite == kEcdheRsaAes128GcmSha256;
    if (!suite_ok) return Malformed("ServerHello: a cipher suite that was not offered");
    return absl::OkStatus();
  }

  // TLS 1.3 (RFC 8446 section 7.1): the handshake traffic secrets once the ServerHello is in.
  absl::Status DeriveHandshakeSecrets() {
    MTLS_ASSIGN_OR_RETURN(const std::string shared,
                          X25519(SeededBytes(config_.seed, "x25519"), server_share_));
    const std::string early = HkdfExtract("", std::string(32, '\0'));
    const std::string derived = HkdfExpandLabel(early, "derived", Sha256(""), 32);
    const std::string handshake = HkdfExtract(derived, shared);
    const std::string hash = Sha256(transcript_);
    client_handshake_secret_ = HkdfExpandLabel(handshake, "c hs traffic", hash, 32);
    const std::string server_secret = HkdfExpandLabel(handshake, "s hs traffic", hash, 32);
    records_.ProtectReads(Tls13Keys(server_secret));
    return absl::OkStatus();
  }

  static TrafficKeys Tls13Keys(absl::string_view secret) {
    return {HkdfExpandLabel(secret, "key", "", 16), HkdfExpandLabel(secret, "iv", "", 12)};
  }

  absl::Status OnCertificateRequest(absl::string_view body) {
    Cursor request(body);
    if (tls13()) {
      request.Vec(1);  // certificate_request_context
      for (const auto& [type, data] : Extensions(request.Vec(2))) {
        if (type == kSignatureAlgorithms) offered_ = SignatureAlgorithmList(Cursor(data).Vec(2));
      }
    } else {
      request.Vec(1);  // certificate types
      offered_ = SignatureAlgorithmList(request.Vec(2));
      request.Vec(2);  // certificate authorities
    }
    if (!request.ok()) return Malformed("CertificateRequest");
    certificate_requested_ = true;
    return absl::OkStatus();
  }

  absl::Status OnTls13Message(const std::string& encoding) {
    const uint8_t type = static_cast<uint8_t>(encoding[0]);
    const absl::string_view body = absl::string_view(encoding).substr(4);
    if (!server_hello_seen_) {
      if (type != message::kServerHello) return Malformed("flight: ServerHello expected");
      MTLS_RETURN_IF_ERROR(OnServerHello(body));
      if (server_share_.empty()) return Malformed("ServerHello: no key share");
      server_hello_seen_ = true;
      AddToTranscript(encoding);
      return DeriveHandshakeSecrets();
    }
    if (type == message::kCertificateRequest) MTLS_RETURN_IF_ERROR(OnCertificateRequest(body));
    AddToTranscript(encoding);
    // The server's flight ends with its Finished, which is not checked: the attacker does not
    // authenticate the server.
    if (type != message::kFinished) return absl::OkStatus();
    if (!certificate_requested_) return Malformed("flight: no CertificateRequest");
    records_.ProtectWrites(Tls13Keys(client_handshake_secret_));
    MTLS_ASSIGN_OR_RETURN(std::string flight, AuthenticationFlight());
    const std::string finished_key = HkdfExpandLabel(client_handshake_secret_, "finished", "", 32);
    const std::string finished =
        HandshakeMessage(message::kFinished, HmacSha256(finished_key, Sha256(transcript_)));
    AddToTranscript(finished);
    MTLS_RETURN_IF_ERROR(records_.Write(content_type::kHandshake, flight + finished));
    done_ = true;
    return absl::OkStatus();
  }

  absl::Status OnTls12Message(const std::string& encoding) {
    const uint8_t type = static_cast<uint8_t>(encoding[0]);
    const absl::string_view body = absl::string_view(encoding).substr(4);
    if (type == message::kFinished) {
      // The server's, after its ChangeCipherSpec: it accepted the client's flight.
      const std::string expected = Prf(master_secret_, "server finished", Sha256(transcript_), 12);
      if (body != expected) return Malformed("server Finished");
      done_ = true;
      return absl::OkStatus();
    }
    AddToTranscript(encoding);
    switch (type) {
      case message::kServerHello:
        return OnServerHello(body);
      case message::kServerKeyExchange: {
        Cursor exchange(body);
        if (exchange.Int(1) != 3 || exchange.Int(2) != kX25519) return Malformed("key exchange");
        server_share_ = std::string(exchange.Vec(1));
        return exchange.ok() ? absl::OkStatus() : Malformed("ServerKeyExchange");
      }
      case message::kCertificateRequest:
        return OnCertificateRequest(body);
      case message::kServerHelloDone:
        return SendTls12ClientFlight();
      default:
        return absl::OkStatus();
    }
  }

  absl::Status SendTls12ClientFlight() {
    if (!certificate_requested_ || server_share_.empty()) {
      return Malformed("flight: no CertificateRequest or key exchange");
    }
    // The CertificateVerify follows the ClientKeyExchange, which follows the Certificate.
    MTLS_ASSIGN_OR_RETURN(const std::string premaster,
                          X25519(SeededBytes(config_.seed, "x25519"), server_share_));
    auto exchange = [&](std::string& out) {
      const std::string key_exchange =
          HandshakeMessage(message::kClientKeyExchange, Vector(public_share_, 1));
      AddToTranscript(key_exchange);
      out += key_exchange;
      master_secret_ = extended_master_secret_
                           ? Prf(premaster, "extended master secret", Sha256(transcript_), 48)
                           : Prf(premaster, "master secret", client_random_ + server_random_, 48);
    };
    MTLS_ASSIGN_OR_RETURN(const std::string flight, AuthenticationFlight(exchange));
    MTLS_RETURN_IF_ERROR(records_.Write(content_type::kHandshake, flight));
    MTLS_RETURN_IF_ERROR(records_.Write(content_type::kChangeCipherSpec, "\x01"));
    const std::string keys =
        Prf(master_secret_, "key expansion", server_random_ + client_random_, 40);
    records_.ProtectWrites({keys.substr(0, 16), keys.substr(32, 4)});
    records_.ProtectReads({keys.substr(16, 16), keys.substr(36, 4)});
    const std::string finished = HandshakeMessage(
        message::kFinished, Prf(master_secret_, "client finished", Sha256(transcript_), 12));
    AddToTranscript(finished);
    return records_.Write(content_type::kHandshake, finished);
  }

  // Certificate, [what `between` adds], CertificateVerify, recorded as the context's evidence.
  absl::StatusOr<std::string> AuthenticationFlight(
      const std::function<void(std::string&)>& between = nullptr) {
    oracle::PeerProof evidence;
    MTLS_ASSIGN_OR_RETURN(std::string flight,
                          prover_.Flight(transcript_, offered_, evidence, between));
    context_.evidence_ = std::move(evidence);
    return flight;
  }

  HostileClientContext& context_;
  const AttackerConfig& config_;
  RecordLayer records_;
  Prover prover_;
  absl::Status failure_;
  bool hello_sent_ = false, server_hello_seen_ = false, certificate_requested_ = false;
  bool extended_master_secret_ = false, done_ = false;
  std::string transcript_, client_random_, server_random_, public_share_, server_share_;
  std::string client_handshake_secret_, master_secret_;
  std::vector<uint16_t> offered_;
};

absl::StatusOr<std::unique_ptr<HostileClientContext>> HostileClientContext::Create(
    AttackerConfig config) {
  auto context = std::unique_ptr<HostileClientContext>(new HostileClientContext());
  context->config_ = std::move(config);
  MTLS_RETURN_IF_ERROR(Prover::Create(context->config_, Role::kClient).status());
  context->endpoint_config_.role = Role::kClient;
  context->endpoint_config_.min_version = context->endpoint_config_.max_version =
      context->config_.version;
  return context;
}

absl::StatusOr<std::unique_ptr<Session>> HostileClientContext::NewSession(Transport& transport) {
  evidence_.reset();
  MTLS_ASSIGN_OR_RETURN(Prover prover, Prover::Create(config_, Role::kClient));
  return std::make_unique<HostileClientSession>(*this, transport, std::move(prover));
}

}  // namespace mtls::attacker
