# shellcheck shell=bash
# Mbed TLS's own libFuzzer targets (programs/fuzz of the Debian source package), the yardstick
# for ours: sourced by scripts/deps --upstream-fuzzers, which calls build_upstream_mbedtls.
#
# Linked against INSTRUMENTED_PREFIX, the very library build our targets use. Its configuration
# differs from upstream's default by MBEDTLS_PLATFORM_TIME_ALT (which programs/fuzz/README.md asks
# for: the programs then fix the clock with mbedtls_platform_set_time), MBEDTLS_THREADING_C and
# MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG. The last needs the program to supply the PSA generator:
# upstream's test framework has one (rand(), as the fuzz programs' dummy_random), which our
# glue mbedtls-external-rng.c switches on as upstream's ssl_client2 and ssl_server2 do. The fuzz
# programs are built as programs/fuzz/CMakeLists.txt builds them: each with upstream's test
# objects (tests/src, framework/tests/src: certs, test RNG), those with network input also with
# common.c, and libFuzzer's main (not onefile.c). The test objects go into an archive, so only
# what a fuzzer uses is linked.

# fuzzer|our target|seeds (what OSS-Fuzz's build.sh zips from the source tree)|note
MBEDTLS_UPSTREAM_FUZZERS=(
  "fuzz_server|server_mtls|corpuses/server|TLS server that never asks for a client certificate; last byte: options (ALPN, tickets, EMS, ETM, PSK, renegotiation)"
  "fuzz_client|client_mtls|corpuses/client|TLS client without a certificate of its own; last 2 bytes: options (0x4: verify the server's chain, else none; PSK, ALPN, ...)"
  "fuzz_x509crt|x509_der|data_files|certificate parsing (DER or PEM, chains) and mbedtls_x509_crt_info, no verification"
  "fuzz_dtlsserver|server_mtls|corpuses/dtlsserver|DTLS; server with cookies that never asks for a client certificate"
  "fuzz_dtlsclient|client_mtls|corpuses/dtlsclient|DTLS; client without a certificate of its own, server not verified"
)

build_upstream_mbedtls() {  # SRC PREFIX
  local src=$1 prefix=$2 entry fuzzer target seeds note file name flags
  local fuzz=$1/programs/fuzz build=$1/upstream-fuzz
  local includes=(-I"$INSTRUMENTED_PREFIX/include" -I"$src/tests/include"
    -I"$src/framework/tests/include" -I"$src/library")
  local libs=(-L"$INSTRUMENTED_PREFIX/lib" -lmbedtls -lmbedx509 -lmbedcrypto -lpthread)
  mkdir -p "$build/test" "$prefix/bin" "$prefix/seeds" || return 1
  # Upstream's test objects (the mbedtls_test object library of their CMakeLists.txt), against
  # the instrumented build's headers (its mbedtls_config.h), not the source tree's include/.
  for file in "$src"/tests/src/*.c "$src"/framework/tests/src/*.c \
    "$src"/framework/tests/src/drivers/*.c; do
    # shellcheck disable=SC2086  # CFLAGS: several flags
    $CC $CFLAGS -std=c11 "${includes[@]}" -c "$file" \
      -o "$build/test/$(basename "$(dirname "$file")")-$(basename "$file" .c).o" || return 1
  done
  ar rcs "$build/libmbedtls_test.a" "$build"/test/*.o || return 1
  # Our glue, compiled from inside programs/fuzz/ so that its coverage counts as the harness's.
  cp "$MTLS_REPO/fuzz/upstream/mbedtls-external-rng.c" "$fuzz/mtls_external_rng.c" || return 1
  for file in common mtls_external_rng; do
    # shellcheck disable=SC2086
    $CC $CFLAGS "${includes[@]}" -c "$fuzz/$file.c" -o "$build/$file.o" || return 1
  done
  : >"$prefix/pairs.txt"
  {
    echo "# Mbed TLS $(sed -n 's/^#define MBEDTLS_VERSION_STRING *"\(.*\)"/\1/p' \
      "$INSTRUMENTED_PREFIX/include/mbedtls/build_info.h"): programs/fuzz, linked against the"
    echo "# instrumented library our targets use (with upstream's test RNG for the PSA external RNG)"
  } >>"$prefix/pairs.txt"
  for entry in "${MBEDTLS_UPSTREAM_FUZZERS[@]}"; do
    IFS='|' read -r fuzzer target seeds note <<<"$entry"
    # shellcheck disable=SC2086
    $CC $CFLAGS "${includes[@]}" -c "$fuzz/$fuzzer.c" -o "$build/$fuzzer.o" || return 1
    local objects=("$build/$fuzzer.o")
    grep -q '"common.h"' "$fuzz/$fuzzer.c" && [[ $fuzzer != fuzz_x509* ]] && objects+=("$build/common.o")
    # shellcheck disable=SC2086  # FUZZ_LINK_FLAGS: several flags
    $CXX $FUZZ_LINK_FLAGS "${objects[@]}" "$build/mtls_external_rng.o" -Wl,--start-group \
      "$build/libmbedtls_test.a" "${libs[@]}" -Wl,--end-group -o "$prefix/bin/$fuzzer" || return 1
    # Seeds: programs/fuzz/corpuses/<name> is one recorded session per target; the certificate
    # parser's are the test certificates (data_files/*.crt, dir*/*.crt) as OSS-Fuzz zips them
    # (OSS-Fuzz adds OpenSSL's and BoringSSL's certificate corpora, not in this package).
    mkdir -p "$prefix/seeds/$fuzzer"
    if [[ $seeds == data_files ]]; then
      for file in "$src"/framework/data_files/*.crt "$src"/framework/data_files/dir*/*.crt; do
        name=${file#"$src"/framework/data_files/}
        cp "$file" "$prefix/seeds/$fuzzer/${name//\//-}" || return 1
      done
    else
      cp "$fuzz/$seeds" "$prefix/seeds/$fuzzer/" || return 1
    fi
    # Flags: upstream's <fuzzer>.options (OSS-Fuzz's [libfuzzer] section).
    flags=$(sed -n 's/^ *\([a-z_]*\) *= *\(.*\)$/-\1=\2/p' "$fuzz/$fuzzer.options" | tr '\n' ' ')
    echo "$fuzzer|$target|${flags% }|$note; same library build as ours" >>"$prefix/pairs.txt"
  done
  printf '%s\n' programs/fuzz/ tests/src/ tests/include/ framework/tests/src/ \
    framework/tests/include/ >"$prefix/harness_paths.txt"
}
