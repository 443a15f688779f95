#include "structure_mutator.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "handshake_options.h"
#include "mtls/chain_input.h"

namespace mtls::fuzz {
namespace {

// ---- DER ------------------------------------------------------------------------------------

struct DerNode {
  uint8_t tag = 0;
  std::string value;              // primitive: the content octets
  std::vector<DerNode> children;  // constructed: the parsed content
  bool constructed() const { return tag & 0x20; }
};

constexpr int kMaxDerDepth = 32;

// One TLV at `at` (single-byte tags, definite lengths up to 4 bytes); advances `at`.
std::optional<DerNode> ParseNode(const std::string& der, size_t& at, int depth) {
  if (depth > kMaxDerDepth || at + 2 > der.size()) return std::nullopt;
  DerNode node;
  node.tag = static_cast<uint8_t>(der[at]);
  if ((node.tag & 0x1f) == 0x1f) return std::nullopt;  // multi-byte tags: not handled
  size_t length = static_cast<uint8_t>(der[at + 1]);
  size_t header = 2;
  if (length & 0x80) {
    const size_t octets = length & 0x7f;
    if (octets == 0 || octets > 4 || at + 2 + octets > der.size()) return std::nullopt;
    length = 0;
    for (size_t i = 0; i < octets; ++i)
      length = length << 8 | static_cast<uint8_t>(der[at + 2 + i]);
    header += octets;
  }
  if (length > der.size() - at - header) return std::nullopt;
  const size_t start = at + header, end = start + length;
  if (node.constructed()) {
    size_t inner = start;
    while (inner < end) {
      auto child = ParseNode(der.substr(0, end), inner, depth + 1);
      if (!child) return std::nullopt;
      node.children.push_back(*std::move(child));
    }
  } else {
    node.value = der.substr(start, length);
  }
  at = end;
  return node;
}

std::optional<std::vector<DerNode>> ParseDer(const std::string& der) {
  std::vector<DerNode> nodes;
  size_t at = 0;
  while (at < der.size()) {
    auto node = ParseNode(der, at, 0);
    if (!node) return std::nullopt;
    nodes.push_back(*std::move(node));
  }
  return nodes;
}

void AppendLength(std::string& out, size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<char>(length));
    return;
  }
  std::string octets;
  for (size_t rest = length; rest > 0; rest >>= 8) octets.insert(octets.begin(), char(rest & 0xff));
  out.push_back(static_cast<char>(0x80 | octets.size()));
  out += octets;
}

std::string Encode(const DerNode& node) {
  std::string content = node.value;
  if (node.constructed()) {
    content.clear();
    for (const DerNode& child : node.children) content += Encode(child);
  }
  std::string out(1, static_cast<char>(node.tag));
  AppendLength(out, content.size());
  return out + content;
}

void Collect(std::vector<DerNode>& nodes,
             std::vector<std::pair<std::vector<DerNode>*, size_t>>& all) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    all.push_back({&nodes, i});
    if (nodes[i].constructed()) Collect(nodes[i].children, all);
  }
}

std::string MutateBytes(std::string bytes, size_t max_size, const ByteMutator& mutate_bytes) {
  const size_t size = bytes.size();
  bytes.resize(std::max(max_size, size));
  bytes.resize(mutate_bytes(reinterpret_cast<uint8_t*>(bytes.data()), size, bytes.size()));
  return bytes;
}

// Common tags a verifier branches on, for tag swaps.
constexpr uint8_t kTags[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17,
                             0x18, 0x30, 0x31, 0x80, 0x81, 0x82, 0x86, 0x87, 0xa0, 0xa3};

// One structural or content mutation of one node, lengths re-encoded (may nest deeper than the
// parser follows, or remove everything; MutateDer checks).
std::optional<std::string> MutateDerOnce(const std::string& der, size_t budget,
                                         std::mt19937& random, const ByteMutator& mutate_bytes) {
  auto nodes = ParseDer(der);
  if (!nodes || nodes->empty()) return std::nullopt;
  std::vector<std::pair<std::vector<DerNode>*, size_t>> all;
  Collect(*nodes, all);
  auto [siblings, index] = all[random() % all.size()];
  DerNode& node = (*siblings)[index];
  switch (random() % 8) {
    case 0:  // duplicate the element (repeated extensions, names, certificates)
      siblings->insert(siblings->begin() + static_cast<long>(index), node);
      break;
    case 1:  // drop it
      siblings->erase(siblings->begin() + static_cast<long>(index));
      break;
    case 2:  // another tag, same content
      node.tag = kTags[random() % sizeof(kTags)];
      if (node.constructed() && node.children.empty() && !node.value.empty()) {
        node.tag &= static_cast<uint8_t>(~0x20);
      }
      break;
    default: {  // mutate the content bytes; a constructed node becomes the mutated encoding
      std::string content;
      if (node.constructed()) {
        for (const DerNode& child : node.children) content += Encode(child);
      } else {
        content = node.value;
      }
      const size_t room =
          budget > der.size() ? budget - der.size() + content.size() : content.size();
      content = MutateBytes(content, room, mutate_bytes);
      std::string probe = content;
      auto reparsed = node.constructed() ? ParseDer(probe) : std::nullopt;
      if (reparsed) {
        node.children = *std::move(reparsed);
      } else {
        node.tag &= static_cast<uint8_t>(~0x20);  // keep the bytes as a primitive value
        node.children.clear();
        node.value = std::move(content);
      }
    }
  }
  std::string out;
  for (const DerNode& top : *nodes) out += Encode(top);
  return out;
}

