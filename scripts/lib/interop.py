#!/usr/bin/python3
"""Cross-backend interop matrix: every client build against every server build (itself included),
in separate processes over loopback sockets, for each scheme and TLS version both support, with
mutual authentication required (mtls-server requires and verifies the client certificate, raw
public key or password; mtls-client verifies the server and proves the server accepted it).
Schemes: the certificate schemes of the test PKI, raw public keys (ECDSA P-256) and TLS-SRP; plus
the post-quantum key exchanges ("kex:<group>", TLS 1.3, ECDSA P-256 certificates).

Prints the matrix and optionally writes it as JSON; exit 1 when a pair that both sides support
fails, 2 when a build's manifest or description cannot be read.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from typing import Optional

import results

# Besides the certificate schemes (mtls-bench --describe): raw public keys, TLS-SRP and the
# post-quantum key exchanges.
OTHER_SCHEMES = ["rpk", "srp", "kex:X25519MLKEM768", "kex:MLKEM768", "kex:Kyber768",
                 "kex:P384Kyber768"]
# No specification defines TLS-SRP in TLS 1.3; the post-quantum groups are TLS 1.3's.
ONLY_VERSION = {"srp": "1.2", **{s: "1.3" for s in OTHER_SCHEMES if s.startswith("kex:")}}
FEATURE = {"rpk": "rpk", "srp": "srp:tls1.2"}  # the rest: scheme:<name>
VERSIONS = ["1.2", "1.3"]
TIMEOUT_S = 20

Features = dict[str, tuple[bool, str]]


def manifest(build: str) -> Features:
    """Feature -> (supported, reason) from the build's mtls-conformance --manifest --json."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "manifest.json")
        subprocess.run([os.path.join(build, "tools", "mtls-conformance"), "--manifest", "--json",
                        path], capture_output=True, timeout=TIMEOUT_S)
        features = results.manifest(results.read_conformance(path))
    return {f: (ok, "supported" if ok else f"unsupported: {reason}")
            for f, (ok, reason) in features.items()}


def description(builds: dict[str, str]) -> results.Description:
    """mtls-bench --describe of one of the builds: the schemes and the test SRP account."""
    return results.describe(next(os.path.join(b, "bench", "mtls-bench") for b in builds.values()))


def schemes_of(described: results.Description) -> list[str]:
    return list(described["certificate_schemes"]) + OTHER_SCHEMES


def tls13_only(described: results.Description) -> set[str]:
    """Certificate schemes no case runs in TLS 1.2 (no specification defines ML-DSA or wolfSSL's
    pre-standard Dilithium there)."""
    in_tls12 = {f.get("scheme") for f in described["cases"].values()
                if f.get("version") == "TLSv1.2"}
    return {s for s in described["certificate_schemes"] if s not in in_tls12}


def unsupported_reason(build_id: str, features: Features, scheme: str, version: str,
                       only_version: dict[str, str]) -> Optional[str]:
    if only_version.get(scheme, version) != version:
        return f"{scheme} is defined for TLS {only_version[scheme]} only"
    feature = (f"group:{scheme[4:]}" if scheme.startswith("kex:")
               else FEATURE.get(scheme, f"scheme:{scheme}"))
    for feature in (feature, f"tls{version}"):
        supported, text = features.get(feature, (False, "not in manifest"))
        if not supported:
            return f"{build_id}: {feature} {text}"
    return None


def credentials(pki: str, scheme: str, role: str, described: results.Description) -> list[str]:
    """The mtls-client / mtls-server flags that authenticate `role` with `scheme`."""
    if scheme == "srp":
        srp = described["test_accounts"]["srp"]
        return ["--srp_user", srp["user"], "--srp_password", srp["password"]]
    if scheme.startswith("kex:"):
        return credentials(pki, "ecdsa-p256", role, described) + ["--group", scheme[4:]]
    if scheme == "rpk":
        d = os.path.join(pki, "ecdsa-p256")
        peer = "client" if role == "server" else "server"
        return ["--raw_key_peer", f"{d}/{peer}-d1.chain.pem", "--chain",
                f"{d}/{role}-d1.chain.pem", "--key", f"{d}/{role}-d1.key"]
    d = os.path.join(pki, scheme)
    return ["--trust", f"{d}/root.crt", "--chain", f"{d}/{role}-d2.chain.pem",
            "--key", f"{d}/{role}-d2.key"]


def run_pair(client_build: str, server_build: str, pki: str, scheme: str, version: str,
             described: results.Description) -> tuple[bool, str]:
    """Returns (ok, detail)."""
    server = subprocess.Popen(
        [os.path.join(server_build, "tools", "mtls-server"), "--listen", "127.0.0.1:0", "--count", "1",
         "--timeout_ms", "10000", "--tls_version", version] + credentials(pki, scheme, "server", described),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        match = re.search(r"listening on .*:(\d+)", first)
        if not match:
            return False, f"server did not start: {first.strip()}"
        client = subprocess.run(
            [os.path.join(client_build, "tools", "mtls-client"), "--connect",
             f"127.0.0.1:{match.group(1)}", "--count", "1", "--timeout_ms", "10000",
             "--tls_version", version, "--server_name", "server.mtls.test"]
            + credentials(pki, scheme, "client", described),
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", action="append", required=True, metavar="ID=DIR",
                        help="a backend build: its id and build directory (repeat)")
    parser.add_argument("--clients", help="comma-separated ids to use as clients (default: all)")
    parser.add_argument("--schemes", help="comma-separated rows to run (default: all: the "
                        "certificate schemes, " + ", ".join(OTHER_SCHEMES) + ")")
    parser.add_argument("--pki", required=True)
    parser.add_argument("--json")
    args = parser.parse_args()

    builds = dict(item.split("=", 1) for item in args.build)
    clients = args.clients.split(",") if args.clients else list(builds)
    for name in clients:
        if name not in builds:
            print(f"interop: unknown client build '{name}' (have: {', '.join(builds)})",
                  file=sys.stderr)
            return 2
    try:
        described = description(builds)
        features = {build_id: manifest(path) for build_id, path in builds.items()}
    except results.ResultsError as error:  # bad input, not a failing pair
        print(f"interop: {error}", file=sys.stderr)
        return 2
    known = schemes_of(described)
    only_version = {**ONLY_VERSION, **{s: "1.3" for s in tls13_only(described)}}
    schemes = args.schemes.split(",") if args.schemes else known
    for scheme in schemes:
        if scheme not in known:
            print(f"interop: unknown scheme '{scheme}' (have: {', '.join(known)})",
                  file=sys.stderr)
            return 2

    cells: list[dict[str, str]] = []
    failures = 0
    for scheme in schemes:
        for version in VERSIONS:
            for client_id in clients:
                for server_id in builds:
                    reason = (unsupported_reason(client_id, features[client_id], scheme, version,
                                                 only_version) or
                              unsupported_reason(server_id, features[server_id], scheme, version,
                                                 only_version))
                    if reason:
                        verdict, detail = "unsupported", reason
                    else:
                        ok, detail = run_pair(builds[client_id], builds[server_id], args.pki,
                                              scheme, version, described)
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
