#!/usr/bin/env bash
# Bad input to the command-line tools: each must exit non-zero with exactly one line on stderr
# that names the problem, and never crash.
# Usage: cli_bad_input_test.sh HANDSHAKE CONFORMANCE PKI CLIENT SERVER
set -uo pipefail
handshake=$1 conformance=$2 pki=$3 client=$4 server=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect_error WANT_EXIT FRAGMENT COMMAND...
expect_error() {
  local want_exit=$1 fragment=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local rc=$? lines
  lines=$(wc -l <"$work/err")
  if [[ $rc -ne $want_exit || $lines -ne 1 ]] || ! grep -qF -- "$fragment" "$work/err"; then
    echo "FAIL: $* -> exit $rc (want $want_exit), $lines stderr lines, want '$fragment':"
    sed 's/^/    /' "$work/err"
    failures=$((failures + 1))
  else
    echo "ok: $(cat "$work/err")"
  fi
}

# Garbled inputs derived from the real test PKI.
cp "$pki/ecdsa-p256/client-d1.chain.pem" "$work/garbled.pem"
sed -i '3s/./*/5' "$work/garbled.pem"
sed '3d' "$pki/ecdsa-p256/client-d1.chain.pem" >"$work/truncated.pem"
head -c 300 "$pki/ecdsa-p256/client-d1.chain.pem" >"$work/no-end.pem"
key="$pki/ecdsa-p256/client-d1.key"

"$handshake" >"$work/out" 2>&1 && grep -q "mutually authenticated" "$work/out" ||
  { echo "FAIL: the default handshake must authenticate"; cat "$work/out"; failures=$((failures + 1)); }
"$handshake" --help >"$work/out" 2>&1
grep -q -- "--client_chain (Client certificate chain" "$work/out" ||
  { echo "FAIL: --help must list the tool's flags"; cat "$work/out"; failures=$((failures + 1)); }

expect_error 2 "garbled.pem: PEM block 1 (CERTIFICATE) is not valid base64" \
  "$handshake" --client_chain "$work/garbled.pem" --client_key "$key"
expect_error 2 "truncated.pem: PEM block 1 (CERTIFICATE) is not a well-formed DER" \
  "$handshake" --client_chain "$work/truncated.pem" --client_key "$key"
expect_error 2 "no-end.pem: PEM block CERTIFICATE has no END line" \
  "$handshake" --client_chain "$work/no-end.pem" --client_key "$key"
expect_error 2 "expected only CERTIFICATE blocks, found PRIVATE KEY" \
  "$handshake" --client_chain "$key" --client_key "$key"
expect_error 2 "client: private key does not match the leaf certificate" \
  "$handshake" --client_chain "$pki/invalid/client-wrong-key.crt" --client_key "$pki/invalid/client-wrong.key"
expect_error 2 "/nonexistent/chain.pem: cannot read" \
  "$handshake" --client_chain /nonexistent/chain.pem --client_key "$key"
expect_error 2 "give both --client_chain and --client_key" "$handshake" --client_chain "$key"
expect_error 2 "unknown scheme 'dsa1024'" "$handshake" --scheme dsa1024
expect_error 2 "unknown TLS version '1.1'" "$handshake" --tls_version 1.1
expect_error 2 "unknown group 'P-521x'" "$handshake" --group P-521x
expect_error 2 "unknown protocol 'quic'" "$handshake" --protocol quic
expect_error 2 "unknown DTLS version '1.0'" "$handshake" --protocol dtls --tls_version 1.0
expect_error 2 "path MTU 100 is below the minimum of 256 bytes" "$handshake" --protocol dtls --mtu 100
expect_error 2 "loss rate 1 is outside [0, 1)" "$handshake" --protocol dtls --loss 100
expect_error 2 "need --protocol dtls" "$handshake" --mtu 500
# A Connection ID: a library without one says so in one line (exit 2); one with it authenticates.
"$handshake" --protocol dtls --tls_version 1.2 --cid >"$work/out" 2>"$work/err"
rc=$?
if ! { [[ $rc -eq 0 ]] && grep -q "mutually authenticated" "$work/out"; } &&
  ! { [[ $rc -eq 2 && $(wc -l <"$work/err") -eq 1 ]] && grep -q "Connection ID" "$work/err"; }; then
  echo "FAIL: --protocol dtls --cid -> exit $rc:"
  sed 's/^/    /' "$work/out" "$work/err"
  failures=$((failures + 1))
else
  echo "ok: --cid: exit $rc $(cat "$work/err")"
fi
expect_error 2 "unknown certificate compression 'lzma'" "$handshake" --cert_compression lzma
expect_error 2 "certificate compression exists only in (D)TLS 1.3" \
  "$handshake" --tls_version 1.2 --cert_compression zlib
# Certificate compression: a library without it says so in one line (exit 2); one with it
# authenticates and reports the server's certificate compressed.
"$handshake" --cert_compression zlib >"$work/out" 2>"$work/err"
rc=$?
if ! { [[ $rc -eq 0 ]] && grep -q "peer certificate compressed with zlib" "$work/out"; } &&
  ! { [[ $rc -eq 2 && $(wc -l <"$work/err") -eq 1 ]] && grep -q "cert-compression:zlib" "$work/err"; }; then
  echo "FAIL: --cert_compression zlib -> exit $rc:"
  sed 's/^/    /' "$work/out" "$work/err"
  failures=$((failures + 1))
else
  echo "ok: --cert_compression: exit $rc $(cat "$work/err")"
fi
# The real endpoints' transport, PSK and DTLS flags.
peer=(--connect 127.0.0.1:9)
expect_error 2 "unknown protocol 'quic'" "$client" "${peer[@]}" --protocol quic
expect_error 2 "--mtu and --cid need --protocol dtls" "$client" "${peer[@]}" --mtu 500
expect_error 2 "path MTU 100 is below the minimum of 256 bytes" "$client" "${peer[@]}" --protocol dtls --mtu 100
expect_error 2 "--psk_key must be an even number of hex digits" "$client" "${peer[@]}" --psk_identity d --psk_key 0g
expect_error 2 "give both --psk_identity and --psk_key" "$client" "${peer[@]}" --psk_identity d
expect_error 2 "--psk_only needs --psk_identity and --psk_key" "$client" "${peer[@]}" --psk_only
expect_error 2 "--cookie needs --protocol dtls" "$server" --chain "$pki/ecdsa-p256/server-d1.chain.pem" \
  --key "$pki/ecdsa-p256/server-d1.key" --cookie
expect_error 2 "unknown DTLS version '1.1'" "$server" --protocol dtls --tls_version 1.1
expect_error 1 "Unknown command line flag 'frobnicate'" "$handshake" --frobnicate
expect_error 2 "unexpected argument 'extra'" "$handshake" extra
expect_error 2 "no case matches --filter='no-such-case'" "$conformance" --filter no-such-case
expect_error 2 "test PKI not usable" "$conformance" --pki_dir /nonexistent

# An untrusted peer is not bad input: it is a rejected handshake (exit 1), reported on stdout.
"$handshake" --client_chain "$pki/invalid/client-untrusted.crt" \
  --client_key "$pki/invalid/client-untrusted.key" >"$work/out" 2>&1
rc=$?
if [[ $rc -ne 1 ]] || ! grep -q "untrusted_issuer" "$work/out"; then
  echo "FAIL: untrusted client must be rejected with exit 1 and untrusted_issuer (exit $rc)"
  cat "$work/out"
  failures=$((failures + 1))
fi

exit $((failures > 0))
