#include "mtls/connection_id.h"

#include <gtest/gtest.h>

#include <vector>

namespace mtls {
namespace {

const std::vector<uint8_t> kCid = {'s', 'r', 'v', 'r'};

TEST(ConnectionIdTest, Dtls12CidRecordCarriesItAfterTheSequenceNumber) {
  // tls12_cid, DTLS 1.2, epoch 1, sequence 7, the identifier, length 2, payload.
  const std::vector<uint8_t> record = {25, 0xfe, 0xfd, 0,   1,   0, 0, 0,    0,   0,
                                       7,  's',  'r',  'v', 'r', 0, 2, 0xaa, 0xbb};
  EXPECT_TRUE(CarriesConnectionId(record, kCid));
  EXPECT_FALSE(CarriesConnectionId(record, std::vector<uint8_t>{'c', 'l', 'n', 't'}));
  std::vector<uint8_t> application_data = record;
  application_data[0] = 23;  // the same bytes in a record without an identifier
  EXPECT_FALSE(CarriesConnectionId(application_data, kCid));
}

TEST(ConnectionIdTest, Dtls13UnifiedHeaderCarriesItWhenItsCBitIsSet) {
  // 001CSLEE: C set, 16-bit sequence, length present, epoch 3.
  const std::vector<uint8_t> with_cid = {0x3f, 's', 'r', 'v', 'r', 0x12, 0x34, 0, 1, 0xaa};
  EXPECT_TRUE(CarriesConnectionId(with_cid, kCid));
  std::vector<uint8_t> without_cid = with_cid;
  without_cid[0] = 0x2f;  // C clear: the same bytes are the sequence number and length
  EXPECT_FALSE(CarriesConnectionId(without_cid, kCid));
}

TEST(ConnectionIdTest, ShortOrEmptyInputCarriesNone) {
  EXPECT_FALSE(CarriesConnectionId({}, kCid));
  EXPECT_FALSE(CarriesConnectionId(std::vector<uint8_t>{25, 0xfe, 0xfd, 0, 1}, kCid));
  EXPECT_FALSE(CarriesConnectionId(std::vector<uint8_t>{0x3f, 's', 'r'}, kCid));
  EXPECT_FALSE(CarriesConnectionId(std::vector<uint8_t>{0x3f, 's', 'r', 'v', 'r'}, {}));
  // A DTLS 1.2 handshake record (type 22) never carries one.
  EXPECT_FALSE(CarriesConnectionId(
      std::vector<uint8_t>{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 's', 'r', 'v', 'r'}, kCid));
}

}  // namespace
}  // namespace mtls
