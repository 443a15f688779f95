# shellcheck shell=bash
# GnuTLS's own libFuzzer targets (fuzz/ of the gnutls28 source package), for scripts/deps
# --upstream-fuzzers: the three that match ours, compiled from the source package as its
# fuzz/Makefile.am lists them (each one .c file and the headers beside it; main.c is only the
# standalone driver for builds without libFuzzer) and linked against the --fuzz build of the same
# package (INSTRUMENTED_PREFIX). That build is GnuTLS's own fuzzing build (--enable-fuzzer-target,
# see build_gnutls in scripts/deps), the library mode these targets are written for, so no
# library copy of its own is needed.

build_upstream_gnutls() {  # SRC PREFIX
  local src=$1 prefix=$2 entry name target note
  local lib=$INSTRUMENTED_PREFIX/lib
  # fuzzer|our target|what the reader of the comparison needs to know about it. No flags: GnuTLS
  # ships no .options files and no dictionaries for these three.
  local fuzzers=(
    "gnutls_server_fuzzer|server_mtls|its server requests no client certificate"
    "gnutls_client_fuzzer|client_mtls|its client has no certificate and does not verify the server's"
    "gnutls_x509_parser_fuzzer|x509_der|DER import and gnutls_x509_crt_print"
  )
  mkdir -p "$prefix/bin" "$prefix/seeds" || return 1
  echo "# fuzzer|our target|libFuzzer flags|note (fuzz/upstream/gnutls.sh)" >"$prefix/pairs.txt"
  for entry in "${fuzzers[@]}"; do
    IFS='|' read -r name target note <<<"$entry"
    # Compiled by absolute path: the harness's coverage lies under SRC/fuzz/ (harness_paths.txt).
    # shellcheck disable=SC2086  # CFLAGS and FUZZ_LINK_FLAGS are word lists
    $CC $CFLAGS -I"$INSTRUMENTED_PREFIX/include" -I"$src/fuzz" -c "$src/fuzz/$name.c" \
      -o "$src/fuzz/$name.o" || return 1
    # shellcheck disable=SC2086
    $CC $FUZZ_LINK_FLAGS "$src/fuzz/$name.o" -o "$prefix/bin/$name" -L"$lib" -Wl,-rpath,"$lib" \
      -lgnutls || return 1
    # Seeds: upstream keeps them in fuzz/<name>.in/ in git only (fuzz/Makefile.am: "We don't
    # include the fuzz corpora into the tarball"); copied should a source package have them.
    mkdir -p "$prefix/seeds/$name" || return 1
    if [[ -d $src/fuzz/$name.in ]]; then
      find "$src/fuzz/$name.in" -maxdepth 1 -type f -exec cp -t "$prefix/seeds/$name" {} + || return 1
    fi
    if [[ -z $(ls -A "$prefix/seeds/$name") ]]; then
      note+="; no seeds (the release tarball omits fuzz/*.in)"
    fi
    echo "$name|$target||$note; library: GnuTLS's fuzzer-target build as ours (fixed RNG, Finished unchecked)" \
      >>"$prefix/pairs.txt"
  done
  echo "fuzz/" >"$prefix/harness_paths.txt"
}
