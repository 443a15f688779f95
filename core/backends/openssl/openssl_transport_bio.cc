#include "openssl_transport_bio.h"

#include <cstdint>

#include "absl/types/span.h"

namespace mtls::openssl_api {
namespace {

int TransportBioWrite(BIO* bio, const char* data, int length) {
  BIO_clear_retry_flags(bio);
  auto* transport = static_cast<Transport*>(BIO_get_data(bio));
  auto written = transport->Write(
      absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(length)));
  if (!written.ok()) return -1;
  if (*written == 0) {
    BIO_set_retry_write(bio);
    return -1;
  }
  return static_cast<int>(*written);
}

int TransportBioRead(BIO* bio, char* buffer, int length) {
  BIO_clear_retry_flags(bio);
  auto* transport = static_cast<Transport*>(BIO_get_data(bio));
  auto read = transport->Read(
      absl::MakeSpan(reinterpret_cast<uint8_t*>(buffer), static_cast<size_t>(length)));
  if (!read.ok()) return 0;  // end of stream
  if (*read == 0) {
    BIO_set_retry_read(bio);
    return -1;
  }
  return static_cast<int>(*read);
}

long TransportBioCtrl(BIO*, int command, long, void*) { return command == BIO_CTRL_FLUSH ? 1 : 0; }

const BIO_METHOD* TransportBioMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_TYPE_SOURCE_SINK, "mtls transport");
    BIO_meth_set_write(m, TransportBioWrite);
    BIO_meth_set_read(m, TransportBioRead);
    BIO_meth_set_ctrl(m, TransportBioCtrl);
    return m;
  }();
  return method;
}

}  // namespace

BIO* NewTransportBio(Transport& transport) {
  BIO* bio = BIO_new(TransportBioMethod());
  BIO_set_data(bio, &transport);
  BIO_set_init(bio, 1);
  return bio;
}

}  // namespace mtls::openssl_api
