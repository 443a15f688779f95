# shellcheck shell=bash
# OpenSSL's own libFuzzer targets, the yardstick for ours (scripts/deps --upstream-fuzzers, which
# sources this file): fuzz/server.c, fuzz/client.c and fuzz/x509.c of the same source package,
# each with fuzz/driver.c (libFuzzer's entry points) and fuzz/fuzz_rand.c (the deterministic
# generator, a provider registered through the public API), compiled with the instrumentation of
# our targets and linked against the instrumented library our targets link (INSTRUMENTED_PREFIX).
#
# That library is OpenSSL's default configuration, not OSS-Fuzz's fuzzing build
# (enable-fuzz-libfuzzer -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION enable-ssl3
# enable-weak-ssl-ciphers enable-nextprotoneg enable-rc5 enable-md2 ...). Under that macro the
# library itself behaves differently: a wrong record MAC (ssl/record/methods/tls_common.c), a
# wrong Finished (ssl/statem/statem_lib.c) or renegotiation_info (ssl/statem/extensions_srvr.c) is
# accepted unless its first byte is the right one XOR 0xFF; QUIC handshake signatures are not
# checked; ASN1_STRING data gets no NUL terminator (crypto/asn1/asn1_lib.c, so over-reads show);
# PKCS#12 KDF iterations are capped at 100, config includes and some CMP checks are relaxed. Here
# every check is real, as for our targets, so their TLS fuzzers stop at the first wrong MAC or
# Finished as ours do. The fuzzers themselves need none of it: they link and run as they are.

build_upstream_openssl() {  # SRC PREFIX
  local src=$1 prefix=$2 lib=$INSTRUMENTED_PREFIX fuzzer
  local glue=$src/mtls-upstream compile link
  read -r -a compile <<<"$FUZZ_FLAGS"
  read -r -a link <<<"$FUZZ_LINK_FLAGS"
  mkdir -p "$glue/include/openssl" "$prefix/bin" "$prefix/share" || return 1

  # driver.c defines LLVMFuzzerTestOneInput only where the configuration has fuzz-libfuzzer
  # (else #error): the installed configuration.h says OPENSSL_NO_FUZZ_LIBFUZZER. That option
  # changes no library code (Configure only adds -g -fno-omit-frame-pointer and builds fuzz/), so
  # driver.c alone is compiled against a copy of the header without that one definition.
  sed '/define OPENSSL_NO_FUZZ_LIBFUZZER$/d' "$lib/include/openssl/configuration.h" \
    >"$glue/include/openssl/configuration.h" || return 1
  if grep -q 'define OPENSSL_NO_FUZZ_LIBFUZZER' "$glue/include/openssl/configuration.h"; then
    echo "openssl upstream fuzzers: OPENSSL_NO_FUZZ_LIBFUZZER still defined in the header copy" >&2
    return 1
  fi
  "$CC" "${compile[@]}" -I"$glue/include" -I"$lib/include" -c "$src/fuzz/driver.c" \
    -o "$glue/driver.o" || return 1
  "$CC" "${compile[@]}" -I"$lib/include" -c "$src/fuzz/fuzz_rand.c" -o "$glue/fuzz_rand.o" ||
    return 1

  # Linked as OpenSSL's own fuzz build links them (LDCMD=clang++: libFuzzer is C++).
  for fuzzer in server client x509; do
    "$CC" "${compile[@]}" -I"$lib/include" -c "$src/fuzz/$fuzzer.c" -o "$glue/$fuzzer.o" &&
      "$CXX" "${link[@]}" -o "$prefix/bin/$fuzzer" "$glue/$fuzzer.o" "$glue/driver.o" \
        "$glue/fuzz_rand.o" "$lib/lib/libssl.a" "$lib/lib/libcrypto.a" -ldl -lpthread || return 1
    # Seeds: upstream keeps fuzz/corpora/<fuzzer> in a git submodule (openssl/fuzz-corpora),
    # which the release tarball, and so the source package, leaves empty.
    mkdir -p "$prefix/seeds/$fuzzer"
    if [[ -d $src/fuzz/corpora/$fuzzer ]]; then
      find "$src/fuzz/corpora/$fuzzer" -maxdepth 1 -type f -exec cp -t "$prefix/seeds/$fuzzer" {} + ||
        return 1
    fi
    echo "$fuzzer: $(find "$prefix/seeds/$fuzzer" -type f | wc -l) seeds from the source package"
  done
  # OSS-Fuzz's build of these (projects/openssl/build.sh) gives x509 fuzz/oids.txt as its
  # dictionary, server and client none.
  cp "$src/fuzz/oids.txt" "$prefix/share/x509.dict" || return 1

  local mode="library in its default configuration, not FUZZING_BUILD_MODE (MAC/Finished checked)"
  cat >"$prefix/pairs.txt" <<PAIRS
# OpenSSL's own fuzzers (fuzz/server.c, client.c, x509.c) against INSTRUMENTED_PREFIX, the
# library our targets link; see fuzz/upstream/openssl.sh for what its fuzzing mode would change.
# The source package ships no seed corpora (fuzz/corpora is a git submodule upstream).
server|server_mtls||$mode; requests no client certificate; no seeds shipped
client|client_mtls||$mode; sends no client certificate, verifies nothing; no seeds shipped
x509|x509_der|-dict=$prefix/share/x509.dict|cert then CRL, OCSP response, verify; no seeds shipped
PAIRS
  printf '%s\n' "fuzz/" >"$prefix/harness_paths.txt"
}
