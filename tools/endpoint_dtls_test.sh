#!/usr/bin/env bash
# DTLS 1.2 with real peers over UDP on loopback, mutual authentication required both ways:
# mtls-client against openssl s_server -dtls1_2, gnutls-serv --udp and libcoap's coap-server;
# mtls-server serving openssl s_client -dtls1_2, gnutls-cli --udp and coap-client; certificates,
# external PSK and raw public keys (libcoap's GnuTLS build), each with a rejection. In DTLS 1.2
# the server's Finished comes last, so a client that completed the handshake was accepted.
# Parts the build's manifest does not support are skipped; exit 77 when it has no DTLS 1.2.
# Usage: endpoint_dtls_test.sh CLIENT SERVER CONFORMANCE PKI
set -uo pipefail
client=$1 server=$2 conformance=$3 pki=$4/ecdsa-p256
source "$(dirname "$0")/endpoint_test_lib.sh"

if ! supports dtls1.2; then
  echo "skipped: $(manifest_reason dtls1.2)"
  exit 77
fi
dtls=(--protocol dtls --tls_version 1.2 --timeout_ms 5000)
client_args=("${dtls[@]}" --server_name server.mtls.test --trust "$pki/root.crt")
creds=(--chain "$pki/client-d1.chain.pem" --key "$pki/client-d1.key")
server_args=(--trust "$pki/root.crt" --chain "$pki/server-d1.chain.pem" --key "$pki/server-d1.key")
psk_key_text=mtls-bench-psk-17  # libcoap takes the key as text, the others as its hex
psk=(--psk_identity device-17 --psk_key "$(printf %s "$psk_key_text" | od -An -tx1 | tr -d ' \n')")

# expect_client NAME COUNT ARGS...: mtls-client authenticates COUNT of COUNT handshakes
# (COUNT 0: one attempt, which must be rejected: exit 1, 0/1).
expect_client() {
  local name=$1 count=$2 rc
  shift 2
  "$client" "$@" --count "$((count > 0 ? count : 1))" >"$work/out" 2>&1
  rc=$?
  if [[ $count -gt 0 && $rc -eq 0 ]] && grep -q "$count/$count handshakes mutually authenticated" "$work/out"; then
    ok "$name: $count/$count"
  elif [[ $count -eq 0 && $rc -eq 1 ]] && grep -q "0/1 handshakes" "$work/out"; then
    ok "$name: rejected"
  else
    fail "$name (exit $rc)"; cat "$work/out"
  fi
}

# 1-2. mtls-client -> openssl s_server -dtls1_2 (-Verify 1: a client certificate is required).
port=$(free_port)
sleep 30 | timeout 30 openssl s_server -dtls1_2 -accept "127.0.0.1:$port" -naccept 3 \
  -cert "$pki/server-d1.chain.pem" -key "$pki/server-d1.key" -CAfile "$pki/root.crt" \
  -Verify 1 -verify_return_error >"$work/s_server.log" 2>&1 &
pids+=($!)
wait_for "$work/s_server.log" 'ACCEPT' || fail "s_server did not start"
expect_client "mtls-client -> openssl s_server -dtls1_2" 2 --connect "127.0.0.1:$port" \
  "${client_args[@]}" "${creds[@]}" --noping
expect_client "openssl s_server -dtls1_2, mtls-client without a certificate" 0 \
  --connect "127.0.0.1:$port" "${client_args[@]}" --noping

# 3-4. mtls-client -> gnutls-serv --udp (it answers with a HelloVerifyRequest cookie, echoes).
port=$(free_port)
timeout 30 gnutls-serv --udp -p "$port" --x509certfile "$pki/server-d1.chain.pem" \
  --x509keyfile "$pki/server-d1.key" --x509cafile "$pki/root.crt" --require-client-cert \
  --verify-client-cert --echo >/dev/null 2>&1 &  # its log floods after a rejection
pids+=($!)
sleep 0.5
expect_client "mtls-client -> gnutls-serv --udp (with ping)" 2 --connect "127.0.0.1:$port" \
  "${client_args[@]}" "${creds[@]}"
expect_client "gnutls-serv --udp, mtls-client without a certificate" 0 \
  --connect "127.0.0.1:$port" "${client_args[@]}" --timeout_ms 2000

# 5-7. openssl s_client -dtls1_2 and gnutls-cli --udp -> mtls-server (with a cookie exchange
# where the library has one); the client without a certificate is refused.
log=$work/server.log
cookie=() && supports dtls:cookie && cookie=(--cookie)
port=$(start_server "$log" "${dtls[@]}" "${server_args[@]}" "${cookie[@]}" --count 3)
s_client=(openssl s_client -dtls1_2 -connect "127.0.0.1:$port" -CAfile "$pki/root.crt"
  -verify_return_error -verify_hostname server.mtls.test -quiet -no_ign_eof)
