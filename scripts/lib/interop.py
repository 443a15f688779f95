#!/usr/bin/env python3
"""Cross-backend interop matrix: every client build against every server build (itself included),
in separate processes over loopback sockets, for each scheme and TLS version both support, with
mutual authentication required (mtls-server requires and verifies the client certificate, raw
public key or password; mtls-client verifies the server and proves the server accepted it).
Schemes: the certificate schemes of the test PKI, raw public keys (ECDSA P-256) and TLS-SRP; plus
the post-quantum key exchanges ("kex:<group>", TLS 1.3, ECDSA P-256 certificates).

Prints the matrix and optionally writes it as JSON; exit 1 when a pair that both sides support
fails.
"""
import argparse
import json
import os
import re
import subprocess
import sys

SCHEMES = ["ecdsa-p256", "ecdsa-p384", "ed25519", "rsa2048", "rsa3072", "mldsa44", "mldsa65",
           "dilithium2", "dilithium3", "rpk", "srp",
           "kex:X25519MLKEM768", "kex:MLKEM768", "kex:Kyber768", "kex:P384Kyber768"]
# No specification defines ML-DSA (or wolfSSL's pre-standard Dilithium) in TLS 1.2, nor TLS-SRP in
# TLS 1.3.
ONLY_VERSION = {"mldsa44": "1.3", "mldsa65": "1.3", "dilithium2": "1.3", "dilithium3": "1.3",
                "srp": "1.2", **{s: "1.3" for s in SCHEMES if s.startswith("kex:")}}
FEATURE = {"rpk": "rpk", "srp": "srp:tls1.2"}  # the rest: scheme:<name>
SRP_ACCOUNT = ["--srp_user", "device-0001", "--srp_password", "correct horse battery staple"]
VERSIONS = ["1.2", "1.3"]
TIMEOUT_S = 20


def manifest(build):
    """Feature -> (supported, reason) from the build's mtls-conformance --manifest."""
    out = subprocess.run([os.path.join(build, "tools", "mtls-conformance"), "--manifest"],
                         check=True, capture_output=True, text=True, timeout=TIMEOUT_S).stdout
    features = {}
    for line in out.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2:
            features[parts[0]] = (parts[1].startswith("supported"), parts[1])
    return features


def unsupported_reason(build_id, features, scheme, version):
    if ONLY_VERSION.get(scheme, version) != version:
        return f"{scheme} is defined for TLS {ONLY_VERSION[scheme]} only"
    feature = (f"group:{scheme[4:]}" if scheme.startswith("kex:")
               else FEATURE.get(scheme, f"scheme:{scheme}"))
    for feature in (feature, f"tls{version}"):
        supported, text = features.get(feature, (False, "not in manifest"))
        if not supported:
            return f"{build_id}: {feature} {text}"
    return None


def credentials(pki, scheme, role):
    """The mtls-client / mtls-server flags that authenticate `role` with `scheme`."""
    if scheme == "srp":
        return SRP_ACCOUNT
    if scheme.startswith("kex:"):
        return credentials(pki, "ecdsa-p256", role) + ["--group", scheme[4:]]
    if scheme == "rpk":
        d = os.path.join(pki, "ecdsa-p256")
        peer = "client" if role == "server" else "server"
        return ["--raw_key_peer", f"{d}/{peer}-d1.chain.pem", "--chain",
                f"{d}/{role}-d1.chain.pem", "--key", f"{d}/{role}-d1.key"]
    d = os.path.join(pki, scheme)
    return ["--trust", f"{d}/root.crt", "--chain", f"{d}/{role}-d2.chain.pem",
            "--key", f"{d}/{role}-d2.key"]


def run_pair(client_build, server_build, pki, scheme, version):
    """Returns (ok, detail)."""
    server = subprocess.Popen(
        [os.path.join(server_build, "tools", "mtls-server"), "--listen", "127.0.0.1:0", "--count", "1",
         "--timeout_ms", "10000", "--tls_version", version] + credentials(pki, scheme, "server"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = server.stdout.readline()
        match = re.search(r"listening on .*:(\d+)", first)
        if not match:
            return False, f"server did not start: {first.strip()}"
        client = subprocess.run(
            [os.path.join(client_build, "tools", "mtls-client"), "--connect",
             f"127.0.0.1:{match.group(1)}", "--count", "1", "--timeout_ms", "10000",
             "--tls_version", version, "--server_name", "server.mtls.test"]
            + credentials(pki, scheme, "client"),
            capture_output=True, text=True, timeout=TIMEOUT_S)
        server_out, _ = server.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        server.kill()
        return False, "timed out"
    if client.returncode == 0 and server.returncode == 0:
        return True, ""
    reasons = [line for line in (client.stderr + server_out).splitlines()
               if "rejected" in line or "handshake 1" in line or "mtls-" in line]
    return False, "; ".join(reasons) or f"client exit {client.returncode}, server exit {server.returncode}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", action="append", required=True, metavar="ID=DIR",
                        help="a backend build: its id and build directory (repeat)")
    parser.add_argument("--clients", help="comma-separated ids to use as clients (default: all)")
    parser.add_argument("--schemes", help="comma-separated rows to run (default: all of "
                        + ", ".join(SCHEMES) + ")")
    parser.add_argument("--pki", required=True)
    parser.add_argument("--json")
    args = parser.parse_args()

    builds = dict(item.split("=", 1) for item in args.build)
    clients = args.clients.split(",") if args.clients else list(builds)
    for name in clients:
        if name not in builds:
            sys.exit(f"interop: unknown client build '{name}' (have: {', '.join(builds)})")
    schemes = args.schemes.split(",") if args.schemes else SCHEMES
    for scheme in schemes:
        if scheme not in SCHEMES:
            sys.exit(f"interop: unknown scheme '{scheme}' (have: {', '.join(SCHEMES)})")
    features = {build_id: manifest(path) for build_id, path in builds.items()}

    cells, failures = [], 0
    for scheme in schemes:
        for version in VERSIONS:
            for client_id in clients:
                for server_id in builds:
                    reason = (unsupported_reason(client_id, features[client_id], scheme, version) or
                              unsupported_reason(server_id, features[server_id], scheme, version))
                    if reason:
                        verdict, detail = "unsupported", reason
                    else:
                        ok, detail = run_pair(builds[client_id], builds[server_id], args.pki, scheme, version)
                        verdict = "pass" if ok else "FAIL"
                        failures += not ok
                    cells.append({"client": client_id, "server": server_id, "scheme": scheme,
                                  "tls_version": version, "verdict": verdict, "detail": detail})
                    print(f"{client_id:>14} -> {server_id:<14} {scheme:<11} TLS {version}  {verdict}"
                          + (f"  ({detail})" if detail else ""), flush=True)

    print(f"\n{len(cells)} pairs: {sum(c['verdict'] == 'pass' for c in cells)} pass, "
          f"{sum(c['verdict'] == 'unsupported' for c in cells)} unsupported, {failures} FAIL")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"builds": builds, "cells": cells}, f, indent=2)
            f.write("\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
