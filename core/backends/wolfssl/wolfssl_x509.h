// wolfSSL error codes in the core's terms, shared by the handshake and the stand-alone
// certificate checks (mtls/x509_check.h).
#pragma once

#include <string>

#include "mtls/status.h"

namespace mtls::wolfssl_x509 {

std::string ErrorText(int code);
ErrorClass ClassifyError(int code);

}  // namespace mtls::wolfssl_x509