echo hello | timeout 10 "${s_client[@]}" -cert "$pki/client-d1.chain.pem" -key "$pki/client-d1.key" \
  >"$work/s_client.log" 2>&1 || { fail "openssl s_client -dtls1_2 -> mtls-server"; cat "$work/s_client.log"; }
echo hello | timeout 10 gnutls-cli --udp -p "$port" 127.0.0.1 --x509certfile "$pki/client-d1.chain.pem" \
  --x509keyfile "$pki/client-d1.key" --x509cafile "$pki/root.crt" \
  --verify-hostname server.mtls.test >"$work/gnutls-cli.log" 2>&1 || fail "gnutls-cli --udp -> mtls-server"
echo hello | timeout 10 "${s_client[@]}" >/dev/null 2>&1
if wait_for "$log" "2/3 connections mutually authenticated" &&
  grep -q "connection 3: rejected: no_peer_certificate" "$log"; then
  ok "openssl s_client -dtls1_2 and gnutls-cli --udp -> mtls-server: 2 authenticated, the one without a certificate rejected"
else
  fail "mtls-server with s_client and gnutls-cli over DTLS"; cat "$log"
fi

# 8-10. External PSK against openssl s_server -dtls1_2 -psk (each key exchange the build has;
# a wrong key fails the Finished) and from openssl s_client -dtls1_2 -psk.
for mode in ecdhe_psk psk; do
  supports "psk:tls1.2:$mode" || { echo "skipped: PSK $mode: $(manifest_reason "psk:tls1.2:$mode")"; continue; }
  only=() && [[ $mode == psk ]] && only=(--psk_only)
  port=$(free_port)
  sleep 30 | timeout 30 openssl s_server -dtls1_2 -accept "127.0.0.1:$port" -naccept 2 -nocert \
    -psk "${psk[3]}" -psk_identity "${psk[1]}" -cipher PSK >"$work/s_server-psk.log" 2>&1 &
  pids+=($!)
  wait_for "$work/s_server-psk.log" 'ACCEPT' || fail "s_server -psk did not start"
  expect_client "mtls-client -> openssl s_server -dtls1_2 -psk ($mode)" 1 --connect "127.0.0.1:$port" \
    "${dtls[@]}" "${psk[@]}" "${only[@]}" --noping
  expect_client "openssl s_server -dtls1_2 -psk, wrong key ($mode)" 0 --connect "127.0.0.1:$port" \
    "${dtls[@]}" --psk_identity "${psk[1]}" --psk_key "ff${psk[3]:2}" "${only[@]}" --noping \
    --timeout_ms 2000  # a peer may discard what it cannot decrypt, silently
done
if supports psk:tls1.2:psk || supports psk:tls1.2:ecdhe_psk; then
  log=$work/psk-server.log
  port=$(start_server "$log" "${dtls[@]}" "${psk[@]}" --count 1)
  echo hello | timeout 10 openssl s_client -dtls1_2 -connect "127.0.0.1:$port" -psk "${psk[3]}" \
    -psk_identity "${psk[1]}" -cipher PSK -quiet -no_ign_eof >"$work/s_client-psk.log" 2>&1
  if wait_for "$log" "1/1 connections mutually authenticated" && grep -q "PSK identity device-17" "$log"; then
    ok "openssl s_client -dtls1_2 -psk -> mtls-server: 1/1, identity device-17"
  else
    fail "openssl s_client -dtls1_2 -psk -> mtls-server"; cat "$log" "$work/s_client-psk.log"
  fi
fi

