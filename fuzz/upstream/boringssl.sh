# shellcheck shell=bash
# BoringSSL's own TLS fuzzers from Debian's android-platform-external-boringssl (sourced by
# scripts/deps --upstream-fuzzers; see the common contract there).
#
# What the source package has: Android's external/boringssl deletes upstream's fuzz/ directory on
# every import (SRC/UPDATING: "rm -Rf src/fuzz"), so neither the fuzzers' entry files
# (fuzz/server.cc, client.cc, cert.cc, ...) nor their seed corpora (fuzz/*_corpus*) are in it.
# What remains is the harness itself: SRC/src/ssl/test/fuzzer.h (class TLSFuzzer: the input
# format of fuzzer_tags.h, the SSL_CTX setup, handoff/handback and the handshake loop) and
# src/FUZZING.md (the configurations and the recommended -max_len values).
#
# Built here, from their files:
#   server, client    TLSFuzzer(kTLS, kServer / kClient) against a second library copy built in
#                     SRC with BORINGSSL_UNSAFE_FUZZER_MODE (FUZZING.md's -DFUZZ=1 build), through
#                     scripts/lib/boringssl/CMakeLists.txt with the same flags as the --fuzz build
#                     plus that definition;
#   server_no_fuzzer_mode, client_no_fuzzer_mode
#                     the same two against INSTRUMENTED_PREFIX (deterministic only, real crypto:
#                     FUZZING.md's -DNO_FUZZER_MODE=1 build, whose upstream corpora are
#                     {server,client}_corpus_no_fuzzer_mode).
# Each entry file is ours (written below into SRC/src/fuzz/, where upstream's would be): one
# TLSFuzzer object and LLVMFuzzerTestOneInput calling its TestOneInput, nothing else.
# Not built: cert (no code of theirs for it in the package). Seeds: none shipped (empty dirs).

# One entry file: NAME ROLE (kServer or kClient) into SRC/src/fuzz/NAME.cc
_boringssl_upstream_entry() {
  local src=$1 name=$2 role=$3
  mkdir -p "$src/src/fuzz" || return 1
  cat >"$src/src/fuzz/$name.cc" <<EOF
// mtls-bench glue: the entry point of BoringSSL's TLS fuzzer (ssl/test/fuzzer.h), whose fuzz/
// directory the Android source package does not ship.
#include "../ssl/test/fuzzer.h"

static TLSFuzzer g_fuzzer(TLSFuzzer::kTLS, TLSFuzzer::$role);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len) {
  return g_fuzzer.TestOneInput(buf, len);
}
EOF
}

# One fuzzer: SRC PREFIX NAME ENTRY LIBPREFIX DEFINE... (compiled with CXXFLAGS, which scripts/deps
# sets to the --fuzz flags and the coverage ignore list; linked with FUZZ_LINK_FLAGS against
# LIBPREFIX/lib)
_boringssl_upstream_fuzzer() {
  local src=$1 prefix=$2 name=$3 entry=$4 lib=$5
  shift 5
  local defines=()
  local d
  for d in "$@"; do defines+=("-D$d"); done
  # shellcheck disable=SC2086  # the flags are a word list
  $CXX $CXXFLAGS -std=c++17 "${defines[@]}" -I "$lib/include" -I "$src/src/include" \
    -c "$src/src/fuzz/$entry.cc" -o "$src/src/fuzz/$name.o" || return 1
  # shellcheck disable=SC2086
  $CXX $CXXFLAGS $FUZZ_LINK_FLAGS "$src/src/fuzz/$name.o" "$lib/lib/libssl.a" \
    "$lib/lib/libcrypto.a" -lpthread -o "$prefix/bin/$name" || return 1
  mkdir -p "$prefix/seeds/$name"
}

