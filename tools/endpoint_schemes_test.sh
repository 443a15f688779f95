#!/usr/bin/env bash
# Real peers for the schemes without certificate chains, on loopback: TLS-SRP against gnutls-serv
# (srptool's verifier file) and from gnutls-cli, raw public keys (RFC 7250) from gnutls-cli; each
# with a rejection (wrong password, untrusted key). Parts the build's manifest does not support
# are skipped; exit 77 when none is. The SRP test account is the one `mtls-bench --describe` lists
# (a build that claims TLS-SRP without one fails).
# Usage: endpoint_schemes_test.sh CLIENT SERVER CONFORMANCE PKI [BENCH]
set -uo pipefail
client=$1 server=$2 conformance=$3 pki=$4/ecdsa-p256 bench=${5:-}
source "$(dirname "$0")/endpoint_test_lib.sh"
ran=0
srp_account() {  # srp_account FIELD: "user" or "password" of the SRP test account
  "$bench" --describe 2>/dev/null |
    "$MTLS_PYTHON" -c "import json, sys; print(json.load(sys.stdin)['test_accounts']['srp']['$1'])"
}

if supports srp:tls1.2; then
  # The build claims TLS-SRP: a test that cannot learn the account fails rather than skip it.
  [[ -n $bench ]] || fail "TLS-SRP is claimed, but this tree has no mtls-bench to describe the test account"
  user=$(srp_account user) password=$(srp_account password)
  [[ -n $user && -n $password ]] || fail "mtls-bench --describe lists no SRP test account"
  ran=1
  # 1-2. mtls-client -> gnutls-serv with an SRP verifier file; a wrong password is refused.
  srptool --create-conf "$work/tpasswd.conf" >/dev/null 2>&1
  printf '%s\n%s\n' "$password" "$password" |
    srptool --passwd "$work/tpasswd" --passwd-conf "$work/tpasswd.conf" --index 3 -u "$user" \
      >/dev/null 2>&1 || fail "srptool could not write the verifier file"
  port=$(free_port)
  timeout 20 gnutls-serv -p "$port" --srppasswd "$work/tpasswd" \
    --srppasswdconf "$work/tpasswd.conf" --priority NORMAL:+SRP --echo >"$work/serv.log" 2>&1 &
  pids+=($!)
  wait_for "$work/serv.log" 'listening' || fail "gnutls-serv did not start"
  srp=(--connect "127.0.0.1:$port" --tls_version 1.2 --srp_user "$user" --timeout_ms 5000)
  if "$client" "${srp[@]}" --srp_password "$password" --count 2 >"$work/out" 2>&1 &&
    grep -q "2/2 handshakes mutually authenticated" "$work/out"; then
    ok "mtls-client -> gnutls-serv (TLS-SRP): 2/2"
  else
    fail "mtls-client -> gnutls-serv (TLS-SRP)"; cat "$work/out"
  fi
  "$client" "${srp[@]}" --srp_password "wrong $password" --count 1 >"$work/out" 2>&1
  if [[ $? -eq 1 ]] && grep -q "0/1" "$work/out"; then
    ok "gnutls-serv refuses a wrong SRP password"
  else
    fail "gnutls-serv accepted a wrong SRP password"; cat "$work/out"
  fi

  # 3. gnutls-cli -> mtls-server (TLS-SRP).
  port=$(start_server "$work/srp-server.log" --tls_version 1.2 --srp_user "$user" \
    --srp_password "$password" --count 1)
  echo hello | timeout 10 gnutls-cli -p "$port" 127.0.0.1 --srpusername "$user" \
    --srppasswd "$password" --priority NORMAL:+SRP >"$work/cli.log" 2>&1
  if wait_for "$work/srp-server.log" "1/1 connections mutually authenticated" &&
    grep -q "SRP user $user" "$work/srp-server.log"; then
    ok "gnutls-cli -> mtls-server (TLS-SRP): 1/1"
  else
    fail "gnutls-cli -> mtls-server (TLS-SRP)"; cat "$work/srp-server.log" "$work/cli.log"
  fi
fi

if supports rpk; then
  ran=1
  # 4-5. gnutls-cli -> mtls-server with raw public keys: the server accepts exactly the client
  # key it was given and refuses another (the untrusted client's).
  # rpk_case KEY SUMMARY DETAIL WHAT: a fresh mtls-server trusting the client-d1 key, gnutls-cli
  # sending KEY's public key; the server log must show SUMMARY and DETAIL.
  rpk_case() {
    local log="$work/rpk-server-$RANDOM.log" port
    port=$(start_server "$log" --raw_key_peer "$pki/client-d1.chain.pem" \
      --chain "$pki/server-d1.chain.pem" --key "$pki/server-d1.key" --count 1)
    openssl pkey -in "$1" -pubout -out "$work/client.pub" 2>/dev/null
    echo hello | timeout 10 gnutls-cli -p "$port" 127.0.0.1 --rawpkkeyfile "$1" \
      --rawpkfile "$work/client.pub" --priority "NORMAL:-CTYPE-ALL:+CTYPE-CLI-RAWPK:+CTYPE-SRV-RAWPK" \
      --insecure >"$work/cli.log" 2>&1
    if wait_for "$log" "$2" && grep -q "$3" "$log"; then
      ok "$4"
    else
      fail "$4"; cat "$log" "$work/cli.log"
    fi
  }
  rpk_case "$pki/client-d1.key" "1/1 connections mutually authenticated" "raw public key" \
    "gnutls-cli -> mtls-server (raw public keys): 1/1"
  rpk_case "$4/invalid/client-untrusted.key" "0/1 connections" "untrusted_issuer" \
    "mtls-server refuses an untrusted raw public key from gnutls-cli"
fi

[[ $ran -eq 1 ]] || { echo "skipped: this build has neither TLS-SRP nor raw public keys"; exit 77; }
exit $((failures > 0))
