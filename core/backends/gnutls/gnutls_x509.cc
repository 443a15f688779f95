// Stand-alone certificate parsing and peer-chain verification (mtls/x509_check.h) with GnuTLS.
// The chain goes through the handshake's own verification (gnutls_chain_policy.h): a stand-in
// peer presents it in a TLS 1.2 handshake held in memory, and the verifying side runs
// gnutls_certificate_verify_peers on it under the same Policy the handshake uses, then stops.
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gnutls_chain_policy.h"
#include "gnutls_clock.h"
#include "gnutls_util.h"
#include "mtls/backend.h"
#include "mtls/determinism.h"
#include "mtls/status.h"
#include "mtls/x509_check.h"

namespace mtls {
namespace {

using gnutls_util::Datum;
using gnutls_util::LibraryError;

// Owns the certificates of one verification.
class CertificateList {
 public:
  ~CertificateList() {
    for (gnutls_x509_crt_t certificate : certificates_) gnutls_x509_crt_deinit(certificate);
  }
  absl::Status Add(const std::string& data, gnutls_x509_crt_fmt_t format) {
    gnutls_x509_crt_t certificate;
    if (int rc = gnutls_x509_crt_init(&certificate); rc < 0) return LibraryError("crt_init", rc);
    certificates_.push_back(certificate);
    gnutls_datum_t datum = Datum(data);
    if (int rc = gnutls_x509_crt_import(certificate, &datum, format); rc < 0) {
      return BadInput(absl::StrCat("not a certificate: ", gnutls_strerror(rc)));
    }
    return absl::OkStatus();
  }
  gnutls_x509_crt_t* data() { return certificates_.data(); }
  unsigned size() const { return static_cast<unsigned>(certificates_.size()); }

 private:
  std::vector<gnutls_x509_crt_t> certificates_;
};

constexpr char kPriority[] = "NORMAL:-VERS-ALL:+VERS-TLS1.2";

// One side of the in-memory exchange: a session and the bytes waiting for it.
struct Side {
  gnutls_session_t session = nullptr;
  std::string inbox;
  std::string* peer_inbox = nullptr;
  ~Side() {
    if (session != nullptr) gnutls_deinit(session);
  }
  static ssize_t Push(gnutls_transport_ptr_t self, const void* data, size_t size) {
    static_cast<Side*>(self)->peer_inbox->append(static_cast<const char*>(data), size);
    return static_cast<ssize_t>(size);
  }
  static ssize_t Pull(gnutls_transport_ptr_t self, void* buffer, size_t size) {
    auto* side = static_cast<Side*>(self);
    if (side->inbox.empty()) {
      gnutls_transport_set_errno(side->session, EAGAIN);
      return -1;
    }
    const size_t n = std::min(size, side->inbox.size());
    std::memcpy(buffer, side->inbox.data(), n);
    side->inbox.erase(0, n);
    return static_cast<ssize_t>(n);
  }
  absl::Status Open(unsigned role) {
    if (int rc = gnutls_init(&session, role | GNUTLS_NONBLOCK); rc < 0) {
      return LibraryError("gnutls_init", rc);
    }
    gnutls_transport_set_ptr(session, this);
    gnutls_transport_set_push_function(session, Push);
    gnutls_transport_set_pull_function(session, Pull);
    if (int rc = gnutls_priority_set_direct(session, kPriority, nullptr); rc < 0) {
      return LibraryError("priority", rc);
    }
    return absl::OkStatus();
  }
};

// The peer that presents the chain. It holds no private key: the verifying side judges the chain
// when the Certificate message arrives, before it would check the stand-in's signature, and stops
// there. Its key object answers what the library asks about the leaf's key and signs nothing real.
class StandIn {
 public:
  ~StandIn() {
    for (gnutls_pcert_st& certificate : chain_) gnutls_pcert_deinit(&certificate);
    if (key_ != nullptr) gnutls_privkey_deinit(key_);
    if (credentials_ != nullptr) gnutls_certificate_free_credentials(credentials_);
  }

  absl::Status Present(const std::vector<std::string>& chain_der) {
    chain_.reserve(chain_der.size());
    for (size_t i = 0; i < chain_der.size(); ++i) {
      gnutls_pcert_st certificate{};
      gnutls_datum_t der = Datum(chain_der[i]);
      if (int rc = gnutls_pcert_import_x509_raw(&certificate, &der, GNUTLS_X509_FMT_DER, 0);
          rc < 0) {
        return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kHandshakeFailure,
                         absl::StrCat("certificate ", i + 1, ": ", gnutls_strerror(rc)));
      }
      chain_.push_back(certificate);
    }
    pk_ = static_cast<gnutls_pk_algorithm_t>(
        gnutls_pubkey_get_pk_algorithm(chain_.front().pubkey, &bits_));
    if (int rc = gnutls_privkey_init(&key_); rc < 0) return LibraryError("privkey_init", rc);
    if (int rc = gnutls_privkey_import_ext4(key_, this, NoSignature, NoSignature, nullptr, nullptr,
                                            KeyInfo, 0);
        rc < 0) {
      return LibraryError("privkey_import_ext4", rc);
    }
    if (int rc = gnutls_certificate_allocate_credentials(&credentials_); rc < 0) {
      return LibraryError("allocate credentials", rc);
    }
    gnutls_certificate_set_retrieve_function2(credentials_, Retrieve);
    return absl::OkStatus();
  }

  gnutls_certificate_credentials_t credentials() const { return credentials_; }

