#!/usr/bin/env bash
# CTest entry (label interop): this build as client against every sibling backend build in the
# same build root (itself included) as server. Usage: interop_ctest.sh ID BUILD_DIR
set -euo pipefail
id=$1 dir=$2
source "$(dirname "$0")/common.sh"
repo=$MTLS_REPO
args=(--pki "$repo/corpora/pki" --clients "$id")
for sibling in "$(dirname "$dir")"/*/; do
  sibling=${sibling%/}
  [[ -x $sibling/tools/mtls-server && -x $sibling/tools/mtls-conformance ]] || continue
  args+=(--build "$(basename "$sibling")=$sibling")
done
exec "$MTLS_PYTHON" "$repo/scripts/lib/interop.py" "${args[@]}"
