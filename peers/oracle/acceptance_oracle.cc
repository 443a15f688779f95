#include "oracle/acceptance_oracle.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "mtls/status.h"
#include "oracle/certificate_fields.h"
#include "oracle/independent_verifier.h"
#include "oracle/tls12_messages.h"

namespace mtls::oracle {
namespace {

namespace type = handshake_type;

absl::Status Violation(absl::string_view what) { return absl::FailedPreconditionError(what); }

const HandshakeMessage* Find(const std::vector<HandshakeMessage>& messages, uint8_t wanted) {
  auto found = std::find_if(messages.begin(), messages.end(),
                            [&](const HandshakeMessage& m) { return m.type == wanted; });
  return found == messages.end() ? nullptr : &*found;
}

uint16_t Uint16(absl::string_view bytes, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(bytes[at]) << 8) |
                               static_cast<uint8_t>(bytes[at + 1]));
}

// A TLS 1.2 "digitally-signed" element: scheme, 16-bit length, signature; nothing after it.
struct Signed {
  uint16_t scheme = 0;
  absl::string_view signature;
};
absl::StatusOr<Signed> ReadSigned(absl::string_view bytes) {
  if (bytes.size() < 4 || Uint16(bytes, 2) != bytes.size() - 4) {
    return Violation("malformed signature element");
  }
  return Signed{Uint16(bytes, 0), bytes.substr(4)};
}

absl::Status CheckProof(const std::vector<std::string>& chain,
                        const std::vector<std::string>& anchors, int64_t unix_time,
                        absl::string_view purpose, const Signed& proof,
                        absl::string_view signed_data) {
  MTLS_RETURN_IF_ERROR(VerifyChain(chain, anchors, unix_time, purpose));
  MTLS_ASSIGN_OR_RETURN(CertificateFields leaf, ReadCertificateFields(chain.front()));
  return VerifyTlsSignature(leaf, proof.scheme, signed_data, proof.signature);
}

// The server accepted the client: ClientHello, the server's first flight up to ServerHelloDone,
// then the client's Certificate .. CertificateVerify.
absl::Status CheckClientAuthentication(const std::vector<HandshakeMessage>& client,
                                       const std::vector<HandshakeMessage>& server,
                                       const std::vector<std::string>& anchors, int64_t unix_time) {
  if (client.empty() || client.front().type != type::kClientHello) {
    return Violation("accepted a client that sent no ClientHello");
  }
  if (Find(server, type::kServerHelloDone) == nullptr) {
    // An abbreviated (resumed) handshake proves nothing on the wire; the targets' servers keep no
    // sessions, so this is out of the oracle's reach rather than a bypass.
    return absl::UnimplementedError("independent check: no full handshake from the server");
  }
  std::string transcript = client.front().encoding;
  for (const HandshakeMessage& message : server) {
    transcript += message.encoding;
    if (message.type == type::kServerHelloDone) break;
  }
  const HandshakeMessage* certificate = nullptr;
  const HandshakeMessage* verify = nullptr;
  for (size_t i = 1; i < client.size() && verify == nullptr; ++i) {
    if (client[i].type == type::kCertificateVerify) {
      verify = &client[i];
    } else {
      if (client[i].type == type::kCertificate) certificate = &client[i];
      transcript += client[i].encoding;
    }
  }
  if (certificate == nullptr) return Violation("accepted a client that sent no certificate");
  if (verify == nullptr) return Violation("accepted a client that sent no CertificateVerify");
  auto chain = CertificateList(certificate->body());
  if (!chain.ok() || chain->empty()) return Violation("accepted an empty client certificate");
  auto proof = ReadSigned(verify->body());
  if (!proof.ok()) return proof.status();
  return CheckProof(*chain, anchors, unix_time, kClientAuthOid, *proof, transcript);
}

// The client accepted the server: its chain, and the ServerKeyExchange signature over
// client_random + server_random + the ECDHE parameters.
absl::Status CheckServerAuthentication(const std::vector<HandshakeMessage>& client,
                                       const std::vector<HandshakeMessage>& server,
                                       const std::vector<std::string>& anchors, int64_t unix_time) {
  const HandshakeMessage* hello = Find(client, type::kClientHello);
  const HandshakeMessage* server_hello = Find(server, type::kServerHello);
  const HandshakeMessage* certificate = Find(server, type::kCertificate);
  const HandshakeMessage* key_exchange = Find(server, type::kServerKeyExchange);
  if (hello == nullptr || server_hello == nullptr || hello->body().size() < 34 ||
      server_hello->body().size() < 34) {
    return Violation("accepted a server without a complete hello exchange");
  }
  if (certificate == nullptr) return Violation("accepted a server that sent no certificate");
  if (key_exchange == nullptr) {
    return absl::UnimplementedError("independent check: no ServerKeyExchange (not ECDHE)");
  }
  auto chain = CertificateList(certificate->body());
  if (!chain.ok() || chain->empty()) return Violation("accepted an empty server certificate");
  // ECParameters (named curve: type 3, 16-bit curve) and the 8-bit-length point.
  const absl::string_view body = key_exchange->body();
  if (body.size() < 4 || body[0] != 3 || body.size() < 4u + static_cast<uint8_t>(body[3])) {
    return Violation("accepted a malformed ServerKeyExchange");
  }
  const size_t parameters_size = 4 + static_cast<uint8_t>(body[3]);
  auto proof = ReadSigned(body.substr(parameters_size));
  if (!proof.ok()) return proof.status();
  const std::string signed_data =
      absl::StrCat(hello->body().substr(2, 32), server_hello->body().substr(2, 32),
                   body.substr(0, parameters_size));
  return CheckProof(*chain, anchors, unix_time, kServerAuthOid, *proof, signed_data);
}

