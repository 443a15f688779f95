#!/usr/bin/env python3
"""Writes corpora/limbo/mtls-pki.json: an x509-limbo testsuite over the project's test PKI.

Every backend's `mtls-verify --limbo --expect` must agree with it (CTest), so the stand-alone
verifier applies the mutual-auth policy the same way on every backend. Regenerate after
scripts/gen-pki: python3 scripts/lib/pki_limbo.py
"""
import json
import re
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PKI = REPO / "corpora" / "pki"
SCHEMES = ["ecdsa-p256", "ecdsa-p384", "ed25519", "rsa2048", "rsa3072"]
# corpora/pki/path-rules/<scheme>/<rule>.chain.pem (scripts/gen-pki): what RFC 5280 demands.
PATH_RULES = {
    "pathlen0-exceeded": ("a CA with pathLenConstraint 0 above another CA", "FAILURE"),
    "pathlen1-kept": ("a CA with pathLenConstraint 1 above one more CA", "SUCCESS"),
    "issuer-without-basic-constraints": ("issued by a v3 CA without basicConstraints", "FAILURE"),
    "issuer-without-keycertsign": ("issued by a CA whose keyUsage lacks keyCertSign", "FAILURE"),
    "issuer-expired": ("issued by a CA that expired in 2010", "FAILURE"),
    "issuer-not-yet-valid": ("issued by a CA valid from 2098", "FAILURE"),
    "leaf-without-eku": ("a leaf without extendedKeyUsage (any use)", "SUCCESS"),
    "leaf-unknown-critical-extension": ("a leaf with an unknown critical extension", "FAILURE"),
    "issuer-key-mismatch": ("a leaf signed by another key than its named issuer's", "FAILURE"),
}


def pems(path: Path) -> list[str]:
    return re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n",
                      path.read_text(), re.S)


def case(case_id: str, description: str, peer_chain: list[str], anchor: Path, expected: str,
         usage: str = "clientAuth", **extra: Any) -> dict[str, Any]:
    return {"id": case_id, "description": description,
            "validation_kind": "SERVER" if usage == "clientAuth" else "CLIENT",
            "trusted_certs": pems(anchor), "untrusted_intermediates": peer_chain[1:],
            "peer_certificate": peer_chain[0], "signature_algorithms": [], "key_usage": [],
            "extended_key_usage": [usage], "expected_result": expected,
            "expected_peer_names": [], "features": [], **extra}


def main() -> None:
    cases = []
    for scheme in SCHEMES:
        root = PKI / scheme / "root.crt"
        for depth in (1, 2, 3):
            chain = pems(PKI / scheme / f"client-d{depth}.chain.pem")
            cases.append(case(f"mtls::{scheme}::client-d{depth}",
                              f"{scheme} client chain with {depth} CA(s) above the leaf", chain,
                              root, "SUCCESS"))
        server = pems(PKI / scheme / "server-d2.chain.pem")
        cases.append(case(f"mtls::{scheme}::server-leaf-as-client",
                          "a serverAuth-only leaf presented as a client", server, root, "FAILURE"))
        cases.append(case(f"mtls::{scheme}::server-d2", "the server's chain, checked by a client",
                          server, root, "SUCCESS", usage="serverAuth",
                          expected_peer_name={"kind": "DNS", "value": "server.mtls.test"}))
        cases.append(case(f"mtls::{scheme}::server-name-mismatch",
                          "the server's chain for another name", server, root, "FAILURE",
                          usage="serverAuth",
                          expected_peer_name={"kind": "DNS", "value": "other.mtls.test"}))
        cases.append(case(f"mtls::{scheme}::client-d3-depth-1",
                          "two intermediates where one is allowed",
                          pems(PKI / scheme / "client-d3.chain.pem"), root, "FAILURE",
                          max_chain_depth=1, features=["max-chain-depth"]))
        cases.append(case(f"mtls::{scheme}::client-d2-before-validity",
                          "validated in 2000, before the leaf's notBefore",
                          pems(PKI / scheme / "client-d2.chain.pem"), root, "FAILURE",
                          validation_time="2000-01-02T00:00:00Z"))
        cases.append(case(f"mtls::{scheme}::client-d2-fixed-time",
                          "validated at a fixed time inside every validity period",
                          pems(PKI / scheme / "client-d2.chain.pem"), root, "SUCCESS",
                          validation_time="2026-01-01T00:00:00Z"))
        cases.append(case(f"mtls::{scheme}::client-d1-after-validity",
                          "validated in 2100, after the leaf's notAfter",
                          pems(PKI / scheme / "client-d1.chain.pem"), root, "FAILURE",
                          validation_time="2100-01-02T00:00:00Z"))
        cases.append(case(f"mtls::{scheme}::client-d2-missing-intermediate",
                          "a leaf sent without the intermediate that issued it",
                          pems(PKI / scheme / "client-d2.chain.pem")[:1], root, "FAILURE"))
    for rules_dir in sorted((PKI / "path-rules").iterdir()):
        for rule, (why, expected) in PATH_RULES.items():
            cases.append(case(f"mtls::path-rules::{rules_dir.name}::{rule}", why,
                              pems(rules_dir / f"{rule}.chain.pem"),
                              PKI / rules_dir.name / "root.crt", expected))
    invalid = PKI / "invalid"
    root = PKI / "ecdsa-p256" / "root.crt"
    for name, why in [("client-expired", "expired in 2021"),
                      ("client-not-yet-valid", "valid from 2098"),
                      ("client-serverauth-eku", "EKU serverAuth only"),
                      ("client-self-signed", "self-signed, not issued by the anchor"),
                      ("client-untrusted", "issued by a root nobody trusts")]:
        cases.append(case(f"mtls::invalid::{name}", why, pems(invalid / f"{name}.crt"), root,
                          "FAILURE"))
    out = REPO / "corpora" / "limbo" / "mtls-pki.json"
    out.write_text(json.dumps({"version": 1, "testcases": cases}, indent=1) + "\n")
    print(f"{out}: {len(cases)} testcases")


if __name__ == "__main__":
    main()
