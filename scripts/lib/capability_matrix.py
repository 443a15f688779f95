#!/usr/bin/python3
"""The capability matrix: mutual-authentication scheme x backend build, from the mtls-conformance
JSON of each build (its manifest and its conformance cases).

A cell is "yes" when the build's manifest supports the scheme and every conformance case of the
scheme (the positive one and its negatives) passed or was rejected as specified; "no" with the
library's reason when the manifest says unsupported; "FAIL" when the manifest claims support but a
case of the scheme failed; "FINDING" when the build accepts a hostile client its manifest
documents. Prints Markdown (the table, then the reasons as numbered notes).
Exit status 1 when any cell FAILs.
"""
from __future__ import annotations

import argparse
import json
import re
import sys

from results import Conformance

# Rows: (manifest feature, label, regex over the conformance cases that exercise it).
ROWS = [
    ("scheme:ecdsa-p256", "certificates ECDSA P-256 (+ the negative cases)",
     r"^(positive/ecdsa-p256/|positive/chain-|negative/(?!rpk-|srp-)[a-z-]+/TLSv1\.[23]$)"),
    ("scheme:ecdsa-p384", "certificates ECDSA P-384", r"^positive/ecdsa-p384/"),
    ("scheme:ed25519", "certificates Ed25519", r"^positive/ed25519/"),
    ("scheme:rsa2048", "certificates RSA-2048", r"^positive/rsa2048/"),
    ("scheme:rsa3072", "certificates RSA-3072", r"^positive/rsa3072/"),
    ("scheme:mldsa44", "certificates ML-DSA-44 (TLS 1.3)", r"^(positive|negative)/mldsa44/"),
    ("scheme:mldsa65", "certificates ML-DSA-65 (TLS 1.3)", r"^(positive|negative)/mldsa65/"),
    ("scheme:dilithium2", "certificates Dilithium2, pre-standard (TLS 1.3)",
     r"^(positive|negative)/dilithium2/"),
    ("scheme:dilithium3", "certificates Dilithium3, pre-standard (TLS 1.3)",
     r"^(positive|negative)/dilithium3/"),
    ("psk:tls1.3:psk_dhe_ke", "external PSK, TLS 1.3 psk_dhe_ke", r"/TLSv1\.3/psk_dhe_ke$"),
    ("psk:tls1.3:psk_ke", "external PSK, TLS 1.3 psk_ke", r"/TLSv1\.3/psk_ke$"),
    ("psk:tls1.2:ecdhe_psk", "external PSK, TLS 1.2 ECDHE-PSK", r"/TLSv1\.2/ecdhe_psk$"),
    ("psk:tls1.2:psk", "external PSK, TLS 1.2 PSK", r"/TLSv1\.2/psk$"),
    ("rpk", "raw public keys (RFC 7250, ECDSA P-256)", r"^(positive/rpk/|negative/rpk-)"),
    ("srp:tls1.2", "password (TLS-SRP, TLS 1.2)", r"^(positive/srp/|negative/srp-)"),
    ("group:X25519MLKEM768", "key exchange X25519MLKEM768 (hybrid)",
     r"^positive/ecdsa-p256/TLSv1\.3/X25519MLKEM768$"),
    ("group:MLKEM768", "key exchange ML-KEM-768", r"^positive/ecdsa-p256/TLSv1\.3/MLKEM768$"),
    ("group:Kyber768", "key exchange Kyber-768, round 3 (pre-standard)",
     r"^positive/ecdsa-p256/TLSv1\.3/Kyber768$"),
    ("group:P384Kyber768", "key exchange P-384 + Kyber-768 (pre-standard hybrid)",
     r"^positive/ecdsa-p256/TLSv1\.3/P384Kyber768$"),
    ("tls1.2", "hostile clients rejected (forged, missing or mislabelled proofs; a non-CA issuer)",
     r"^hostile/"),
    ("resumption:tickets", "resumption (tickets), proven by both libraries and the wire",
     r"^resumption/tickets/"),
    ("resumption:session-ids", "resumption (TLS 1.2 session IDs), proven likewise",
     r"^resumption/session-ids/"),
]
GOOD = {"pass", "rejected-as-expected", "deviation"}


def cell(run: Conformance, feature: str, pattern: str, notes: list[str]) -> str:
    row = next((r for r in run["backend"]["manifest"] if r["feature"] == feature), None)
    if row is None or not row["supported"]:
        reason = row["reason"] if row else "not in the build's manifest"
        if reason not in notes:
            notes.append(reason)
        return f"no ({notes.index(reason) + 1})"
    cases = [c for c in run["cases"] if re.search(pattern, c["name"])]
    if any(c["verdict"] == "FAIL" for c in cases):
        return "FAIL"
    findings = [c for c in cases if c["verdict"] == "finding"]
    if findings:
        for c in findings:
            notes.append(f"{run['backend']['id']} {c['name']}: {c['detail']}")
        first = len(notes) - len(findings) + 1
        return "FINDING " + ", ".join(f"({i})" for i in range(first, len(notes) + 1))
    counted = [c for c in cases if c["verdict"] in GOOD]
    return f"yes ({len(counted)})" if counted else "yes (no case ran)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", help="mtls-conformance --json files, one per build")
    args = parser.parse_args()
    runs: list[Conformance] = []
    for path in args.inputs:
        with open(path, encoding="utf-8") as f:
            runs.append(json.load(f))
    notes: list[str] = []
    ids = [run["backend"]["id"] for run in runs]
    print("| scheme | " + " | ".join(ids) + " |")
    print("|---|" + "---|" * len(ids))
    failed = False
    for feature, label, pattern in ROWS:
        cells = [cell(run, feature, pattern, notes) for run in runs]
        failed |= "FAIL" in cells
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\nyes (n): supported, and its n conformance cases (positive and negative) pass; "
          "no (k): unsupported, for reason k; FINDING (k): what the library does instead (a "
          "hostile client accepted, an identity forgotten), as its manifest documents in note k:\n")
    for i, note in enumerate(notes, 1):
        print(f"{i}. {note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
