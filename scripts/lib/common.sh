# shellcheck shell=bash disable=SC2034  # a library: its variables are for the scripts that source it
# Shared by the entry points in scripts/: Debian packages, the backend builds this machine
# has, and building them. Source it; it defines functions only.

MTLS_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The one Python interpreter of every script: Debian's, which has its matplotlib and scipy (a
# python3 first on PATH may be another one).
MTLS_PYTHON=/usr/bin/python3
MTLS_BUILD_ROOT="${MTLS_BUILD_ROOT:-$MTLS_REPO/build}"
# Backend versions built from Debian source packages by scripts/deps (outside the repo).
MTLS_DEPS_CACHE="${MTLS_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mtls-bench/deps}"

# Debian 12 packages the build, the tests and the benchmarks need.
MTLS_PACKAGES=(
  cmake ninja-build g++ clang python3 pkgconf
  libssl-dev openssl android-libboringssl-dev libgnutls28-dev nettle-dev gnutls-bin
  libcoap3-bin
  libwolfssl-dev libmbedtls-dev
  libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev libbenchmark-tools nlohmann-json3-dev
  libgcrypt20-dev zlib1g-dev libbrotli-dev libzstd-dev
  valgrind python3-matplotlib python3-scipy python3-yaml ccache
)
# What scripts/lint needs besides them.
MTLS_LINT_PACKAGES=(mypy pyflakes3 shellcheck clang-format)

mtls_log() { printf '%s\n' "$*" >&2; }
mtls_die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 2; }
# Progress lines, phases logged to files, --verbose (MTLS_VERBOSE).
source "$MTLS_REPO/scripts/lib/progress.sh"
# The value of a flag that takes one, in an entry point's `case` loop: `--out) out=$(mtls_flag_value
# "$@"); shift 2 ;;`. A missing or empty value is a one-line error, exit 2 (as every bad flag).
mtls_flag_value() { [[ -n ${2:-} ]] || mtls_die "$1 needs a value"; printf '%s' "$2"; }
# An output file that cannot be written is found out before a long run, not after it.
mtls_check_writable() {
  { mkdir -p "$(dirname "$1")" && touch "$1"; } 2>/dev/null || mtls_die "$1: cannot write"
}

