// What the oracle and the attacking client share of libgcrypt: start-up, owned S-expressions,
// one-shot digests.
#pragma once

#include <gcrypt.h>

#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace mtls::oracle {

inline void InitialiseGcrypt() {
  static const bool initialised = [] {
    gcry_check_version(nullptr);
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    return true;
  }();
  (void)initialised;
}

struct SexpDeleter {
  void operator()(gcry_sexp* sexp) const { gcry_sexp_release(sexp); }
};
using Sexp = std::unique_ptr<gcry_sexp, SexpDeleter>;

// `algorithm` is a GCRY_MD_* value.
inline std::string Hash(int algorithm, absl::string_view message) {
  InitialiseGcrypt();
  std::string digest(gcry_md_get_algo_dlen(algorithm), '\0');
  gcry_md_hash_buffer(algorithm, digest.data(), message.data(), message.size());
  return digest;
}

}  // namespace mtls::oracle
