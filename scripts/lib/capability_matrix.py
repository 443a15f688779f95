#!/usr/bin/python3
"""The capability matrix: mutual-authentication scheme x backend build, from the mtls-conformance
JSON of each build (its manifest and its conformance cases).

A row is a manifest feature and the kinds of conformance case that count for it: a case counts
when it needs the feature (its "features") and is of one of those kinds (its "kind"); no row
reads case names. A cell is "yes" when the build's manifest supports the feature and every
counted case passed or was rejected as specified; "no" with the library's reason when the manifest
says unsupported; "FAIL" when the manifest claims support but a counted case failed, or none of
them ran (a claimed feature that no case exercised is not shown to work); "FINDING" when the build
does what its manifest documents instead (a hostile client accepted, an identity forgotten).
Prints Markdown (the table, then the reasons as numbered notes). Exit status 1 when any cell FAILs,
2 (one line on stderr) when an input is not mtls-conformance JSON.
"""
from __future__ import annotations

import argparse
import sys
from typing import NamedTuple

from results import Conformance, ConformanceCase, read_conformance, ResultsError

HONEST = ("positive", "negative")  # a scheme's handshakes and the rejections of its bad peers


class Row(NamedTuple):
    feature: str  # the manifest feature, which every counted case needs
    label: str
    kinds: tuple[str, ...] = HONEST  # the kinds of case that count


ROWS = [
    Row("scheme:ecdsa-p256", "certificates ECDSA P-256 (+ the negative cases, the server-auth "
        "baseline)", HONEST + ("baseline",)),
    Row("scheme:ecdsa-p384", "certificates ECDSA P-384"),
    Row("scheme:ed25519", "certificates Ed25519"),
    Row("scheme:rsa2048", "certificates RSA-2048"),
    Row("scheme:rsa3072", "certificates RSA-3072"),
    Row("scheme:mldsa44", "certificates ML-DSA-44 (TLS 1.3)"),
    Row("scheme:mldsa65", "certificates ML-DSA-65 (TLS 1.3)"),
    Row("scheme:dilithium2", "certificates Dilithium2, pre-standard (TLS 1.3)"),
    Row("scheme:dilithium3", "certificates Dilithium3, pre-standard (TLS 1.3)"),
    Row("psk:tls1.3:psk_dhe_ke", "external PSK, TLS 1.3 psk_dhe_ke"),
    Row("psk:tls1.3:psk_ke", "external PSK, TLS 1.3 psk_ke"),
    Row("psk:tls1.2:ecdhe_psk", "external PSK, TLS 1.2 ECDHE-PSK"),
    Row("psk:tls1.2:psk", "external PSK, TLS 1.2 PSK"),
    Row("rpk", "raw public keys (RFC 7250, ECDSA P-256)"),
    Row("srp:tls1.2", "password (TLS-SRP, TLS 1.2)"),
    Row("group:X25519MLKEM768", "key exchange X25519MLKEM768 (hybrid)", ("positive",)),
    Row("group:MLKEM768", "key exchange ML-KEM-768", ("positive",)),
    Row("group:Kyber768", "key exchange Kyber-768, round 3 (pre-standard)", ("positive",)),
    Row("group:P384Kyber768", "key exchange P-384 + Kyber-768 (pre-standard hybrid)",
        ("positive",)),
    Row("scheme:ecdsa-p256", "hostile clients rejected (forged, missing or mislabelled proofs; "
        "a non-CA issuer)", ("hostile",)),
    Row("resumption:tickets", "resumption (tickets), proven by both libraries and the wire",
        ("resumption",)),
    Row("resumption:session-ids", "resumption (TLS 1.2 session IDs), proven likewise",
        ("resumption",)),
    Row("dtls1.2", "DTLS 1.2: certificates, PSK, raw keys, their negatives; loss, replay, "
        "reordering, fragmentation", HONEST + ("baseline",)),
    Row("dtls1.3", "DTLS 1.3", HONEST + ("baseline",)),
    Row("dtls:cookie", "DTLS cookie exchange (HelloVerifyRequest), also when it is lost"),
    Row("dtls:cid", "DTLS 1.2 Connection ID (RFC 9146): the session kept across a change of the "
        "client's address", ("positive",)),
    Row("dtls1.3:cid", "DTLS 1.3 Connection ID (RFC 9147): likewise", ("positive",)),
    Row("cert-compression:zlib", "certificate compression zlib (RFC 8879); attacking peers' "
        "compressed garbage and overlong certificates rejected", ("positive", "hostile")),
    Row("cert-compression:brotli", "certificate compression brotli", ("positive",)),
    Row("cert-compression:zstd", "certificate compression zstd", ("positive",)),
]
GOOD = {"pass", "rejected-as-expected", "deviation"}


def counted_cases(run: Conformance, row: Row) -> list[ConformanceCase]:
    return [c for c in run["cases"] if c["kind"] in row.kinds and row.feature in c["features"]]


def note(notes: list[str], text: str) -> int:
    """The number of the note saying `text` (added when new)."""
    if text not in notes:
        notes.append(text)
    return notes.index(text) + 1


def case_notes(notes: list[str], build: str, cases: list[ConformanceCase]) -> str:
    """"(k), (l)": the notes naming each case and what it reported."""
    return ", ".join(f"({note(notes, build + ' ' + c['name'] + ': ' + c['detail'])})"
                     for c in cases)


def cell(run: Conformance, row: Row, notes: list[str]) -> str:
    build = run["backend"]["id"]
    claim = next((r for r in run["backend"]["manifest"] if r["feature"] == row.feature), None)
    if claim is None or not claim["supported"]:
        reason = claim["reason"] if claim else "not in the build's manifest"
        return f"no ({note(notes, reason)})"
    cases = counted_cases(run, row)
    failed = [c for c in cases if c["verdict"] == "FAIL"]
    if failed:
        return "FAIL " + case_notes(notes, build, failed)
    findings = [c for c in cases if c["verdict"] == "finding"]
    if findings:
        return "FINDING " + case_notes(notes, build, findings)
    counted = [c for c in cases if c["verdict"] in GOOD]
    if not counted:
        unexercised = (f"{build} claims {row.feature}, but no {' or '.join(row.kinds)} "
                       "conformance case exercised it")
        return f"FAIL ({note(notes, unexercised)})"
    return f"yes ({len(counted)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", help="mtls-conformance --json files, one per build")
    args = parser.parse_args()
    try:
        runs = [read_conformance(path) for path in args.inputs]
    except ResultsError as error:
        print(f"capability_matrix: {error}", file=sys.stderr)
        return 2
    notes: list[str] = []
    ids = [run["backend"]["id"] for run in runs]
    print("| scheme | " + " | ".join(ids) + " |")
    print("|---|" + "---|" * len(ids))
    failed = False
    for row in ROWS:
        cells = [cell(run, row, notes) for run in runs]
        failed |= any(c.startswith("FAIL") for c in cells)
        print(f"| {row.label} | " + " | ".join(cells) + " |")
    print("\nyes (n): supported, and its n conformance cases pass or are rejected as specified; "
          "no (k): unsupported, for reason k; FINDING (k): what the library does instead (a "
          "hostile client accepted, an identity forgotten), as its manifest documents in note k; "
          "FAIL (k): a case failed, or none exercised what the manifest claims (note k):\n")
    for i, text in enumerate(notes, 1):
        print(f"{i}. {text}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
