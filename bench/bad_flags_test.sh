#!/usr/bin/env bash
# mtls-bench and mtls-count on bad input: one line on stderr naming what is wrong, exit 2, nothing
# run. Usage: bad_flags_test.sh MTLS_BENCH MTLS_COUNT
set -uo pipefail
bench=$1 count=$2
failures=0
expect_one_line_exit_2() {  # expect_one_line_exit_2 WORDS_IN_THE_LINE COMMAND...
  local words=$1 out status
  shift
  out=$("$@" 2>&1 >/dev/null)
  status=$?
  if [[ $status -ne 2 || $(wc -l <<<"$out") -ne 1 || $out != *"$words"* ]]; then
    echo "FAIL: $* -> exit $status, stderr: $out"
    failures=$((failures + 1))
  else
    echo "ok: $* -> $out"
  fi
}
for threads in 0 -1 two 2,,4 4097; do
  expect_one_line_exit_2 "--threads" "$bench" "--threads=$threads" --benchmark_list_tests
done
expect_one_line_exit_2 "--matrix" "$bench" --matrix=everything --benchmark_list_tests
expect_one_line_exit_2 "slow-down" "$bench" --client_slowdown=0 --benchmark_list_tests
expect_one_line_exit_2 "unknown case" "$count" --case_name=no/such/case
expect_one_line_exit_2 "--handshakes" "$count" --handshakes=0
exit $((failures > 0))