constexpr absl::string_view kP256Oid = "\x2a\x86\x48\xce\x3d\x03\x01\x07";
constexpr absl::string_view kP384Oid("\x2b\x81\x04\x00\x22", 5);  // holds a zero byte

// RFC 8446 section 4.2.3: no PKCS#1 v1.5 or SHA-1 in a CertificateVerify, and an ECDSA scheme
// names the curve of the key as well as the hash.
bool AllowedInTls13(uint16_t scheme, const CertificateFields& leaf) {
  const uint8_t hash = scheme >> 8, algorithm = scheme & 0xff;
  if (algorithm == 0x01 || hash == 0x02) return false;
  if (algorithm != 0x03) return true;
  return (scheme == sigalg::kEcdsaSecp256r1Sha256 && leaf.key_parameters == kP256Oid) ||
         (scheme == sigalg::kEcdsaSecp384r1Sha384 && leaf.key_parameters == kP384Oid);
}

}  // namespace

absl::Status CheckPeerProof(const PeerProof& proof, const std::vector<std::string>& trust_anchors,
                            int64_t unix_time, std::string* violated) {
  auto breaks = [&](absl::string_view rule, absl::string_view what) {
    if (violated != nullptr) *violated = std::string(rule);
    return Violation(what);
  };
  const bool tls13 = proof.version == TlsVersion::kTls13;
  auto chain = tls13 ? Tls13CertificateList(proof.certificate_body)
                     : CertificateList(proof.certificate_body);
  if (!chain.ok() || chain->empty()) {
    return breaks("empty-certificate", "accepted an empty or malformed Certificate");
  }
  auto leaf = ReadCertificateFields(chain->front());
  if (!leaf.ok()) return breaks("untrusted-chain", "accepted an unreadable certificate");
  if (!proof.certificate_verify_body) {
    return breaks("no-certificate-verify", "accepted a peer without CertificateVerify");
  }
  auto signed_proof = ReadSigned(*proof.certificate_verify_body);
  if (!signed_proof.ok()) {
    return breaks("foreign-key-signature", "accepted a malformed CertificateVerify");
  }
  const uint16_t scheme = signed_proof->scheme;
  const std::string scheme_name = SignatureAlgorithmName(scheme);
  if (!SchemeFitsKey(*leaf, scheme)) {
    return breaks("signature-algorithm-key-mismatch",
                  absl::StrCat("accepted a CertificateVerify labelled ", scheme_name,
                               ", which does not fit the leaf's key"));
  }
  const std::vector<uint16_t>& offered = proof.offered_signature_algorithms;
  if (std::find(offered.begin(), offered.end(), scheme) == offered.end()) {
    return breaks(
        "disallowed-signature-algorithm",
        absl::StrCat("accepted a CertificateVerify with ", scheme_name, ", which was not offered"));
  }
  if (tls13 && !AllowedInTls13(scheme, *leaf)) {
    return breaks("disallowed-signature-algorithm",
                  absl::StrCat("accepted ", scheme_name, " in a TLS 1.3 CertificateVerify"));
  }
  const absl::string_view purpose = proof.prover == Role::kClient ? kClientAuthOid : kServerAuthOid;
  absl::Status chain_verdict = VerifyChain(*chain, trust_anchors, unix_time, purpose);
  if (!chain_verdict.ok()) {
    if (absl::IsFailedPrecondition(chain_verdict)) {
      return breaks("untrusted-chain", chain_verdict.message());
    }
    return chain_verdict;
  }
  absl::Status signature =
      VerifyTlsSignature(*leaf, scheme, proof.signed_content, signed_proof->signature);
  if (absl::IsFailedPrecondition(signature)) {
    return breaks("foreign-key-signature", signature.message());
  }
  return signature;
}

absl::Status CheckPeerAuthentication(Role side, TlsVersion version, const WireBytes& wire,
                                     const std::vector<std::string>& trust_anchors,
                                     int64_t unix_time) {
  if (version != TlsVersion::kTls12) {
    return absl::UnimplementedError("independent check: TLS 1.3 authenticates inside encryption");
  }
  auto from_peer = PlaintextHandshakeMessages(wire.from_peer);
  auto from_side = PlaintextHandshakeMessages(wire.from_side);
  if (!from_peer.ok() || !from_side.ok()) {
    return Violation("completed a handshake whose plaintext messages do not parse");
  }
  absl::Status verdict =
      side == Role::kServer
          ? CheckClientAuthentication(*from_peer, *from_side, trust_anchors, unix_time)
          : CheckServerAuthentication(*from_side, *from_peer, trust_anchors, unix_time);
  if (absl::IsFailedPrecondition(verdict)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the ", RoleName(side), " completed a handshake, but independently: ", verdict.message()));
  }
  return verdict;
}

}  // namespace mtls::oracle
