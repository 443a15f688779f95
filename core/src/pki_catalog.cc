#include "mtls/pki_catalog.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mtls/status.h"
#include "mtls/x509_identity.h"

#ifndef MTLS_SOURCE_PKI_DIR
#error "the build defines MTLS_SOURCE_PKI_DIR"
#endif

namespace mtls {

const std::vector<std::string>& PkiSchemes() {
  static const std::vector<std::string> schemes = {"ecdsa-p256", "ecdsa-p384", "ed25519", "rsa2048",
                                                   "rsa3072"};
  return schemes;
}

const std::vector<std::string>& PostQuantumPkiSchemes() {
  static const std::vector<std::string> schemes = {"mldsa44", "mldsa65", "dilithium2",
                                                   "dilithium3"};
  return schemes;
}

bool IsPostQuantumScheme(absl::string_view scheme) {
  const auto& schemes = PostQuantumPkiSchemes();
  return std::find(schemes.begin(), schemes.end(), scheme) != schemes.end();
}

std::vector<std::string> AllPkiSchemes() {
  std::vector<std::string> schemes = PkiSchemes();
  schemes.insert(schemes.end(), PostQuantumPkiSchemes().begin(), PostQuantumPkiSchemes().end());
  return schemes;
}

absl::Status CheckPkiScheme(absl::string_view scheme) {
  const auto& schemes = PkiSchemes();
  if (std::find(schemes.begin(), schemes.end(), scheme) != schemes.end() ||
      IsPostQuantumScheme(scheme)) {
    return absl::OkStatus();
  }
  return BadInput(absl::StrCat("unknown scheme '", scheme, "' (expected one of ",
                               absl::StrJoin(schemes, ", "), ", ",
                               absl::StrJoin(PostQuantumPkiSchemes(), ", "), ")"));
}

std::vector<Group> GroupsFor(Group key_exchange, absl::string_view scheme, TlsVersion version) {
  std::vector<Group> groups = {key_exchange};
  if (version != TlsVersion::kTls12) return groups;
  std::optional<Group> curve;
  if (scheme == "ecdsa-p256") curve = Group::kP256;
  if (scheme == "ecdsa-p384") curve = Group::kP384;
  if (curve && *curve != key_exchange) groups.push_back(*curve);
  return groups;
}

ExternalPsk TestPsk(PskKeyExchange key_exchange) {
  ExternalPsk psk;
  psk.identity = "device-0001";
  for (int i = 0; i < 32; ++i) psk.key.push_back(static_cast<char>(0xa0 + i));
  psk.key_exchange = key_exchange;
  return psk;
}

SrpPassword TestSrpPassword() { return {"device-0001", "correct horse battery staple"}; }

std::string DefaultPkiDir() {
  const char* from_environment = std::getenv("MTLS_PKI_DIR");
  return from_environment != nullptr ? from_environment : MTLS_SOURCE_PKI_DIR;
}

namespace {

std::string FindShippedPkiDir() {
  if (const char* from_environment = std::getenv("MTLS_PKI_DIR");
      from_environment != nullptr && *from_environment != '\0') {
    return from_environment;
  }
  std::error_code error;
  const auto beside = std::filesystem::read_symlink("/proc/self/exe", error).parent_path() / "pki";
  if (!error && std::filesystem::is_directory(beside)) return beside.string();
  return DefaultPkiDir();
}

}  // namespace

const std::string& ShippedPkiDir() {
  static const auto* dir = new std::string(FindShippedPkiDir());
  return *dir;
}

const std::vector<std::string>& ShippedRoot(const std::string& scheme) {
  static std::mutex mutex;
  static auto* roots = new std::map<std::string, std::vector<std::string>>();
  const std::lock_guard<std::mutex> lock(mutex);
  auto [slot, inserted] = roots->try_emplace(scheme);
  if (inserted) {
    auto root = LoadRoot(ShippedPkiDir(), scheme);
    if (root.ok()) slot->second = *std::move(root);
  }
  return slot->second;
}

absl::StatusOr<Credentials> LoadCredentialFiles(const std::string& pki_dir,
                                                const CredentialFiles& files) {
  return LoadCredentials(absl::StrCat(pki_dir, "/", files.chain),
                         absl::StrCat(pki_dir, "/", files.key));
}

namespace {

constexpr char kChainSuffix[] = ".chain.pem";
constexpr char kKeySuffix[] = ".key";

// "<dir>/<scheme>/<role>-d<depth>" (no "<dir>/" when `dir` is empty): the leaf's files less
// their suffixes.
std::string LeafStem(absl::string_view dir, absl::string_view scheme, Role role, int depth) {
  if (dir.empty()) return absl::StrCat(scheme, "/", RoleName(role), "-d", depth);
  return absl::StrCat(dir, "/", scheme, "/", RoleName(role), "-d", depth);
}

}  // namespace

CredentialFiles LeafFiles(absl::string_view scheme, Role role, int depth) {
  const std::string stem = LeafStem("", scheme, role, depth);
  return {stem + kChainSuffix, stem + kKeySuffix};
}

absl::StatusOr<Credentials> LoadLeafCredentials(const std::string& pki_dir,
                                                absl::string_view scheme, Role role, int depth) {
  MTLS_RETURN_IF_ERROR(CheckPkiScheme(scheme));
  if (depth < 1 || depth > 3) return BadInput(absl::StrCat("chain depth ", depth, " not in 1..3"));
  const std::string stem = LeafStem(pki_dir, scheme, role, depth);
  return LoadCredentials(stem + kChainSuffix, stem + kKeySuffix);
}

absl::StatusOr<std::string> LoadLeafPublicKey(const std::string& pki_dir, absl::string_view scheme,
                                              Role role, int depth) {
  auto credentials = LoadLeafCredentials(pki_dir, scheme, role, depth);
  if (!credentials.ok()) return credentials.status();
  return CertificateSpki(credentials->chain_der.front());
}

absl::StatusOr<std::vector<std::string>> LoadRoot(const std::string& pki_dir,
                                                  absl::string_view scheme) {
  MTLS_RETURN_IF_ERROR(CheckPkiScheme(scheme));
  return LoadCertificates(absl::StrCat(pki_dir, "/", scheme, "/root.crt"));
}

}  // namespace mtls
