#!/usr/bin/env bash
# CTest entry (label bench-smoke): the report path end to end on this build's real results. A short
# mtls-bench run (five repetitions of one handshake and one primitive) goes through scripts/report
# (report.md and plots must name the build; report.html is rendered in headless Chromium by
# report_browser_check.py: contents, sections, charts, sorting, a screenshot) and through
# scripts/report compare against itself (no change, exit 0). Usage: report_ctest.sh MTLS_BENCH ID
set -euo pipefail
bench=$1 id=$2
source "$(dirname "$0")/common.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

results=("$MTLS_PYTHON" "$MTLS_REPO/scripts/lib/results.py" --bench "$bench")
# The headline case is defined twice, as the C++ HandshakeCase{}'s defaults and as results.py's
# HEADLINE (for the scripts): they must name the same case.
headline=$("${results[@]}" case-name --headline)
default=$("$bench" --describe |
  "$MTLS_PYTHON" -c 'import json, sys; print(json.load(sys.stdin).get("headline_case", ""))')
if [[ -z $default ]]; then
  echo "mtls-bench --describe names no headline_case (its default case): results.py HEADLINE" \
    "($headline) cannot be checked against it" >&2
  exit 1
fi
if [[ $headline != "$default" ]]; then
  echo "results.py HEADLINE is $headline, mtls-bench's default case $default: make them agree" >&2
  exit 1
fi

# The headline case in both TLS versions and a primitive, their names from the binary's own
# description.
cases=$headline$'\n'$("${results[@]}" case-name --headline version=TLSv1.2)
cases+=$'\n'$("${results[@]}" case-name suite=primitive operation=sign scheme=ecdsa-p256)
cases=${cases//./\\.}
"$bench" --benchmark_filter="^(${cases//$'\n'/|})\$" \
  --benchmark_repetitions=5 --benchmark_min_time=0.01 --benchmark_display_aggregates_only=true \
  --benchmark_out="$work/$id.json" --benchmark_out_format=json >/dev/null
"$MTLS_REPO/scripts/report" --out "$work" "$work/$id.json"
grep -q "$id" "$work/report.md" || { echo "report.md does not name $id" >&2; exit 1; }
ls "$work"/plots/*.svg >/dev/null || { echo "no plots written" >&2; exit 1; }
"$MTLS_REPO/scripts/report" compare "$work/$id.json" "$work/$id.json" >"$work/compare.md"
grep -q "0 regressions, 0 improvements, 0 changes below the threshold" "$work/compare.md" ||
  { cat "$work/compare.md" >&2; exit 1; }
echo "report and self-comparison of $id: ok"

# The HTML report beside report.md, rendered in headless Chromium: contents, sections, charts,
# sortable tables and a screenshot checked from the page a browser shows.
[[ -f $work/report.html ]] || { echo "scripts/report wrote no report.html" >&2; exit 1; }
"$MTLS_PYTHON" "$MTLS_REPO/scripts/lib/report_browser_check.py" "$work/report.html"