# Installs whatever of MTLS_PACKAGES (plus "$@") is missing. As root through apt; otherwise says
# what to run. `apt-get update` may fail on a foreign-arch index here: that is only a warning.
mtls_install_packages() {
  local missing=() package
  for package in "${MTLS_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    mtls_die "missing Debian packages: ${missing[*]} (run as root: apt-get install ${missing[*]})"
  fi
  # One log per install (apt-<script>-<n>.log), a line of its own outside any [n/N].
  MTLS_APT_RUNS=$((${MTLS_APT_RUNS:-0} + 1))
  MTLS_PROGRESS_TOTAL=0 mtls_phase "$MTLS_LOG_DIR/apt-$(basename "$0")-$MTLS_APT_RUNS.log" \
    "installing ${#missing[@]} Debian packages: ${missing[*]}" mtls_apt_install "${missing[@]}" ||
    mtls_die "apt-get install failed for: ${missing[*]}"
}
mtls_apt_install() {
  apt-get update -qq || echo "warning: apt-get update reported errors; continuing"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# Prints one line per backend build available on this machine: "<id> <cmake args...>".
# The id (<library>-<version>) names the build tree and the results. With MTLS_ARCH set (a cross
# target), the builds available for that arch instead.
mtls_backend_builds() {
  if [[ -n ${MTLS_ARCH:-} ]]; then
    mtls_cross_backend_builds
    return
  fi
  local version
  if [[ -f /usr/include/openssl/ssl.h ]]; then
    version=$(dpkg-query -W -f='${Version}' libssl-dev 2>/dev/null | grep -oE '^[0-9]+\.[0-9]+')
    echo "openssl-${version:-3} -DMTLS_BACKEND=openssl"
  fi
  if [[ -f /usr/include/android/openssl/is_boringssl.h ]]; then
    version=$(dpkg-query -W -f='${Version}' android-libboringssl-dev 2>/dev/null | grep -oE '^[0-9]+')
    echo "boringssl-${version:-13} -DMTLS_BACKEND=boringssl"
  fi
  if [[ -f /usr/include/gnutls/gnutls.h ]]; then
    version=$(dpkg-query -W -f='${Version}' libgnutls28-dev 2>/dev/null | grep -oE '^[0-9]+\.[0-9]+')
    echo "gnutls-${version:-3.7} -DMTLS_BACKEND=gnutls"
  fi
  if [[ -f /usr/include/wolfssl/options.h ]]; then
    version=$(dpkg-query -W -f='${Version}' libwolfssl-dev 2>/dev/null | grep -oE '^[0-9]+\.[0-9]+')
    echo "wolfssl-${version:-5.5} -DMTLS_BACKEND=wolfssl"
  fi
  if [[ -f /usr/include/mbedtls/ssl.h ]]; then
    version=$(dpkg-query -W -f='${Version}' libmbedtls-dev 2>/dev/null | grep -oE '^[0-9]+\.[0-9]+')
    echo "mbedtls-${version:-2.28} -DMTLS_BACKEND=mbedtls"
  fi
  [[ -n ${MTLS_DEBIAN_ONLY:-} ]] && return
  local prefix
  for prefix in "$MTLS_DEPS_CACHE"/*/; do  # source builds of scripts/deps
    prefix=${prefix%/}
    [[ -f $prefix/VERSION ]] || continue
    echo "$(basename "$prefix") -DMTLS_BACKEND=$(basename "$prefix" | cut -d- -f1) -DMTLS_BACKEND_ROOT=$prefix"
  done
}

# The backends of a cross target: Debian's packages in its sysroot (scripts/sysroot) and the
# source builds of scripts/deps --arch.
mtls_cross_backend_builds() {
  mtls_cross_profile "$MTLS_ARCH"
  local packages="$MTLS_SYSROOT/PACKAGES" entry library package fields version
  if [[ -f $packages ]]; then
    for entry in openssl:libssl-dev:2 boringssl:android-libboringssl-dev:1 \
      gnutls:libgnutls28-dev:2 wolfssl:libwolfssl-dev:2 mbedtls:libmbedtls-dev:2; do
      IFS=: read -r library package fields <<<"$entry"
      version=$(sed -n "s/^$package:$MTLS_DEB_ARCH: //p" "$packages" | cut -d. -f1-"$fields")
      [[ -n $version ]] && echo "$library-$version -DMTLS_BACKEND=$library"
    done
  fi
  local prefix id
  for prefix in "$MTLS_DEPS_CACHE/$MTLS_ARCH"/*/; do
    prefix=${prefix%/}
    id=$(basename "$prefix")
    [[ -f $prefix/VERSION && $id =~ ^(openssl|boringssl|gnutls|wolfssl|mbedtls)- ]] || continue
    echo "$id -DMTLS_BACKEND=${id%%-*} -DMTLS_BACKEND_ROOT=$prefix"
  done
}

# Whether build `id` is what a --backends name asks for: the id itself or its library.
mtls_backend_matches() { [[ $1 == "$2" || ${1%%-*} == "$2" ]]; }

# The ids a --backends list ("all" or empty: every one) selects among the ids on stdin.
mtls_matching_ids() {
  local wanted=${1:-all} id name names
  IFS=',' read -r -a names <<<"$wanted"
  while read -r id; do
    [[ $wanted == all ]] && { echo "$id"; continue; }
    for name in "${names[@]}"; do
      if mtls_backend_matches "$id" "$name"; then echo "$id"; break; fi
    done
  done
}

# The builds scripts/deps pins (plain variants), by id.
mtls_pinned_ids() {  # [VARIANT]: the ids scripts/deps pins in that variant (default plain)
  "$MTLS_REPO/scripts/deps" --list | awk -v variant="${1:-plain}" '$2 == variant { print $1 }'
}

# Fails, before anything is built, on a --backends name that is neither a library nor a build
# this machine has or scripts/deps pins (mtls_select_backends checks again once they exist).
mtls_check_backend_names() {
  local wanted=${1:-all} name names known=()
  [[ $wanted == all ]] && return
  mapfile -t known < <(
    mtls_backend_builds | cut -d' ' -f1
    [[ -n ${MTLS_DEBIAN_ONLY:-} || -n ${MTLS_ARCH:-} ]] || mtls_pinned_ids
  )
  IFS=',' read -r -a names <<<"$wanted"
  for name in "${names[@]}"; do
    [[ -n $(printf '%s\n' "${known[@]}" | mtls_matching_ids "$name") ]] ||
      mtls_die "unknown backend '$name' (available: $(printf '%s\n' "${known[@]}" | sort -u | xargs))"
  done
}

# The first run's source builds: the pinned versions Debian 12 lacks that a --backends list
# selects (scripts/deps: built once, cached), unless --debian-only set MTLS_DEBIAN_ONLY; with
# `fuzz` also the instrumented builds (every library's newest: scripts/deps' fuzz variant) and the
# self-test build.
mtls_source_builds() {
  local wanted=${1:-all} ids instrumented
  [[ -n ${MTLS_DEBIAN_ONLY:-} ]] && return
  ids=$(mtls_pinned_ids | mtls_matching_ids "$wanted" | paste -sd,)
  [[ -n $ids ]] || return 0
  # scripts/deps says what it builds (minutes on the first run) and what it finds cached.
  "$MTLS_REPO/scripts/deps" --only "$ids" >&2 || mtls_die "scripts/deps failed"
  [[ ${2:-} == fuzz ]] || return 0
  instrumented=$(mtls_pinned_ids fuzz | mtls_matching_ids "$wanted" | paste -sd,)
  [[ -n $instrumented ]] || return 0
  "$MTLS_REPO/scripts/deps" --fuzz --only "$instrumented" >&2 || mtls_die "scripts/deps --fuzz failed"
  "$MTLS_REPO/scripts/deps" --selftest >&2 || mtls_die "scripts/deps --selftest failed"
}

# Resolves a --backends list (comma-separated ids or library names; "all" or empty = every
# available build) into MTLS_SELECTED (ids) and MTLS_CMAKE_ARGS[id].
declare -gA MTLS_CMAKE_ARGS
mtls_select_backends() {
  local wanted=${1:-all} line id args
  local available=()
  while read -r id args; do
    available+=("$id")
    MTLS_CMAKE_ARGS[$id]=$args
  done < <(mtls_backend_builds)
  [[ ${#available[@]} -gt 0 ]] ||
    mtls_die "no TLS backend is installed${MTLS_ARCH:+ for $MTLS_ARCH (run scripts/sysroot $MTLS_ARCH, scripts/deps --arch $MTLS_ARCH)} (see README)"
  MTLS_SELECTED=()
  if [[ $wanted == all ]]; then
    MTLS_SELECTED=("${available[@]}")
    return
  fi
  local name matched
  IFS=',' read -r -a names <<<"$wanted"
  for name in "${names[@]}"; do
    matched=0
    for id in "${available[@]}"; do
      if mtls_backend_matches "$id" "$name"; then
        MTLS_SELECTED+=("$id")
        matched=1
      fi
    done
    [[ $matched -eq 1 ]] || mtls_die "unknown backend '$name' (available: ${available[*]})"
  done
}

# The newest build of each library among MTLS_SELECTED (e.g. openssl-3.5 of openssl-3.0 and
# openssl-3.5): the builds scripts/deps --fuzz instruments.
mtls_newest_per_library() {
  printf '%s\n' "${MTLS_SELECTED[@]}" | sort -t- -k1,1 -k2,2Vr | sort -t- -k1,1 -u -s
}

# Configures and builds one backend build tree; prints its directory. MTLS_FLAVOUR selects:
#   gcc    (default) build/<id>: g++, everything, the measured configuration;
#   clang  build/clang/<id>: clang++;
#   fuzz   build/fuzz/<id>: clang++ with libFuzzer coverage, ASan and UBSan on everything, the fuzz
#          targets, no benchmarks; linked against the instrumented backend of `scripts/deps --fuzz`
#          when the cache has one (<cache>/fuzz/<id>), else against the plain one (not instrumented).
#   with MTLS_ARCH set: build/cross/<arch>/<id>: Debian's cross g++ (cmake/toolchains/<arch>.cmake),
#          tests run under qemu-user (label cross).
MTLS_SANITIZE="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# The tree mtls_build_backend builds for id $1 (under MTLS_FLAVOUR and MTLS_ARCH).
mtls_tree_dir() {
  if [[ -n ${MTLS_ARCH:-} ]]; then
    echo "$MTLS_BUILD_ROOT/cross/$MTLS_ARCH/$1"
  elif [[ ${MTLS_FLAVOUR:-gcc} == gcc ]]; then
    echo "$MTLS_BUILD_ROOT/$1"
  else
    echo "$MTLS_BUILD_ROOT/$MTLS_FLAVOUR/$1"
  fi
}
# The compiler cache (Debian's ccache, kept outside the repo like the deps): the backend-agnostic
# core compiles to the same objects in every tree of a run and in every later run, so it is
# compiled once. Paths relative to the repo and no working directory in the hash, so that trees
# and clones share objects (debug info then names the first tree's directory).
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mtls-bench/ccache}
export CCACHE_BASEDIR=$MTLS_REPO CCACHE_NOHASHDIR=1
# A bound below ccache's own 5 GB: CI's disk also holds the caches and every build tree.
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-2G}
mtls_compiler_cache_args() {
  command -v ccache >/dev/null || return 0
  echo "-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
}

mtls_build_backend() {
  local id=$1 dir flavour_args=() targets=()
  dir=$(mtls_tree_dir "$id")
  local sanitized=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
    "-DCMAKE_C_FLAGS=$MTLS_SANITIZE" "-DCMAKE_CXX_FLAGS=$MTLS_SANITIZE"
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
    -DMTLS_BUILD_FUZZERS=ON -DMTLS_BUILD_BENCH=OFF)
  if [[ -n ${MTLS_ARCH:-} ]]; then
    [[ ${MTLS_FLAVOUR:-gcc} == gcc ]] || mtls_die "cross builds are gcc builds (flavour '$MTLS_FLAVOUR')"
    mtls_cross_profile "$MTLS_ARCH"
    flavour_args=("${MTLS_CROSS_CMAKE[@]}")
  fi
  case ${MTLS_FLAVOUR:-gcc} in
    gcc) ;;
    clang)
      flavour_args=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
    fuzz)
      flavour_args=("${sanitized[@]}")
      if [[ -f $MTLS_DEPS_CACHE/fuzz/$id/VERSION ]]; then
        flavour_args+=("-DMTLS_BACKEND_ROOT=$MTLS_DEPS_CACHE/fuzz/$id")
      fi ;;
    selftest)
      # Against the planted-bypass build of scripts/deps --selftest: what fuzz-selftest runs.
      [[ -f $MTLS_DEPS_CACHE/selftest/$id/VERSION ]] || mtls_die "$id: no planted-bypass build (scripts/deps --selftest)"
      flavour_args=("${sanitized[@]}" "-DMTLS_BACKEND_ROOT=$MTLS_DEPS_CACHE/selftest/$id")
      targets=(mtls-conformance server_hostile_fuzzer) ;;
    *) mtls_die "unknown build flavour '$MTLS_FLAVOUR' (gcc, clang, fuzz or selftest)" ;;
  esac
  mkdir -p "$(dirname "$dir")"
  # shellcheck disable=SC2086,SC2046  # the cmake args are word lists by design
  mtls_logged "$dir.configure.log" cmake -S "$MTLS_REPO" -B "$dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMTLS_WERROR=ON "-DMTLS_PYTHON=$MTLS_PYTHON" \
    $(mtls_compiler_cache_args) ${MTLS_CMAKE_ARGS[$id]} "${flavour_args[@]}" ||
    mtls_die "configuring $id failed"
  mtls_logged "$dir.build.log" ninja -C "$dir" "${targets[@]}" || mtls_die "building $id failed"
  echo "$dir"
}

