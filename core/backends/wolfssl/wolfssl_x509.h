// wolfSSL error codes in the core's terms, shared by the handshake and the stand-alone
// certificate checks (mtls/x509_check.h).
#pragma once

#include <string>

#include "mtls/status.h"

namespace mtls::wolfssl_x509 {

// wolfSSL_Init, once per process (X.509 parsing needs it as much as contexts do).
void EnsureLibraryInitialised();

std::string ErrorText(int code);
ErrorClass ClassifyError(int code);

}  // namespace mtls::wolfssl_x509
