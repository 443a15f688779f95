# shellcheck shell=bash disable=SC2154  # $server, $conformance: set by the sourcing script
# What the real-endpoint test scripts share (sourced): a scratch directory and the background
# peers it cleans up, ok/fail tallies, free ports, waiting for a log line, the build's manifest,
# and mtls-server on a free port. The sourcing script sets $server (mtls-server) and, for
# `supports`, $conformance (mtls-conformance).
: "${MTLS_PYTHON:?the interpreter CTest passes in the environment (tools/CMakeLists.txt)}"
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# free_port [N]: the first of N consecutive ports (default 1) free for both TCP and UDP.
free_port() {
  "$MTLS_PYTHON" - "${1:-1}" <<'PY'
import socket, sys
count = int(sys.argv[1])
for _ in range(100):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    first = probe.getsockname()[1]
    probe.close()
    held = []
    try:
        for port in range(first, first + count):
            for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                s = socket.socket(socket.AF_INET, kind)
                held.append(s)
                s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        for s in held:
            s.close()
    print(first)
    sys.exit(0)
sys.exit("no free ports")
PY
}

wait_for() {  # wait_for FILE REGEX: until a line matches (5 s at most)
  for _ in $(seq 50); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# supports FEATURE: the build's manifest supports it. manifest_reason FEATURE: why not.
manifest_row() {
  [[ -f $work/manifest.json ]] ||
    "$conformance" --manifest --json "$work/manifest.json" >/dev/null || fail "mtls-conformance --manifest --json"
  "$MTLS_PYTHON" -c 'import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["backend"]["manifest"] if r["feature"] == sys.argv[2]]
print(rows[0]["reason"] if rows and not rows[0]["supported"] else "")
sys.exit(0 if rows and rows[0]["supported"] else 1)' "$work/manifest.json" "$1"
}
supports() { manifest_row "$1" >/dev/null; }
manifest_reason() { manifest_row "$1" || true; }

start_server() {  # start_server LOG ARGS...: mtls-server on a free port, prints the port
  local log=$1
  shift
  "$server" --listen 127.0.0.1:0 --timeout_ms 5000 "$@" >"$log" 2>&1 &
  pids+=($!)
  wait_for "$log" 'listening on' || fail "mtls-server did not start"
  grep -oE 'listening on .*:[0-9]+' "$log" | grep -oE '[0-9]+$'
}