# Whether a fuzz tree's backend is the instrumented build (libFuzzer sees inside the library).
mtls_fuzz_instrumented() { [[ -f $MTLS_DEPS_CACHE/fuzz/$1/VERSION ]]; }

# Sanitizer settings for running fuzz-tree binaries (fuzz/sanitizer_options.txt), each unless the
# caller set it.
while IFS='=' read -r name value; do
  if [[ $name =~ ^[A-Z]+_OPTIONS$ && -z ${!name:-} ]]; then
    export "$name=${value//suppressions=/suppressions=$MTLS_REPO/fuzz/}"
  fi
done <"$MTLS_REPO/fuzz/sanitizer_options.txt"

# Cross targets (DESIGN: IoT-class CPUs). mtls_cross_profile ARCH sets the Debian architecture,
# the GNU triplet, the qemu-user binary and the CPU model it emulates (fixed: instruction counts
# depend on it), and the sysroot scripts/sysroot assembles for it.
MTLS_CROSS_ARCHES=(armhf aarch64 riscv64)
MTLS_CACHE_ROOT="$(dirname "$MTLS_DEPS_CACHE")"
mtls_cross_profile() {
  case $1 in
    armhf) MTLS_DEB_ARCH=armhf MTLS_TRIPLET=arm-linux-gnueabihf MTLS_QEMU=qemu-arm MTLS_QEMU_CPU=cortex-a7 ;;
    aarch64) MTLS_DEB_ARCH=arm64 MTLS_TRIPLET=aarch64-linux-gnu MTLS_QEMU=qemu-aarch64 MTLS_QEMU_CPU=cortex-a53 ;;
    riscv64) MTLS_DEB_ARCH=riscv64 MTLS_TRIPLET=riscv64-linux-gnu MTLS_QEMU=qemu-riscv64 MTLS_QEMU_CPU=rv64 ;;
    *) mtls_die "unknown arch '$1' (${MTLS_CROSS_ARCHES[*]}; microcontrollers: ${MTLS_MCU_TARGETS[*]})" ;;
  esac
  MTLS_SYSROOT="$MTLS_CACHE_ROOT/sysroot/$1"
  # What CMake needs to build for it (the sysroot follows the cache, e.g. $MTLS_DEPS_CACHE in CI).
  MTLS_CROSS_CMAKE=("-DCMAKE_TOOLCHAIN_FILE=$MTLS_REPO/cmake/toolchains/$1.cmake" "-DMTLS_SYSROOT=$MTLS_SYSROOT")
}

