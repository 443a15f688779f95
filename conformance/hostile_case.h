// The cases of the project's attacking peers (peers/attacker): an attacking client against the
// backend's server, or an attacking server against the backend's client.
#pragma once

#include <string>

#include "cases.h"

namespace mtls::conformance {

// The control (honest, or honest-compressed) must be accepted; every misbehaviour rejected by
// the backend's side once the attacker delivered its authentication flight.
CaseResult RunHostileCase(const Case& c, const std::string& pki_dir);

}  // namespace mtls::conformance
