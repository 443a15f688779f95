#include "context_pair.h"

#include "mtls/status.h"

namespace mtls::testing {

absl::StatusOr<ContextPair> MakeContextPair(const EndpointConfig& client,
                                            const EndpointConfig& server) {
  ContextPair pair;
  MTLS_ASSIGN_OR_RETURN(pair.client, CreateContext(client));
  MTLS_ASSIGN_OR_RETURN(pair.server, CreateContext(server));
  return pair;
}

absl::StatusOr<ContextPair> MakeHonestPair(const CaseSpec& spec) {
  MTLS_ASSIGN_OR_RETURN(EndpointConfig client, HonestEndpoint(spec, Role::kClient));
  MTLS_ASSIGN_OR_RETURN(EndpointConfig server, HonestEndpoint(spec, Role::kServer));
  return MakeContextPair(client, server);
}

}  // namespace mtls::testing
