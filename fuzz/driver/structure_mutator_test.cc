// The structure-aware mutator keeps framing consistent over long mutation chains, so the
// targets' parsers see well-framed inputs with mutated contents.
#include "structure_mutator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "mtls/chain_input.h"
#include "mtls/pki.h"
#include "mtls/pki_catalog.h"

#ifndef MTLS_CORPORA_DIR
#error "the build defines MTLS_CORPORA_DIR"
#endif

namespace mtls::fuzz {
namespace {

// A stand-in for LLVMFuzzerMutate: flips, inserts or removes a few bytes.
size_t SimpleMutate(std::mt19937& random, uint8_t* data, size_t size, size_t max_size) {
  switch (random() % 3) {
    case 0:
      if (size > 0) data[random() % size] ^= static_cast<uint8_t>(1 + random() % 255);
      return size;
    case 1:
      if (size < max_size) {
        const size_t at = size == 0 ? 0 : random() % (size + 1);
        std::memmove(data + at + 1, data + at, size - at);
        data[at] = static_cast<uint8_t>(random());
        return size + 1;
      }
      return size;
    default:
      return size > 1 ? size - 1 : size;
  }
}

std::string FirstCorpusFile(const std::string& target, const std::string& contains) {
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(MTLS_CORPORA_DIR) / target)) {
    if (entry.path().filename().string().find(contains) == std::string::npos) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }
  return "";
}

class StructureMutatorTest : public ::testing::Test {
 protected:
  std::mt19937 random_{1234};
  ByteMutator bytes_ = [this](uint8_t* data, size_t size, size_t max_size) {
    return SimpleMutate(random_, data, size, max_size);
  };
};

TEST_F(StructureMutatorTest, DerStaysWellFramed) {
  std::string der = LoadRoot(DefaultPkiDir(), "ecdsa-p256")->front();
  ASSERT_TRUE(DerFramingConsistent(der));
  for (int i = 0; i < 2000; ++i) {
    MutateStructured(InputKind::kDer, der, 1 << 16, random_, bytes_);
    ASSERT_TRUE(DerFramingConsistent(der)) << "after mutation " << i;
  }
}

TEST_F(StructureMutatorTest, ChainEntriesStayWellFramed) {
  ChainInput chain{"ecdsa-p256",
                   LoadLeafCredentials(DefaultPkiDir(), "ecdsa-p256", Role::kClient, 3)->chain_der};
  std::string input = EncodeChainInput(chain);
  for (int i = 0; i < 2000; ++i) {
    MutateStructured(InputKind::kChain, input, 1 << 16, random_, bytes_);
    const ChainInput decoded =
        DecodeChainInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
    ASSERT_EQ(EncodeChainInput(decoded).substr(1), input.substr(1)) << "after mutation " << i;
    for (const std::string& der : decoded.chain_der) ASSERT_TRUE(DerFramingConsistent(der));
  }
}

TEST_F(StructureMutatorTest, HandshakeRecordsStayWellFramed) {
  // A client flight recorded in TLS 1.2: its Certificate message travels in clear.
  std::string input = FirstCorpusFile("server_mtls", "TLSv1.2-X25519-ecdsa-p256-d2");
  ASSERT_FALSE(input.empty()) << "no TLS 1.2 server_mtls seed in the corpus";
  ASSERT_TRUE(TlsFramingConsistent(input.substr(1)));
  for (int i = 0; i < 2000; ++i) {
    MutateStructured(InputKind::kHandshake, input, 1 << 16, random_, bytes_);
    ASSERT_TRUE(TlsFramingConsistent(input.substr(1))) << "after mutation " << i;
  }
}

}  // namespace
}  // namespace mtls::fuzz