# 11-16. libcoap (CoAP over DTLS, as constrained devices speak it). coap-server -p P serves DTLS
# on P+1 and, given a CA with -C (not -R, which accepts any self-signed peer), requires a client
# certificate. coap-client's exit status says nothing of the handshake: its log does.
# coap_server LOG ARGS...: starts it on free ports, prints the DTLS port.
coap_server() {
  local log=$1 base
  shift
  base=$(free_port 2)
  timeout 30 "$@" -A 127.0.0.1 -p "$base" -v 7 >"$log" 2>&1 &
  pids+=($!)
  sleep 0.5
  echo $((base + 1))
}
# coap_client NAME EXPECTED ARGS...: coap-client against mtls-server (PKI or PSK ARGS for both);
# mtls-server's last line must match EXPECTED.
coap_client() {
  local name=$1 expected=$2 log=$work/coap-server-side.log port
  shift 2
  local coap_args=() server_extra=()
  while [[ $# -gt 0 && $1 != -- ]]; do coap_args+=("$1"); shift; done
  shift
  server_extra=("$@")
  port=$(start_server "$log" "${dtls[@]}" "${server_extra[@]}" --count 1)
  timeout 10 "${coap_args[@]}" -v 7 -B 3 "coaps://127.0.0.1:$port/" >"$work/coap-client.log" 2>&1
  if wait_for "$log" "$expected"; then
    ok "$name"
  else
    fail "$name"; cat "$log" "$work/coap-client.log"
  fi
}

port=$(coap_server "$work/coap-server.log" coap-server-openssl -c "$pki/server-d1.chain.pem" \
  -j "$pki/server-d1.key" -C "$pki/root.crt")
expect_client "mtls-client -> coap-server-openssl (certificates)" 1 --connect "127.0.0.1:$port" \
  "${client_args[@]}" "${creds[@]}" --noping
grep -q "CN 'client.mtls.test' presented by client (Certificate)" "$work/coap-server.log" ||
  fail "coap-server-openssl did not log the client's certificate"
expect_client "coap-server-openssl, mtls-client without a certificate" 0 \
  --connect "127.0.0.1:$port" "${client_args[@]}" --noping
coap_client "coap-client-openssl -> mtls-server (certificates): 1/1" \
  "1/1 connections mutually authenticated" coap-client-openssl -c "$pki/client-d1.chain.pem" \
  -j "$pki/client-d1.key" -C "$pki/root.crt" -- "${server_args[@]}"
coap_client "coap-client-openssl without a certificate: mtls-server refuses it" \
  "rejected: no_peer_certificate" coap-client-openssl -C "$pki/root.crt" -- "${server_args[@]}"

# PSK with libcoap's GnuTLS build (its OpenSSL build takes AEAD PSK suites only, which some
# libraries lack in DTLS), in each key exchange the build has.
for mode in ecdhe_psk psk; do
  supports "psk:tls1.2:$mode" || continue
  only=() && [[ $mode == psk ]] && only=(--psk_only)
  port=$(coap_server "$work/coap-psk-$mode.log" coap-server-gnutls -k "$psk_key_text" -h hint)
  expect_client "mtls-client -> coap-server-gnutls (PSK, $mode)" 1 --connect "127.0.0.1:$port" \
    "${dtls[@]}" "${psk[@]}" "${only[@]}" --noping
  expect_client "coap-server-gnutls, wrong PSK ($mode)" 0 --connect "127.0.0.1:$port" "${dtls[@]}" \
    --psk_identity device-17 --psk_key "ff${psk[3]:2}" "${only[@]}" --noping --timeout_ms 2000
  coap_client "coap-client-gnutls -> mtls-server (PSK, $mode): 1/1, identity device-17" \
    "PSK identity device-17" coap-client-gnutls -u device-17 -k "$psk_key_text" \
    -- "${psk[@]}" "${only[@]}"
done

# Raw public keys: libcoap has them with GnuTLS only (-M: a PEM "EC PRIVATE KEY"); it requires
# the peer's raw key but pins none, so the pinning is this build's to prove.
if supports rpk; then
  openssl ec -in "$pki/client-d1.key" -out "$work/client-ec.key" 2>/dev/null
  openssl ec -in "$pki/server-d1.key" -out "$work/server-ec.key" 2>/dev/null
  openssl x509 -in "$pki/server-d1.chain.pem" -out "$work/server-leaf.pem"
  openssl x509 -in "$pki/client-d1.chain.pem" -out "$work/client-leaf.pem"
  port=$(coap_server "$work/coap-rpk.log" coap-server-gnutls -M "$work/server-ec.key")
  rpk_client=(--connect "127.0.0.1:$port" "${dtls[@]}" --chain "$pki/client-d1.chain.pem"
    --key "$pki/client-d1.key" --noping)
  expect_client "mtls-client -> coap-server-gnutls (raw public keys)" 1 "${rpk_client[@]}" \
    --raw_key_peer "$work/server-leaf.pem"
  expect_client "coap-server-gnutls's key not the one pinned: mtls-client refuses it" 0 \
    "${rpk_client[@]}" --raw_key_peer "$work/client-leaf.pem"
  rpk_server=(--chain "$pki/server-d1.chain.pem" --key "$pki/server-d1.key")
  coap_client "coap-client-gnutls -> mtls-server (raw public keys): 1/1" "authenticated raw public key" \
    coap-client-gnutls -M "$work/client-ec.key" -- "${rpk_server[@]}" --raw_key_peer "$work/client-leaf.pem"
  coap_client "coap-client-gnutls with another key: mtls-server refuses it" "0/1 connections" \
    coap-client-gnutls -M "$work/server-ec.key" -- "${rpk_server[@]}" --raw_key_peer "$work/client-leaf.pem"
else
  echo "skipped: raw public keys: $(manifest_reason rpk)"
fi

exit $((failures > 0))
