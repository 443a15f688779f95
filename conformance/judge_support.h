// What the conformance runners share (run_case.cc, hostile_case.cc): a case's endpoint configs
// and the questions every judge asks.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cases.h"
#include "mtls/backend.h"
#include "mtls/config.h"
#include "mtls/result.h"

namespace mtls::conformance {

// The honest endpoint of the case's spec with what the case changes in it.
absl::StatusOr<EndpointConfig> BuildConfig(const Case& c, Role role, const std::string& pki_dir);

// Whether the peer the side reports carries this DNS name.
bool HasDnsName(const HandshakeResult& result, absl::string_view name);

// The manifest row "<kind><case name prefix>" that covers this case: "deviation:" documents that
// the backend rejects it with another error class than specified, "finding:" that it accepts an
// attacking peer; both say why.
std::optional<Capability> DocumentedRow(const Case& c, absl::string_view kind);

}  // namespace mtls::conformance
