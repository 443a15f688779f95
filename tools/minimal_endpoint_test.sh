#!/usr/bin/env bash
# The minimal client and server complete a verified mTLS handshake with each other on loopback,
# and the client refuses a server its root does not vouch for.
# Usage: minimal_endpoint_test.sh MINIMAL_CLIENT MINIMAL_SERVER PKI_DIR
set -euo pipefail
client=$1 server=$2 pki=$3/ecdsa-p256 other=$3/rsa2048
work=$(mktemp -d)
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

start_server() {  # CHAIN KEY: the server on a free port; sets port and server_pid
  "$server" 127.0.0.1 0 "$1" "$2" "$pki/root.crt" >"$work/server.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    port=$(sed -n 's/^listening on //p' "$work/server.out")
    [[ -n $port ]] && return
    sleep 0.1
  done
  echo "FAIL: the server did not start: $(cat "$work/server.out")"
  exit 1
}

start_server "$pki/server-d1.chain.pem" "$pki/server-d1.key"
"$client" 127.0.0.1 "$port" "$pki/client-d1.chain.pem" "$pki/client-d1.key" "$pki/root.crt" |
  grep -qx "peer verified" || { echo "FAIL: the client did not verify the server"; exit 1; }
wait "$server_pid" || { echo "FAIL: server: $(cat "$work/server.out")"; exit 1; }
grep -qx "peer verified" "$work/server.out" || { echo "FAIL: the server did not verify the client"; exit 1; }

# A server certificate from another root: the client must fail the handshake.
start_server "$other/server-d1.chain.pem" "$other/server-d1.key"
if "$client" 127.0.0.1 "$port" "$pki/client-d1.chain.pem" "$pki/client-d1.key" "$pki/root.crt" \
  >"$work/client.out" 2>&1; then
  echo "FAIL: the client accepted a server from an untrusted root"
  exit 1
fi
wait "$server_pid" 2>/dev/null || true
echo "ok: verified both ways; untrusted server refused ($(head -1 "$work/client.out"))"
