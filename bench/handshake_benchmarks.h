#pragma once

namespace mtls::bench {

// Registers the handshake suite with Google Benchmark (called from main before running).
void RegisterHandshakeBenchmarks();

}  // namespace mtls::bench
