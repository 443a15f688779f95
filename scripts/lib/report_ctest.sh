#!/usr/bin/env bash
# CTest entry (label bench-smoke): the report path end to end on this build's real results. A short
# mtls-bench run (five repetitions of one handshake and one primitive) goes through scripts/report
# (report.md and plots must name the build) and through scripts/report compare against itself (no
# change, exit 0). Usage: report_ctest.sh MTLS_BENCH BACKEND_ID
set -euo pipefail
bench=$1 id=$2
source "$(dirname "$0")/common.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The cases by their fields (both TLS versions), their names from the binary's own description.
results=("$MTLS_PYTHON" "$MTLS_REPO/scripts/lib/results.py" --bench "$bench")
cases=$("${results[@]}" case-name --all suite=handshake auth=mtls scheme=ecdsa-p256 depth=1 \
  group=X25519 resumption=full contexts=shared-ctx)
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
