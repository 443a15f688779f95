#!/usr/bin/env bash
# Real-endpoint mode against real peers on loopback: mtls-client against openssl s_server and
# gnutls-serv requiring client certificates, mtls-server serving openssl s_client and gnutls-cli;
# plus the rejections (no client certificate). Usage: endpoint_test.sh CLIENT SERVER PKI
set -uo pipefail
client=$1 server=$2 pki=$3/ecdsa-p256
source "$(dirname "$0")/endpoint_test_lib.sh"
client_args=(--server_name server.mtls.test --trust "$pki/root.crt" --timeout_ms 5000)
creds=(--chain "$pki/client-d1.chain.pem" --key "$pki/client-d1.key")
server_args=(--trust "$pki/root.crt" --chain "$pki/server-d1.chain.pem" --key "$pki/server-d1.key"
             --timeout_ms 5000)

# 1-2. mtls-client -> openssl s_server (-Verify: a client certificate is required and verified).
timeout 20 openssl s_server -accept 127.0.0.1:0 -naccept 4 -cert "$pki/server-d1.chain.pem" \
  -key "$pki/server-d1.key" -CAfile "$pki/root.crt" -Verify 1 -verify_return_error -rev \
  >"$work/s_server.log" 2>&1 &
pids+=($!)
wait_for "$work/s_server.log" 'ACCEPT .*:[0-9]+' || fail "s_server did not start"
port=$(grep -oE 'ACCEPT .*:[0-9]+' "$work/s_server.log" | grep -oE '[0-9]+$')
if "$client" --connect "127.0.0.1:$port" "${client_args[@]}" "${creds[@]}" --count 3 \
  --json "$work/client.json" >"$work/out" 2>&1 && grep -q "3/3 handshakes mutually authenticated" "$work/out" &&
  grep -q '"mutual_auth_verified": 1' "$work/client.json"; then
  ok "mtls-client -> openssl s_server: 3/3"
else
  fail "mtls-client -> openssl s_server"; cat "$work/out"
fi
"$client" --connect "127.0.0.1:$port" "${client_args[@]}" --count 1 >"$work/out" 2>&1
if [[ $? -eq 1 ]] && grep -q "0/1" "$work/out"; then
  ok "openssl s_server rejects mtls-client without a certificate"
else
  fail "s_server must reject a client without certificate"; cat "$work/out"
fi

# 3-4. mtls-client -> gnutls-serv (--require-client-cert --verify-client-cert).
port=$(free_port)
timeout 20 gnutls-serv -p "$port" --x509certfile "$pki/server-d1.chain.pem" \
  --x509keyfile "$pki/server-d1.key" --x509cafile "$pki/root.crt" --require-client-cert \
  --verify-client-cert --echo >"$work/gnutls-serv.log" 2>&1 &
pids+=($!)
wait_for "$work/gnutls-serv.log" 'listening' || fail "gnutls-serv did not start"
if "$client" --connect "127.0.0.1:$port" "${client_args[@]}" "${creds[@]}" --count 3 >"$work/out" 2>&1 &&
  grep -q "3/3" "$work/out"; then
  ok "mtls-client -> gnutls-serv: 3/3"
else
  fail "mtls-client -> gnutls-serv"; cat "$work/out"
fi
"$client" --connect "127.0.0.1:$port" "${client_args[@]}" --count 1 >"$work/out" 2>&1
if [[ $? -eq 1 ]]; then ok "gnutls-serv rejects mtls-client without a certificate"; else fail "gnutls-serv accepted a client without certificate"; fi

# 5-6. openssl s_client -> mtls-server, with and without a client certificate.
"$server" --listen 127.0.0.1:0 "${server_args[@]}" --count 3 --json "$work/server.json" \
  >"$work/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
wait_for "$work/server.log" 'listening on' || fail "mtls-server did not start"
port=$(grep -oE 'listening on .*:[0-9]+' "$work/server.log" | grep -oE '[0-9]+$')
for _ in 1 2; do
  echo hello | timeout 10 openssl s_client -connect "127.0.0.1:$port" -cert "$pki/client-d1.chain.pem" \
    -key "$pki/client-d1.key" -CAfile "$pki/root.crt" -verify_return_error \
    -verify_hostname server.mtls.test -quiet -no_ign_eof >/dev/null 2>&1 || fail "openssl s_client -> mtls-server"
done
echo hello | timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$pki/root.crt" \
  -quiet -no_ign_eof >/dev/null 2>&1
wait "$server_pid"
rc=$?
if [[ $rc -eq 1 ]] && grep -q "2/3 connections mutually authenticated" "$work/server.log" &&
  grep -q "connection 3: rejected: no_peer_certificate" "$work/server.log"; then
  ok "openssl s_client -> mtls-server: 2 authenticated, the one without a certificate rejected"
else
  fail "mtls-server with s_client (exit $rc)"; cat "$work/server.log"
fi

# 7. gnutls-cli -> mtls-server.
"$server" --listen 127.0.0.1:0 "${server_args[@]}" --count 1 >"$work/server2.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
wait_for "$work/server2.log" 'listening on' || fail "mtls-server did not start"
port=$(grep -oE 'listening on .*:[0-9]+' "$work/server2.log" | grep -oE '[0-9]+$')
echo hello | timeout 10 gnutls-cli -p "$port" 127.0.0.1 --x509certfile "$pki/client-d1.chain.pem" \
  --x509keyfile "$pki/client-d1.key" --x509cafile "$pki/root.crt" \
  --verify-hostname server.mtls.test >"$work/gnutls-cli.log" 2>&1 || fail "gnutls-cli -> mtls-server"
if wait "$server_pid" && grep -q "1/1 connections mutually authenticated" "$work/server2.log"; then
  ok "gnutls-cli -> mtls-server: 1/1"
else
  fail "gnutls-cli -> mtls-server"; cat "$work/server2.log" "$work/gnutls-cli.log"
fi

exit $((failures > 0))