# Microcontrollers (DESIGN: bare metal). scripts/deps --mcu builds the TLS libraries for each CPU
# of MTLS_MCU_ARCHES into <cache>/mcu/ARCH. A target is a firmware build (its toolchain file):
# one per CPU on qemu's mps2 board, and stm32f405, a real board's image (qemu: netduinoplus2).
# mtls_mcu_profile TARGET sets the qemu board that runs it and the library builds it links.
MTLS_MCU_ARCHES=(cortex-m4 cortex-m33)
MTLS_MCU_TARGETS=(cortex-m4 cortex-m33 stm32f405)
MTLS_MCU_PACKAGES=(gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm)
mtls_mcu_profile() {
  case $1 in
    cortex-m4) MTLS_MCU_BOARD=mps2-an386 MTLS_MCU_ARCH=cortex-m4 ;;
    cortex-m33) MTLS_MCU_BOARD=mps2-an505 MTLS_MCU_ARCH=cortex-m33 ;;
    stm32f405) MTLS_MCU_BOARD=netduinoplus2 MTLS_MCU_ARCH=cortex-m4 ;;
    *) mtls_die "unknown microcontroller '$1' (${MTLS_MCU_TARGETS[*]})" ;;
  esac
  MTLS_MCU_LIBRARIES="$MTLS_DEPS_CACHE/mcu/$MTLS_MCU_ARCH"
}
mtls_is_mcu() { [[ " ${MTLS_MCU_TARGETS[*]} " == *" $1 "* ]]; }

# Configures and builds the firmware tree of a microcontroller (build/mcu/ARCH: one firmware per
# library configuration of scripts/deps --mcu); prints its directory.
mtls_mcu_dir() { echo "$MTLS_BUILD_ROOT/mcu/$1"; }
mtls_build_mcu() {
  local arch=$1 dir
  dir=$(mtls_mcu_dir "$1")
  mtls_mcu_profile "$arch"
  mkdir -p "$(dirname "$dir")"
  mtls_logged "$dir.configure.log" cmake -S "$MTLS_REPO" -B "$dir" -G Ninja -DMTLS_WERROR=ON \
    "-DMTLS_PYTHON=$MTLS_PYTHON" "-DCMAKE_TOOLCHAIN_FILE=$MTLS_REPO/cmake/toolchains/$arch.cmake" \
    "-DMTLS_MCU_LIBRARIES_ROOT=$MTLS_MCU_LIBRARIES" || mtls_die "configuring the $arch firmware failed"
  mtls_logged "$dir.build.log" ninja -C "$dir" || mtls_die "building the $arch firmware failed"
  echo "$dir"
}
