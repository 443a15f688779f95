#!/usr/bin/python3
"""Tests of results.py: case names from fields, Google Benchmark's run-name suffixes, and the
description added to results written without one (from a stand-in mtls-bench)."""
from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import tempfile
import unittest
from typing import cast

import results
from results_fixture import HANDSHAKE, description

# A stand-in mtls-bench whose --describe lists one handshake case and one thread case (by the
# name it is registered under; its rows carry Google Benchmark's suffixes).
FAKE_BENCH = """#!/usr/bin/python3
import json, sys
HANDSHAKE = %r
cases = {"hs": HANDSHAKE, "th": dict(HANDSHAKE, suite="threads")}
print(json.dumps({"counters": [], "default_cases": ["hs"], "cases": cases}))
""" % (HANDSHAKE,)


class CaseNameTest(unittest.TestCase):
    DESCRIPTION = cast(results.Description, description({
        "a": HANDSHAKE, "b": {**HANDSHAKE, "version": "TLSv1.2"}}))

    def test_the_one_case_with_these_fields(self) -> None:
        self.assertEqual(results.case_name(self.DESCRIPTION, version="TLSv1.2"), "b")
        self.assertEqual(results.case_names(self.DESCRIPTION, scheme="ecdsa-p256"), ["a", "b"])

    def test_none_or_several_is_an_error(self) -> None:
        with self.assertRaisesRegex(results.ResultsError, "0 described cases"):
            results.case_name(self.DESCRIPTION, scheme="rsa2048")
        with self.assertRaisesRegex(results.ResultsError, "2 described cases.*: a, b"):
            results.case_name(self.DESCRIPTION, scheme="ecdsa-p256")

    def test_google_benchmark_suffixes_go(self) -> None:
        self.assertEqual(results.registered_name("x/y/real_time/threads:16"), "x/y")
        self.assertEqual(results.registered_name("x/iterations:4/repeats:3"), "x")
        self.assertEqual(results.registered_name("x/min_time:0.010/process_time"), "x")
        self.assertEqual(results.registered_name("x/threads"), "x/threads")

    def test_runs_registered_with_threads(self) -> None:
        self.assertTrue(results.registered_with_threads("x/y/real_time/threads:1"))
        self.assertTrue(results.registered_with_threads("x/threads:2/repeats:3"))
        self.assertFalse(results.registered_with_threads("x/y"))
        self.assertFalse(results.registered_with_threads("x/threads:2/y"))

    def test_the_headline_and_its_overrides(self) -> None:
        self.assertEqual(results.headline(), results.HEADLINE)
        self.assertEqual(results.case_name(self.DESCRIPTION, **results.HEADLINE), "a")
        self.assertEqual(results.case_name(self.DESCRIPTION,
                                           **results.headline(version="TLSv1.2")), "b")


class AddDescriptionTest(unittest.TestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.bench = os.path.join(tmp.name, "mtls-bench")
        with open(self.bench, "w") as f:
            f.write(FAKE_BENCH)
        os.chmod(self.bench, stat.S_IRWXU)
        self.path = os.path.join(tmp.name, "old.json")

    def write(self, names: list[str]) -> None:
        results.write_json(self.path, {"context": {"backend_id": "x"}, "benchmarks": [
            {"name": n, "run_name": n, "run_type": "iteration"} for n in names]})

    def test_rows_get_their_cases_and_the_counters(self) -> None:
        self.write(["hs", "th/real_time/threads:2"])
        self.assertTrue(results.add_description(self.path, self.bench))
        with open(self.path) as f:
            added = json.load(f)["description"]
        self.assertNotIn("default_cases", added)
        self.assertEqual(added["cases"], {"hs": HANDSHAKE, "th/real_time/threads:2":
                                          {**HANDSHAKE, "suite": "threads"}})
        self.assertEqual(results.Run(self.path).find(suite="threads"), "th/real_time/threads:2")
        self.assertFalse(results.add_description(self.path, self.bench))

    def test_case_name_of_the_headline(self) -> None:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertEqual(results.main(["--bench", self.bench, "case-name", "--headline"]), 0)
        self.assertEqual(out.getvalue(), "hs\n")
        with contextlib.redirect_stderr(io.StringIO()) as stderr:
            self.assertEqual(results.main(["--bench", self.bench, "case-name", "--headline",
                                           "version=TLSv1.2"]), 2)
        self.assertIn("version=TLSv1.2", stderr.getvalue())

    def test_a_row_with_no_case_is_named(self) -> None:
        self.write(["hs", "nope"])
        with contextlib.redirect_stderr(io.StringIO()) as stderr:
            self.assertEqual(results.main(["--bench", self.bench, "describe", self.path]), 2)
        self.assertIn("1 rows: nope", stderr.getvalue())
        with self.assertRaisesRegex(results.ResultsError, "1 rows: nope"):
            results.add_description(self.path, self.bench)


if __name__ == "__main__":
    unittest.main()
