#!/usr/bin/python3
"""Tests of capability_matrix.py on synthetic mtls-conformance results."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

from results import Conformance, ConformanceCase, ManifestRow

MATRIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "capability_matrix.py")


def conformance_json(build: str, psk_supported: bool = True, psk_verdict: str = "pass"
                     ) -> Conformance:
    manifest: list[ManifestRow] = [
        {"feature": "psk:tls1.3:psk_dhe_ke", "supported": psk_supported,
         "reason": "" if psk_supported else "no TLS 1.3 external PSK"}]
    cases: list[ConformanceCase] = [
        {"name": "positive/psk/TLSv1.3/psk_dhe_ke", "verdict": psk_verdict, "detail": ""},
        {"name": "negative/psk-wrong-key/TLSv1.3/psk_dhe_ke", "verdict": "rejected-as-expected",
         "detail": ""}]
    return {"backend": {"id": build, "name": "test", "version": "0", "manifest": manifest},
            "cases": cases}


class CapabilityMatrixTest(unittest.TestCase):
    def run_matrix(self, *runs: Conformance) -> tuple[int, str, str]:
        with tempfile.TemporaryDirectory() as directory:
            paths = []
            for i, run in enumerate(runs):
                paths.append(os.path.join(directory, f"{i}.json"))
                with open(paths[-1], "w") as f:
                    json.dump(run, f)
            result = subprocess.run([sys.executable, MATRIX, *paths], capture_output=True,
                                    text=True)
        row = next(line for line in result.stdout.splitlines() if "psk_dhe_ke" in line)
        return result.returncode, row, result.stdout

    def test_supported_scheme_counts_its_passing_cases(self) -> None:
        status, row, _ = self.run_matrix(conformance_json("a"))
        self.assertEqual(status, 0)
        self.assertIn("| yes (2) |", row)

    def test_unsupported_scheme_shows_the_reason(self) -> None:
        status, row, out = self.run_matrix(conformance_json("a"),
                                           conformance_json("b", psk_supported=False))
        self.assertEqual(status, 0)
        note = re.search(r"\| yes \(2\) \| no \((\d+)\) \|", row)
        self.assertIsNotNone(note, row)
        assert note is not None, out
        self.assertIn(f"{note.group(1)}. no TLS 1.3 external PSK", out)

    def test_a_documented_finding_is_shown_with_its_detail_but_does_not_fail(self) -> None:
        run = conformance_json("a")
        run["backend"]["manifest"].append({"feature": "tls1.2", "supported": True, "reason": ""})
        run["cases"].append({"name": "hostile/foreign-key-signature/TLSv1.2",
                             "verdict": "finding", "detail": "ACCEPTED: a known weakness"})
        status, _, out = self.run_matrix(run)
        self.assertEqual(status, 0)
        row = next(line for line in out.splitlines() if line.startswith("| hostile clients"))
        note = re.search(r"\| FINDING \((\d+)\) \|", row)
        self.assertIsNotNone(note, row)
        assert note is not None, out
        self.assertIn(f"{note.group(1)}. a hostile/foreign-key-signature/TLSv1.2: ACCEPTED", out)

    def test_claimed_support_with_a_failing_case_is_a_fail(self) -> None:
        status, row, _ = self.run_matrix(conformance_json("a", psk_verdict="FAIL"))
        self.assertEqual(status, 1)
        self.assertIn("| FAIL |", row)


if __name__ == "__main__":
    unittest.main()