build_upstream_boringssl() {  # SRC PREFIX
  local src=$1 prefix=$2
  local fuzzer_mode=$src/mtls-fuzzer-mode-install
  [[ -f $src/src/ssl/test/fuzzer.h ]] || { echo "no src/ssl/test/fuzzer.h in $src"; return 1; }
  mkdir -p "$prefix/bin" "$prefix/seeds" || return 1

  # The fuzzer-mode library: the project's build of it (as build_boringssl in scripts/deps, with
  # BORINGSSL_DETERMINISTIC=ON and the --fuzz flags, coverage ignore list included) plus
  # BORINGSSL_UNSAFE_FUZZER_MODE through the compiler flags.
  CFLAGS="$CFLAGS -DBORINGSSL_UNSAFE_FUZZER_MODE" CXXFLAGS="$CXXFLAGS -DBORINGSSL_UNSAFE_FUZZER_MODE" \
    cmake -S "$MTLS_REPO/scripts/lib/boringssl" -B "$src/mtls-fuzzer-mode" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DBORINGSSL_SOURCE="$src" -DCMAKE_INSTALL_PREFIX="$fuzzer_mode" \
    -DBORINGSSL_DETERMINISTIC=ON >/dev/null || return 1
  # shellcheck disable=SC2154  # jobs: set by scripts/deps
  ninja -C "$src/mtls-fuzzer-mode" -j "$jobs" install >/dev/null || return 1

  _boringssl_upstream_entry "$src" server kServer || return 1
  _boringssl_upstream_entry "$src" client kClient || return 1
  # The instrumented build's definitions (mtls-defines.txt) for the programs linking it.
  local instrumented_defines=()
  mapfile -t instrumented_defines < <(cat "$INSTRUMENTED_PREFIX/mtls-defines.txt" 2>/dev/null)
  _boringssl_upstream_fuzzer "$src" "$prefix" server server "$fuzzer_mode" \
    BORINGSSL_UNSAFE_FUZZER_MODE BORINGSSL_UNSAFE_DETERMINISTIC_MODE || return 1
  _boringssl_upstream_fuzzer "$src" "$prefix" client client "$fuzzer_mode" \
    BORINGSSL_UNSAFE_FUZZER_MODE BORINGSSL_UNSAFE_DETERMINISTIC_MODE || return 1
  _boringssl_upstream_fuzzer "$src" "$prefix" server_no_fuzzer_mode server "$INSTRUMENTED_PREFIX" \
    "${instrumented_defines[@]}" || return 1
  _boringssl_upstream_fuzzer "$src" "$prefix" client_no_fuzzer_mode client "$INSTRUMENTED_PREFIX" \
    "${instrumented_defines[@]}" || return 1

  # -max_len: src/FUZZING.md's recommended values (server 4096, client 20000); no dictionaries.
  cat >"$prefix/pairs.txt" <<'EOF'
# fuzzer|our_target|libFuzzer flags|note
# BoringSSL's fuzz/ (entry files and seed corpora) is not in Android's source package (its UPDATING
# deletes it): the entry files are ours around their ssl/test/fuzzer.h, and there are no seeds.
# cert (their x509 fuzzer, to pair with x509_der) is not built: its code is not in the package.
server|server_mtls|-max_len=4096|library in BoringSSL's fuzzer mode: no signature, MAC or Finished checks, NULL cipher; no upstream seeds (not in the package)
client|client_mtls|-max_len=20000|library in BoringSSL's fuzzer mode: no signature, MAC or Finished checks, NULL cipher; no upstream seeds (not in the package)
server_no_fuzzer_mode|server_mtls|-max_len=4096|same library as ours (deterministic, real crypto); no upstream seeds (not in the package)
client_no_fuzzer_mode|client_mtls|-max_len=20000|same library as ours (deterministic, real crypto); no upstream seeds (not in the package)
EOF
  # Relative to the Debian source root: upstream BoringSSL is its src/ directory.
  printf '%s\n' src/fuzz/ src/ssl/test/ >"$prefix/harness_paths.txt"
}
