#include "attacker/hostile_server.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "attacker/crypto.h"
#include "attacker/record_layer.h"
#include "attacker/wire.h"
#include "mtls/status.h"

namespace mtls::attacker {
namespace {

absl::Status Malformed(absl::string_view what) { return attacker::Malformed("server", what); }

TrafficKeys Tls13Keys(absl::string_view secret) {
  return {HkdfExpandLabel(secret, "key", "", 16), HkdfExpandLabel(secret, "iv", "", 12)};
}

}  // namespace

class HostileServerSession : public Session {
 public:
  HostileServerSession(HostileServerContext& context, Transport& transport, Prover prover)
      : context_(context),
        config_(context.config_),
        records_(transport, TlsVersion::kTls13),
        prover_(std::move(prover)) {}

  // Done once its whole flight is out: what the client then sends is not its concern.
  absl::StatusOr<bool> Handshake() override {
    if (!failure_.ok()) return failure_;
    if (done_) return true;
    auto hello = records_.NextHandshakeMessage();
    if (hello.ok() && !*hello) return false;
    absl::Status status = hello.ok() ? Respond(**hello) : hello.status();
    if (!status.ok()) {
      failure_ = status;
      return failure_;
    }
    done_ = true;
    return true;
  }
  absl::Status ProcessPostHandshake() override { return absl::OkStatus(); }
  absl::StatusOr<size_t> WriteApplicationData(absl::Span<const uint8_t>) override {
    return Unsupported("the attacking server sends no application data");
  }
  absl::StatusOr<size_t> ReadApplicationData(absl::Span<uint8_t>) override {
    return Unsupported("the attacking server reads no application data");
  }
  void Close() override {}
  HandshakeResult Result() const override {
    HandshakeResult result = ResultOfSession(failure_, done_);
    result.version = TlsVersion::kTls13;
    return result;  // never peer_verified: it does not check the client
  }

 private:
  // ClientHello in; ServerHello, then under the handshake keys EncryptedExtensions,
  // CertificateRequest, Certificate, CertificateVerify (as misbehaving as configured), Finished.
  absl::Status Respond(const std::string& hello) {
    if (static_cast<uint8_t>(hello[0]) != message::kClientHello) {
      return Malformed("flight: ClientHello expected");
    }
    Cursor fields(absl::string_view(hello).substr(4));
    fields.Int(2);
    fields.Bytes(32);  // client random
    const std::string session_id(fields.Vec(1));
    const absl::string_view suites = fields.Vec(2);
    fields.Vec(1);
    const auto extensions = Extensions(fields.Vec(2));
    if (!fields.ok()) return Malformed("ClientHello");
    bool tls13 = false, aes128 = false;
    std::string client_share;
    std::vector<uint16_t> offered;
    for (Cursor list(suites); !list.empty() && list.ok();)
      aes128 |= list.Int(2) == kTlsAes128GcmSha256;
    for (const auto& [type, data] : extensions) {
      Cursor cursor(data);
      if (type == kSupportedVersions) {
        for (Cursor versions(cursor.Vec(1)); !versions.empty() && versions.ok();) {
          tls13 |= versions.Int(2) == 0x0304;
        }
      } else if (type == kKeyShare) {
        for (Cursor shares(cursor.Vec(2)); !shares.empty() && shares.ok();) {
          const uint32_t group = shares.Int(2);
          const absl::string_view key = shares.Vec(2);
          if (group == kX25519) client_share = std::string(key);
        }
      } else if (type == kSignatureAlgorithms) {
        offered = SignatureAlgorithmList(cursor.Vec(2));
      }
    }
    if (!tls13 || !aes128 || client_share.empty()) {
      return Unsupported(
          "attacking server: the client offers no TLS 1.3 with TLS_AES_128_GCM_SHA256 and an "
          "X25519 key share");
    }
    std::string transcript = hello;
    const std::string private_share = SeededBytes(config_.seed, "server x25519");
    MTLS_ASSIGN_OR_RETURN(const std::string public_share, X25519(private_share));
    MTLS_ASSIGN_OR_RETURN(const std::string shared, X25519(private_share, client_share));
    const std::string server_hello = HandshakeMessage(
        message::kServerHello,
        absl::StrCat(
            "\x03\x03", SeededBytes(config_.seed, "server random"), Vector(session_id, 1),
            Uint(kTlsAes128GcmSha256, 2), std::string(1, '\0'),
            Vector(absl::StrCat(Extension(kSupportedVersions, "\x03\x04"),
                                Extension(kKeyShare,
                                          absl::StrCat(Uint(kX25519, 2), Vector(public_share, 2)))),
                   2)));
    transcript += server_hello;
    MTLS_RETURN_IF_ERROR(records_.Write(content_type::kHandshake, server_hello));

    // RFC 8446 section 7.1: the handshake traffic secrets.
    const std::string early = HkdfExtract("", std::string(32, '\0'));
    const std::string handshake =
        HkdfExtract(HkdfExpandLabel(early, "derived", Sha256(""), 32), shared);
    const std::string hash = Sha256(transcript);
    const std::string server_secret = HkdfExpandLabel(handshake, "s hs traffic", hash, 32);
    records_.ProtectWrites(Tls13Keys(server_secret));
    records_.ProtectReads(Tls13Keys(HkdfExpandLabel(handshake, "c hs traffic", hash, 32)));

    const std::string signature_algorithms =
        absl::StrCat(Uint(sigalg::kEcdsaSecp256r1Sha256, 2), Uint(sigalg::kRsaPssRsaeSha256, 2),
                     Uint(sigalg::kEd25519, 2));
    std::string flight = absl::StrCat(
        HandshakeMessage(message::kEncryptedExtensions, Vector("", 2)),
        HandshakeMessage(
            message::kCertificateRequest,
            absl::StrCat(
                Vector("", 1),
                Vector(Extension(kSignatureAlgorithms, Vector(signature_algorithms, 2)), 2))));
    transcript += flight;
    oracle::PeerProof evidence;
    MTLS_ASSIGN_OR_RETURN(const std::string proof, prover_.Flight(transcript, offered, evidence));
    context_.evidence_ = std::move(evidence);
    flight += proof;
    const std::string finished_key = HkdfExpandLabel(server_secret, "finished", "", 32);
    const std::string finished =
        HandshakeMessage(message::kFinished, HmacSha256(finished_key, Sha256(transcript)));
    flight += finished;
    return records_.Write(content_type::kHandshake, flight);
  }

  HostileServerContext& context_;
  const AttackerConfig& config_;
  RecordLayer records_;
  Prover prover_;
  absl::Status failure_;
  bool done_ = false;
};

absl::StatusOr<std::unique_ptr<HostileServerContext>> HostileServerContext::Create(
    AttackerConfig config) {
  if (config.version != TlsVersion::kTls13) {
    return Unsupported("the attacking server speaks TLS 1.3 only");
  }
  auto context = std::unique_ptr<HostileServerContext>(new HostileServerContext());
  context->config_ = std::move(config);
  MTLS_RETURN_IF_ERROR(Prover::Create(context->config_, Role::kServer).status());
  context->endpoint_config_.role = Role::kServer;
  context->endpoint_config_.min_version = context->endpoint_config_.max_version =
      TlsVersion::kTls13;
  return context;
}

absl::StatusOr<std::unique_ptr<Session>> HostileServerContext::NewSession(Transport& transport) {
  evidence_.reset();
  MTLS_ASSIGN_OR_RETURN(Prover prover, Prover::Create(config_, Role::kServer));
  return std::make_unique<HostileServerSession>(*this, transport, std::move(prover));
}

}  // namespace mtls::attacker
