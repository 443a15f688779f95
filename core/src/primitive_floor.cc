#include "mtls/primitive_floor.h"

namespace mtls {

OperationCounts CountOperations(const HandshakeShape& shape, Role side) {
  OperationCounts counts;
  counts.key_exchanges = shape.resumed && shape.version == TlsVersion::kTls12 ? 0 : 1;
  if (shape.resumed) return counts;
  const bool signs = side == Role::kServer || shape.mutual;
  const bool verifies = side == Role::kClient || shape.mutual;
  counts.signs = signs ? 1 : 0;
  counts.verifies = verifies ? 1 + shape.chain_depth : 0;
  return counts;
}

double FloorMicros(const PrimitiveCosts& costs, const OperationCounts& counts) {
  return counts.signs * costs.sign_us + counts.verifies * costs.verify_us +
         counts.key_exchanges * costs.key_exchange_us;
}

}  // namespace mtls