 private:
  static int Retrieve(gnutls_session_t session, const gnutls_datum_t*, int,
                      const gnutls_pk_algorithm_t*, int, gnutls_pcert_st** chain,
                      unsigned int* length, gnutls_privkey_t* key) {
    auto* self = static_cast<StandIn*>(gnutls_session_get_ptr(session));
    *chain = self->chain_.data();
    *length = static_cast<unsigned>(self->chain_.size());
    *key = self->key_;
    return 0;
  }
  static int KeyInfo(gnutls_privkey_t, unsigned flags, void* userdata) {
    auto* self = static_cast<StandIn*>(userdata);
    if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO) return self->pk_;
    if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO_BITS) return static_cast<int>(self->bits_);
    if (flags & GNUTLS_PRIVKEY_INFO_HAVE_SIGN_ALGO) {
      const auto algorithm = static_cast<gnutls_sign_algorithm_t>(GNUTLS_FLAGS_TO_SIGN_ALGO(flags));
      return gnutls_sign_supports_pk_algorithm(algorithm, self->pk_) ? 1 : 0;
    }
    return 0;  // GNUTLS_PRIVKEY_INFO_SIGN_ALGO: no preference
  }
  static int NoSignature(gnutls_privkey_t, gnutls_sign_algorithm_t, void*, unsigned,
                         const gnutls_datum_t*, gnutls_datum_t* signature) {
    constexpr unsigned kSize = 64;  // never verified: the exchange stops at the Certificate
    signature->data = static_cast<unsigned char*>(gnutls_calloc(1, kSize));
    if (signature->data == nullptr) return GNUTLS_E_MEMORY_ERROR;
    signature->size = kSize;
    return 0;
  }

  std::vector<gnutls_pcert_st> chain_;
  gnutls_privkey_t key_ = nullptr;
  gnutls_pk_algorithm_t pk_ = GNUTLS_PK_UNKNOWN;
  unsigned bits_ = 0;
  gnutls_certificate_credentials_t credentials_ = nullptr;
};

// The verifying side: the handshake's policy, its verdict, and nothing after it.
struct Verifier {
  const gnutls_chain::Policy* policy;
  gnutls_chain::Verdict verdict;
  static int Check(gnutls_session_t session) {
    auto* self = static_cast<Verifier*>(gnutls_session_get_ptr(session));
    self->verdict = gnutls_chain::Verdict::Of(session, *self->policy);
    return GNUTLS_E_USER_ERROR;  // judged: the rest of the handshake is not needed
  }
};

absl::Status VerifyPresented(const ChainCheck& check) {
  StandIn stand_in;
  MTLS_RETURN_IF_ERROR(stand_in.Present(check.chain_der));
  const gnutls_chain::Policy policy(check.peer_role, check.expected_peer_name,
                                    check.max_chain_depth);
  gnutls_certificate_credentials_t credentials = nullptr;
  if (int rc = gnutls_certificate_allocate_credentials(&credentials); rc < 0) {
    return LibraryError("allocate credentials", rc);
  }
  struct CredentialsOwner {
    gnutls_certificate_credentials_t credentials;
    ~CredentialsOwner() { gnutls_certificate_free_credentials(credentials); }
  } owner{credentials};
  MTLS_RETURN_IF_ERROR(policy.Configure(credentials, check.trust_anchors_der));

  Side verifying, presenting;
  verifying.peer_inbox = &presenting.inbox;
  presenting.peer_inbox = &verifying.inbox;
  MTLS_RETURN_IF_ERROR(verifying.Open(GNUTLS_CLIENT));
  MTLS_RETURN_IF_ERROR(presenting.Open(GNUTLS_SERVER));
  Verifier verifier{&policy, {}};
  gnutls_session_set_ptr(verifying.session, &verifier);
  gnutls_credentials_set(verifying.session, GNUTLS_CRD_CERTIFICATE, credentials);
  gnutls_session_set_verify_function(verifying.session, Verifier::Check);
  gnutls_session_set_ptr(presenting.session, &stand_in);
  gnutls_credentials_set(presenting.session, GNUTLS_CRD_CERTIFICATE, stand_in.credentials());

  int rc = GNUTLS_E_AGAIN;
  for (int round = 0; round < 8 && !verifier.verdict.ran; ++round) {
    rc = gnutls_handshake(verifying.session);
    if (rc != GNUTLS_E_AGAIN && rc != GNUTLS_E_INTERRUPTED) break;
    const int presented = gnutls_handshake(presenting.session);
    if (presented < 0 && gnutls_error_is_fatal(presented)) {
      return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kHandshakeFailure,
                       absl::StrCat("GnuTLS cannot present this chain in a handshake: ",
                                    gnutls_strerror(presented)));
    }
  }
  if (verifier.verdict.ran) return verifier.verdict.ToStatus();
  return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kHandshakeFailure,
                   absl::StrCat("the chain was not verified: ", gnutls_strerror(rc)));
}

}  // namespace

absl::Status ParseCertificateWithBackend(absl::string_view data, CertificateEncoding encoding) {
  CertificateList list;
  return list.Add(std::string(data), encoding == CertificateEncoding::kDer ? GNUTLS_X509_FMT_DER
                                                                           : GNUTLS_X509_FMT_PEM);
}

absl::Status VerifyPeerChain(const ChainCheck& check) {
  if (check.chain_der.empty()) {
    return MakeError(absl::StatusCode::kPermissionDenied, ErrorClass::kNoPeerCertificate,
                     "empty chain");
  }
  const gnutls_clock::Scope clock(check.unix_time);  // this thread's verification only
  return VerifyPresented(check);
}

absl::Status UseDeterministicRandom() { return RequireCapability("seam:process-random"); }

// The fuzzing build's generator starts over at every draw. A fresh thread per run would instead
// leave a generator context per thread in GnuTLS's process-wide list until gnutls_global_deinit:
// memory that grows with every run, and that libFuzzer then leak-checks after every run.
bool ReplayNeedsFreshThread() { return false; }

}  // namespace mtls
