#!/usr/bin/python3
"""Tests of capability_matrix.py on synthetic mtls-conformance results."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

from typing import Any

from results import Conformance, ConformanceCase, ManifestRow, read_conformance

MATRIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "capability_matrix.py")


def conformance_json(build: str, psk_supported: bool = True, psk_verdict: str = "pass"
                     ) -> Conformance:
    manifest: list[ManifestRow] = [
        {"feature": "psk:tls1.3:psk_dhe_ke", "supported": psk_supported,
         "reason": "" if psk_supported else "no TLS 1.3 external PSK"}]
    features = ["tls1.3", "psk:tls1.3:psk_dhe_ke", "group:X25519"]
    cases: list[ConformanceCase] = [
        {"name": "positive/psk/TLSv1.3/psk_dhe_ke", "kind": "positive", "features": features,
         "verdict": psk_verdict, "detail": "negotiated"},
        {"name": "negative/psk-wrong-key/TLSv1.3/psk_dhe_ke", "kind": "negative",
         "features": features, "verdict": "rejected-as-expected", "detail": ""}]
    return {"backend": {"id": build, "name": "test", "version": "0", "manifest": manifest},
            "cases": cases}


def run_program(*runs: Any) -> subprocess.CompletedProcess[str]:
    """capability_matrix.py on these JSON values, written to files 0.json, 1.json, ..."""
    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for i, run in enumerate(runs):
            paths.append(os.path.join(directory, f"{i}.json"))
            with open(paths[-1], "w") as f:
                json.dump(run, f)
        return subprocess.run([sys.executable, MATRIX, *paths], capture_output=True, text=True)


class CapabilityMatrixTest(unittest.TestCase):
    def run_matrix(self, *runs: Conformance) -> tuple[int, str, str]:
        result = run_program(*runs)
        row = next(line for line in result.stdout.splitlines() if "psk_dhe_ke" in line)
        return result.returncode, row, result.stdout

    def assert_bad_input(self, run: Any, named: str) -> None:
        """Exit 2 with one line on stderr naming the second file and `named`, no table."""
        result = run_program(conformance_json("a"), run)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("1.json", lines[0])
        self.assertIn(named, lines[0])
        self.assertEqual(result.stdout, "")

    def test_an_older_file_without_kind_or_features_is_bad_input(self) -> None:
        run: Any = conformance_json("b")
        for case in run["cases"]:
            del case["kind"], case["features"]
        self.assert_bad_input(run, 'no "kind" in cases[0]')

    def test_malformed_files_are_bad_input_naming_the_key(self) -> None:
        no_id: Any = conformance_json("b")
        del no_id["backend"]["id"]
        self.assert_bad_input(no_id, 'no "id" in backend')
        no_reason: Any = conformance_json("b")
        del no_reason["backend"]["manifest"][0]["reason"]
        self.assert_bad_input(no_reason, 'no "reason" in backend.manifest[0]')
        features_text: Any = conformance_json("b")
        features_text["cases"][1]["features"] = "tls1.3"
        self.assert_bad_input(features_text, '"features" in cases[1] is not a list')
        self.assert_bad_input([1, 2], 'no "backend" in the file')

    def test_a_file_that_is_no_json_is_bad_input(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "broken.json")
            with open(path, "w") as f:
                f.write("{")
            result = subprocess.run([sys.executable, MATRIX, path], capture_output=True,
                                    text=True)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn("broken.json", result.stderr)

    def test_a_manifest_without_cases_run_reads(self) -> None:
        run = conformance_json("a")
        run["cases"] = []
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "manifest.json")
            with open(path, "w") as f:
                json.dump(run, f)
            self.assertEqual(read_conformance(path), run)

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
        run["backend"]["manifest"].append(
            {"feature": "scheme:ecdsa-p256", "supported": True, "reason": ""})
        ecdsa = ["tls1.2", "scheme:ecdsa-p256", "group:X25519"]
        run["cases"] += [
            {"name": "hostile/foreign-key-signature/TLSv1.2", "kind": "hostile",
             "features": ecdsa, "verdict": "finding", "detail": "ACCEPTED: a known weakness"},
            {"name": "positive/ecdsa-p256/TLSv1.2/X25519", "kind": "positive", "features": ecdsa,
             "verdict": "pass", "detail": ""}]
        status, _, out = self.run_matrix(run)
        self.assertEqual(status, 0)
        row = next(line for line in out.splitlines() if line.startswith("| hostile clients"))
        note = re.search(r"\| FINDING \((\d+)\) \|", row)
        self.assertIsNotNone(note, row)
        assert note is not None, out
        self.assertIn(f"{note.group(1)}. a hostile/foreign-key-signature/TLSv1.2: ACCEPTED", out)

    def test_claimed_support_with_a_failing_case_is_a_fail(self) -> None:
        status, row, out = self.run_matrix(conformance_json("a", psk_verdict="FAIL"))
        self.assertEqual(status, 1)
        note = re.search(r"\| FAIL \((\d+)\) \|", row)
        assert note is not None, row
        self.assertIn(f"{note.group(1)}. a positive/psk/TLSv1.3/psk_dhe_ke: negotiated", out)

    def test_claimed_support_that_no_case_exercised_is_a_fail(self) -> None:
        run = conformance_json("a", psk_verdict="unsupported")
        run["cases"] = run["cases"][:1]  # only the positive, which did not run
        status, row, out = self.run_matrix(run)
        self.assertEqual(status, 1)
        note = re.search(r"\| FAIL \((\d+)\) \|", row)
        assert note is not None, row
        self.assertIn(f"{note.group(1)}. a claims psk:tls1.3:psk_dhe_ke, but no positive or "
                      "negative conformance case exercised it", out)

    def test_cases_count_by_their_kind_and_features_not_their_names(self) -> None:
        run = conformance_json("a")
        run["backend"]["manifest"].append(
            {"feature": "resumption:tickets", "supported": True, "reason": ""})
        resumed = ["tls1.3", "psk:tls1.3:psk_dhe_ke", "group:X25519", "resumption:tickets"]
        # Named like no row's cases, and a resumption that needs the PSK feature too.
        run["cases"] += [
            {"name": "positive/renamed", "kind": "positive",
             "features": ["tls1.3", "psk:tls1.3:psk_dhe_ke"], "verdict": "pass", "detail": ""},
            {"name": "positive/psk/TLSv1.3/psk_dhe_ke/resumed", "kind": "resumption",
             "features": resumed, "verdict": "pass", "detail": ""}]
        status, row, out = self.run_matrix(run)
        self.assertEqual(status, 0)
        self.assertIn("| yes (3) |", row)
        resumption = next(line for line in out.splitlines() if line.startswith("| resumption (t"))
        self.assertIn("| yes (1) |", resumption)


if __name__ == "__main__":
    unittest.main()
