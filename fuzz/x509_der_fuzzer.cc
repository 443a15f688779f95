// Fuzz target: the backend's X.509 decoder on DER input.
#include <cstddef>
#include <cstdint>

#include "mtls/x509_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)mtls::ParseCertificateWithBackend(
      absl::string_view(reinterpret_cast<const char*>(data), size),
      mtls::CertificateEncoding::kDer);
  return 0;
}
