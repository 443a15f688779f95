// Fuzz target: the project's own PEM/DER loader (every credential passes through it).
// Invariants checked beyond "no crash": a block that parses is non-empty DER, and the typed
// parsers agree with the generic one.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "mtls/pki.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto blocks = mtls::ParsePem(text, "input");
  auto certificates = mtls::ParseCertificates(text, "input");
  auto key = mtls::ParsePrivateKey(text, "input");
  if (!blocks.ok()) {
    // Whatever the generic parser rejects, the typed ones must reject too.
    if (certificates.ok() || key.ok()) std::abort();
    return 0;
  }
  for (const mtls::PemBlock& block : *blocks) {
    if (block.der.empty() || block.label.empty()) std::abort();
  }
  if (certificates.ok() && certificates->size() != blocks->size()) std::abort();
  if (key.ok() && blocks->size() != 1) std::abort();
  return 0;
}