// A mutation of `der` that is well-framed DER again; nullopt if `der` is not DER.
std::optional<std::string> MutateDer(const std::string& der, size_t budget, std::mt19937& random,
                                     const ByteMutator& mutate_bytes) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto mutated = MutateDerOnce(der, budget, random, mutate_bytes);
    if (!mutated) return std::nullopt;
    if (!mutated->empty() && mutated->size() <= budget && ParseDer(*mutated)) return mutated;
  }
  return std::nullopt;
}

// ---- TLS ------------------------------------------------------------------------------------

struct Record {
  uint8_t type;
  uint16_t version;
  std::string body;
};

struct Message {
  uint8_t type;
  std::string body;
};

uint32_t Get24(const std::string& s, size_t at) {
  return uint32_t(uint8_t(s[at])) << 16 | uint32_t(uint8_t(s[at + 1])) << 8 | uint8_t(s[at + 2]);
}
void Put24(std::string& out, size_t value) {
  out.push_back(char(value >> 16 & 0xff));
  out.push_back(char(value >> 8 & 0xff));
  out.push_back(char(value & 0xff));
}

// Whole records, and the bytes after the last whole one.
std::vector<Record> ParseRecords(const std::string& stream, std::string& tail) {
  std::vector<Record> records;
  size_t at = 0;
  while (at + 5 <= stream.size()) {
    const size_t length = size_t(uint8_t(stream[at + 3])) << 8 | uint8_t(stream[at + 4]);
    if (at + 5 + length > stream.size()) break;
    records.push_back({uint8_t(stream[at]),
                       uint16_t(uint8_t(stream[at + 1]) << 8 | uint8_t(stream[at + 2])),
                       stream.substr(at + 5, length)});
    at += 5 + length;
  }
  tail = stream.substr(at);
  return records;
}

std::optional<std::vector<Message>> ParseMessages(const std::string& body) {
  std::vector<Message> messages;
  size_t at = 0;
  while (at < body.size()) {
    if (at + 4 > body.size()) return std::nullopt;
    const size_t length = Get24(body, at + 1);
    if (at + 4 + length > body.size()) return std::nullopt;
    messages.push_back({uint8_t(body[at]), body.substr(at + 4, length)});
    at += 4 + length;
  }
  return messages;
}

// TLS 1.2 Certificate body: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>.
std::optional<std::vector<std::string>> ParseCertificateList(const std::string& body) {
  if (body.size() < 3 || Get24(body, 0) != body.size() - 3) return std::nullopt;
  std::vector<std::string> certificates;
  size_t at = 3;
  while (at < body.size()) {
    if (at + 3 > body.size()) return std::nullopt;
    const size_t length = Get24(body, at);
    if (at + 3 + length > body.size()) return std::nullopt;
    certificates.push_back(body.substr(at + 3, length));
    at += 3 + length;
  }
  return certificates;
}

std::string MutateCertificateMessage(const std::string& body, size_t budget, std::mt19937& random,
                                     const ByteMutator& mutate_bytes) {
  auto certificates = ParseCertificateList(body);
  if (!certificates || certificates->empty()) return MutateBytes(body, budget, mutate_bytes);
  std::string& chosen = (*certificates)[random() % certificates->size()];
  if (random() % 4 == 0) {
    certificates->push_back(chosen);  // a longer chain than the sender meant
  } else if (auto mutated = MutateDer(chosen, budget, random, mutate_bytes)) {
    chosen = *std::move(mutated);
  }
  std::string list;
  for (const std::string& der : *certificates) {
    Put24(list, der.size());
    list += der;
  }
  std::string out;
  Put24(out, list.size());
  return out + list;
}

