#!/bin/bash -eu
# Builds the fuzz targets for ClusterFuzzLite and OSS-Fuzz: the TLS library from its source
# package ($SRC/backend/src) and this project, both with the toolchain's $CC $CXX $CFLAGS
# $CXXFLAGS, the targets linked with $LIB_FUZZING_ENGINE; everything a target needs goes to $OUT
# (binary, seed corpus zip, dictionary, and the test PKI it loads from beside itself).
# MTLS_BACKEND selects the library: mbedtls (default) or wolfssl.
backend=${MTLS_BACKEND:-mbedtls}
prefix=$WORK/backend-install
src=$SRC/backend/src
case $backend in
  mbedtls)
    # Deterministic (mtls/determinism.h): a settable clock, and in 3.x the PSA generator.
    (cd "$src" && python3 scripts/config.py set MBEDTLS_PLATFORM_TIME_ALT &&
      { ! grep -q MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG include/mbedtls/mbedtls_config.h 2>/dev/null ||
        python3 scripts/config.py set MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG; })
    cmake -S "$src" -B "$WORK/backend-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DENABLE_TESTING=OFF -DENABLE_PROGRAMS=OFF -DUSE_SHARED_MBEDTLS_LIBRARY=OFF \
      -DCMAKE_INSTALL_PREFIX="$prefix"
    ninja -C "$WORK/backend-build" install ;;
  wolfssl)
    (cd "$src" && ./autogen.sh && ./configure --prefix="$prefix" --enable-distro \
      --enable-static --disable-shared --disable-examples --disable-crypttests \
      CPPFLAGS=-DWC_RNG_SEED_CB && make -j"$(nproc)" && make install)
    [[ -f $prefix/include/wolfssl/options.h ]] || cp "$src/wolfssl/options.h" "$prefix/include/wolfssl/" ;;
  *) echo "build.sh: unknown MTLS_BACKEND '$backend' (mbedtls or wolfssl)" >&2; exit 2 ;;
esac

cmake -S "$SRC/mtls-bench" -B "$WORK/mtls-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DMTLS_BACKEND="$backend" -DMTLS_BACKEND_ROOT="$prefix" -DMTLS_BUILD_TESTS=OFF \
  -DMTLS_BUILD_BENCH=OFF -DMTLS_BUILD_FUZZERS=ON -DMTLS_FUZZING_ENGINE="$LIB_FUZZING_ENGINE"
ninja -C "$WORK/mtls-build" fuzzers

declare -A dictionary=([x509_der]=asn1 [client_chain]=asn1 [x509_pem]=pem [pem_loader]=pem
                       [server_mtls]=tls [client_mtls]=tls [link_profile]=json)
for fuzzer in "$WORK"/mtls-build/fuzz/*_fuzzer; do
  target=$(basename "$fuzzer" _fuzzer)
  cp "$fuzzer" "$OUT/"
  (cd "$SRC/mtls-bench/corpora/$target" && zip -q -r "$OUT/${target}_fuzzer_seed_corpus.zip" .)
  # The *_hostile targets' inputs are edit lists: no dictionary fits.
  if [[ -n ${dictionary[$target]:-} ]]; then
    cp "$SRC/mtls-bench/corpora/dict/${dictionary[$target]}.dict" "$OUT/${target}_fuzzer.dict"
  fi
  options=$SRC/mtls-bench/fuzz/${target}_fuzzer.options
  if [[ -f $options ]]; then cp "$options" "$OUT/"; fi
done
rm -rf "$OUT/pki" && cp -r "$SRC/mtls-bench/corpora/pki" "$OUT/pki"
