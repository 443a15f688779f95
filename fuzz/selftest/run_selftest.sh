#!/usr/bin/env bash
# fuzz-selftest (mutation testing of the harness): a build with a planted authentication bypass
# (fuzz/selftest/<id>-planted-bypass.patch, made by scripts/deps --selftest and built by
# scripts/test into build/selftest/<id>) must turn the hostile-client matrix red and make the
# server_hostile fuzzer report a MUTUAL-AUTH VIOLATION within its budget, starting from the
# honest seeds only; the same checks on the clean build must stay green.
# Usage: run_selftest.sh CLEAN_TREE PLANTED_TREE SEED_DIR [PLANTED_BUDGET_S] [CLEAN_BUDGET_S]
# Exit 77 (CTest: skipped) when the planted build is absent.
set -euo pipefail
clean=${1:?clean tree} planted=${2:?planted tree} seeds=${3:?seed directory}
planted_budget=${4:-120} clean_budget=${5:-30}
say() { echo "fuzz-selftest: $*"; }
fail() { say "FAILED: $*"; exit 1; }
if [[ ! -x $planted/tools/mtls-conformance || ! -x $planted/fuzz/server_hostile_fuzzer ]]; then
  say "no planted build in $planted (scripts/deps --selftest, then scripts/test): skipped"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The conformance matrix: green on the clean build, the forged proofs FAIL on the planted one.
"$clean/tools/mtls-conformance" --filter hostile/ >"$work/clean.txt" 2>&1 ||
  { cat "$work/clean.txt"; fail "the clean build's hostile-client matrix is not green"; }
status=0
"$planted/tools/mtls-conformance" --filter hostile/ >"$work/planted.txt" 2>&1 || status=$?
if [[ $status -ne 1 ]]; then
  cat "$work/planted.txt"
  fail "planted build: matrix exit $status, not 1"
fi
caught=$(grep -E ' FAIL +hostile/foreign-key-signature/TLSv1\.[23] .*AUTHENTICATION BYPASS' \
  "$work/planted.txt" | wc -l)
if [[ $caught -ne 2 ]]; then
  cat "$work/planted.txt"
  fail "planted build: the forged proof was not caught in both versions"
fi
grep -qE ' pass +hostile/honest/TLSv1\.3' "$work/planted.txt" ||
  fail "planted build: the honest control no longer passes"
red=$(grep -c ' FAIL ' "$work/planted.txt")
say "matrix: clean build green; planted build red ($red FAIL cells, foreign-key-signature" \
  "in TLS 1.2 and 1.3)"

# 2. The fuzzer, from the honest seeds only: it must forge the proof itself.
mkdir "$work/corpus" "$work/clean-corpus"
cp "$seeds"/TLSv1.*-honest "$work/corpus/"
cp "$seeds"/TLSv1.*-honest "$work/clean-corpus/"
# The target's own flags, as scripts/fuzz and ClusterFuzzLite run it ([libfuzzer] name = value).
mapfile -t edit_flags < <(sed -n 's/^\([a-z_]*\) *= *\(.*\)$/-\1=\2/p' \
  "$(dirname "$0")/../server_hostile_fuzzer.options")
[[ ${#edit_flags[@]} -gt 0 ]] || fail "no libFuzzer flags read from server_hostile_fuzzer.options"
start=$(date +%s%N)
status=0
"$planted/fuzz/server_hostile_fuzzer" -seed=1 -max_total_time="$planted_budget" "${edit_flags[@]}" \
  -artifact_prefix="$work/" "$work/corpus" >"$work/planted-fuzz.txt" 2>&1 || status=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
if [[ $status -eq 0 ]] || ! grep -q "MUTUAL-AUTH VIOLATION" "$work/planted-fuzz.txt"; then
  tail -20 "$work/planted-fuzz.txt"
  fail "the fuzzer did not catch the planted bypass in ${planted_budget} s"
fi
executions=$(grep -oE '^#[0-9]+' "$work/planted-fuzz.txt" | tail -1 | tr -d '#')
report=$(grep -m1 'MUTUAL-AUTH VIOLATION' "$work/planted-fuzz.txt")
say "fuzzer: planted bypass caught after $((elapsed_ms / 1000)).$((elapsed_ms % 1000 / 100)) s" \
  "(about ${executions:-?} executions): $report"
status=0
"$clean/fuzz/server_hostile_fuzzer" -seed=1 -max_total_time="$clean_budget" "${edit_flags[@]}" \
  -artifact_prefix="$work/" "$work/clean-corpus" >"$work/clean-fuzz.txt" 2>&1 || status=$?
if [[ $status -ne 0 ]]; then
  tail -20 "$work/clean-fuzz.txt"
  fail "the clean build's fuzzer stopped (exit $status)"
fi
say "fuzzer: clean build quiet for ${clean_budget} s"