std::string EncodeRecords(const std::vector<Record>& records, const std::string& tail) {
  std::string out;
  for (const Record& record : records) {
    out.push_back(char(record.type));
    out.push_back(char(record.version >> 8));
    out.push_back(char(record.version & 0xff));
    out.push_back(char(record.body.size() >> 8 & 0xff));
    out.push_back(char(record.body.size() & 0xff));
    out += record.body;
  }
  return out + tail;
}

constexpr size_t kMaxRecordBody = 0xffff;

bool MutateHandshake(std::string& input, size_t max_size, std::mt19937& random,
                     const ByteMutator& mutate_bytes) {
  if (input.size() < 6) return false;
  if (random() % 16 == 0) {  // another version, group, scheme or depth: TLS records still
    uint8_t tag;
    do {
      tag = static_cast<uint8_t>(random());
    } while (DecodeOptions(tag).protocol != Protocol::kTls);
    input[0] = static_cast<char>(tag);
    return true;
  }
  std::string tail;
  std::vector<Record> records = ParseRecords(input.substr(1), tail);
  if (records.empty()) return false;
  Record& record = records[random() % records.size()];
  const size_t budget = std::min(kMaxRecordBody, max_size > input.size()
                                                     ? max_size - input.size() + record.body.size()
                                                     : record.body.size());
  auto messages = record.type == 22 ? ParseMessages(record.body) : std::nullopt;
  if (messages && !messages->empty()) {
    Message& message = (*messages)[random() % messages->size()];
    message.body = message.type == 11
                       ? MutateCertificateMessage(message.body, budget, random, mutate_bytes)
                       : MutateBytes(message.body, budget, mutate_bytes);
    record.body.clear();
    for (const Message& m : *messages) {
      record.body.push_back(char(m.type));
      Put24(record.body, m.body.size());
      record.body += m.body;
    }
  } else {
    record.body = MutateBytes(record.body, budget, mutate_bytes);
  }
  if (record.body.size() > kMaxRecordBody) return false;
  std::string mutated = input.substr(0, 1) + EncodeRecords(records, tail);
  if (mutated.size() > max_size) return false;
  input = std::move(mutated);
  return true;
}

bool MutateChain(std::string& input, size_t max_size, std::mt19937& random,
                 const ByteMutator& mutate_bytes) {
  ChainInput chain = DecodeChainInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  if (chain.chain_der.empty()) return false;
  const size_t pick = random() % chain.chain_der.size();
  switch (random() % 6) {
    case 0:
      chain.chain_der.push_back(chain.chain_der[pick]);
      break;
    case 1:
      if (chain.chain_der.size() > 1) chain.chain_der.erase(chain.chain_der.begin() + long(pick));
      break;
    case 2:
      std::swap(chain.chain_der[pick], chain.chain_der[random() % chain.chain_der.size()]);
      break;
    default:
      if (auto mutated = MutateDer(chain.chain_der[pick], max_size, random, mutate_bytes)) {
        if (mutated->size() <= 0xffff) chain.chain_der[pick] = *std::move(mutated);
      }
  }
  std::string mutated = EncodeChainInput(chain);
  mutated[0] = input[0];
  if (mutated.size() > max_size) return false;
  input = std::move(mutated);
  return true;
}

}  // namespace

void MutateStructured(InputKind kind, std::string& input, size_t max_size, std::mt19937& random,
                      const ByteMutator& mutate_bytes) {
  bool done = false;
  switch (kind) {
    case InputKind::kDer:
      if (auto mutated = MutateDer(input, max_size, random, mutate_bytes);
          mutated && mutated->size() <= max_size) {
        input = *std::move(mutated);
        done = true;
      }
      break;
    case InputKind::kChain:
      done = MutateChain(input, max_size, random, mutate_bytes);
      break;
    case InputKind::kHandshake:
      // DTLS inputs are datagrams of DTLS records, whose framing this does not parse.
      if (!input.empty() &&
          DecodeOptions(static_cast<uint8_t>(input[0])).protocol == Protocol::kDtls) {
        break;
      }
      done = MutateHandshake(input, max_size, random, mutate_bytes);
      break;
  }
  if (!done) input = MutateBytes(input, max_size, mutate_bytes);
}

bool DerFramingConsistent(const std::string& der) { return ParseDer(der).has_value(); }

bool TlsFramingConsistent(const std::string& stream) {
  std::string tail;
  const std::vector<Record> records = ParseRecords(stream, tail);
  // The first record is a plaintext hello; later ones may be encrypted.
  return tail.empty() && !records.empty() &&
         (records[0].type != 22 || ParseMessages(records[0].body).has_value());
}

}  // namespace mtls::fuzz
