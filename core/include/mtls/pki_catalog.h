// The project's test PKI (corpora/pki, written by scripts/gen-pki): which files make up a scheme's
// credentials at a given chain depth.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mtls/config.h"
#include "mtls/pki.h"
#include "mtls/types.h"

namespace mtls {

// Classical certificate schemes of the test PKI: "ecdsa-p256", "ecdsa-p384", "ed25519",
// "rsa2048", "rsa3072".
const std::vector<std::string>& PkiSchemes();
// Post-quantum certificate schemes: ML-DSA (FIPS 204) "mldsa44", "mldsa65", and wolfSSL 5.7's
// pre-standard Dilithium "dilithium2", "dilithium3" (round-3 OIDs). TLS 1.3 only: no
// specification defines them in TLS 1.2.
const std::vector<std::string>& PostQuantumPkiSchemes();
bool IsPostQuantumScheme(absl::string_view scheme);
std::vector<std::string> AllPkiSchemes();               // classical, then post-quantum
absl::Status CheckPkiScheme(absl::string_view scheme);  // either kind

// The groups to offer for `key_exchange` with certificates of `scheme`: in TLS 1.2 an ECDSA
// certificate's curve must also be among the client's supported groups (RFC 8422 section 5.1).
std::vector<Group> GroupsFor(Group key_exchange, absl::string_view scheme, TlsVersion version);

// The test external PSK: identity "device-0001" and a fixed 32-byte key (test material, not a
// secret), with the given key exchange.
ExternalPsk TestPsk(PskKeyExchange key_exchange);

// The key type of the test raw public keys: the depth-1 leaves of this scheme.
inline constexpr char kRawKeyScheme[] = "ecdsa-p256";

// The test TLS-SRP account: user "device-0001" and a fixed password (test material).
SrpPassword TestSrpPassword();

// The DNS names of the test PKI's leaves: what an honest client expects of the server, and the
// name a verified client must carry.
inline constexpr char kTestServerName[] = "server.mtls.test";
inline constexpr char kTestClientName[] = "client.mtls.test";

// $MTLS_PKI_DIR if set, else the corpora/pki directory of the source tree this was built from.
std::string DefaultPkiDir();

// What fuzz targets and mtls-verify read, which may ship without the source tree (e.g. to
// ClusterFuzzLite): $MTLS_PKI_DIR if set and not empty, else a "pki" directory beside the
// running program, else DefaultPkiDir(). Decided once per process.
const std::string& ShippedPkiDir();
// The root of `scheme` in ShippedPkiDir(), read once per process; empty when it cannot be read.
const std::vector<std::string>& ShippedRoot(const std::string& scheme);

// A chain (PEM, leaf first) and its key, as paths relative to a PKI directory.
struct CredentialFiles {
  std::string chain;
  std::string key;
};
absl::StatusOr<Credentials> LoadCredentialFiles(const std::string& pki_dir,
                                                const CredentialFiles& files);

// The files of the leaf of `role` whose chain has `depth` CA certificates above it.
CredentialFiles LeafFiles(absl::string_view scheme, Role role, int depth);
// Those leaf credentials (depth 1..3).
absl::StatusOr<Credentials> LoadLeafCredentials(const std::string& pki_dir,
                                                absl::string_view scheme, Role role, int depth);
// The public key (SubjectPublicKeyInfo DER) of that leaf: what RFC 7250 sends as a raw key.
absl::StatusOr<std::string> LoadLeafPublicKey(const std::string& pki_dir, absl::string_view scheme,
                                              Role role, int depth);
// The scheme's root certificate (DER), the trust anchor for its leaves.
absl::StatusOr<std::vector<std::string>> LoadRoot(const std::string& pki_dir,
                                                  absl::string_view scheme);

}  // namespace mtls
