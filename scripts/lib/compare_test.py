#!/usr/bin/python3
"""Tests of compare.py (scripts/report compare) on synthetic Google Benchmark JSON files whose
differences are known: what must count as a regression, and what must not."""
import json
import os
import subprocess
import sys
import tempfile
import unittest
from typing import Any, Sequence

from results_fixture import HANDSHAKE, description

COMPARE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "compare.py")
# Names are opaque keys: compare must tell the suites apart by the rows' fields alone.
CASE = "case-a"
PRIMITIVE = "case-b"
# Nine repetitions with a few percent of spread, like a quiet machine.
NOISE = [1.00, 1.03, 0.98, 1.01, 0.97, 1.02, 0.99, 1.04, 0.96]


def run_json(time_scale: float = 1.0, instructions: int = 6_000_000, bytes_c2s: int = 980,
             repetitions: list[float] = NOISE, failing: Sequence[str] = (), emulated: bool = False,
             order: int = 1) -> dict[str, Any]:
    context = {"backend_id": "openssl-3.0", "backend_version": "3.0.19", "arch": "x86_64",
               "cpu": "test", "commit": "abc"}
    if emulated:
        context["emulated_cpu"] = "cortex-a7"
    benchmarks = []
    for factor in repetitions[::order]:
        benchmarks.append({"name": CASE, "run_name": CASE, "run_type": "iteration",
                           "client_cpu_us": 500 * factor * time_scale,
                           "server_cpu_us": 480 * factor * time_scale,
                           "client_instructions": instructions, "bytes_c2s": bytes_c2s,
                           "flights": 3})
        benchmarks.append({"name": PRIMITIVE, "run_name": PRIMITIVE, "run_type": "iteration",
                           "cpu_time": 25 * factor})
    for name in failing:
        benchmarks = [b for b in benchmarks if b["run_name"] != name]
        benchmarks.append({"name": name, "run_name": name, "error_occurred": True,
                           "error_message": "peer not verified"})
    cases: dict[str, dict[str, object]] = {CASE: HANDSHAKE,
             PRIMITIVE: {"suite": "primitive", "operation": "sign", "scheme": "ecdsa-p256"}}
    return {"context": context, "benchmarks": benchmarks, "description": description(cases)}


class CompareTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, name: str, data: dict[str, Any]) -> str:
        path = os.path.join(self.dir.name, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(data, f)
        return path

    def compare(self, a: str, b: str, *flags: str) -> tuple[int, str]:
        result = subprocess.run([sys.executable, COMPARE, *flags, a, b], capture_output=True,
                                text=True)
        return result.returncode, result.stdout + result.stderr

    def test_a_run_against_itself_has_no_change(self) -> None:
        a = self.write("a.json", run_json())
        status, out = self.compare(a, a)
        self.assertEqual(status, 0, out)
        self.assertIn("0 regressions, 0 improvements, 0 changes below", out)

    def test_same_times_in_another_order_are_not_significant(self) -> None:
        a = self.write("a.json", run_json())
        b = self.write("b.json", run_json(order=-1))
        status, out = self.compare(a, b)
        self.assertEqual(status, 0, out)

    def test_slower_handshake_is_a_significant_regression(self) -> None:
        a = self.write("a.json", run_json())
        b = self.write("b.json", run_json(time_scale=1.2))
        status, out = self.compare(a, b)
        self.assertEqual(status, 1, out)
        self.assertRegex(out, r"\| client_cpu_us \|.*\+20\.0% \| <0\.001 \| regression \|")
        self.assertIn("**FAIL**", out)

    def test_faster_handshake_is_an_improvement_and_passes(self) -> None:
        a = self.write("a.json", run_json(time_scale=1.2))
        b = self.write("b.json", run_json())
        status, out = self.compare(a, b)
        self.assertEqual(status, 0, out)
        self.assertIn("| improvement |", out)

    def test_three_repetitions_cannot_make_a_time_change_significant(self) -> None:
        a = self.write("a.json", run_json(repetitions=NOISE[:3]))
        b = self.write("b.json", run_json(repetitions=NOISE[:3], time_scale=1.2))
        status, out = self.compare(a, b)
        self.assertEqual(status, 0, out)
        self.assertIn("too few repetitions", out)

    def test_time_change_below_threshold_does_not_fail(self) -> None:
        a = self.write("a.json", run_json())
        b = self.write("b.json", run_json(time_scale=1.2))
        status, out = self.compare(a, b, "--time-threshold", "25")
        self.assertEqual(status, 0, out)
        self.assertRegex(out, r"[1-9]\d* changes below the threshold")

    def test_instruction_counts_compare_exactly_against_the_threshold(self) -> None:
        a = self.write("a.json", run_json())
        over = self.write("over.json", run_json(instructions=6_120_000))  # +2 %
        under = self.write("under.json", run_json(instructions=6_030_000))  # +0.5 %
        status, out = self.compare(a, over)
        self.assertEqual(status, 1, out)
        self.assertRegex(out, r"\| client_instructions \| 6\.000 M \| 6\.120 M \| \+2\.0% \|")
        status, out = self.compare(a, under)
        self.assertEqual(status, 0, out)

    def test_case_that_stops_verifying_is_a_regression(self) -> None:
        a = self.write("a.json", run_json())
        b = self.write("b.json", run_json(failing=[CASE]))
        status, out = self.compare(a, b)
        self.assertEqual(status, 1, out)
        self.assertIn("now fails: peer not verified", out)

    def test_emulated_runs_compare_counts_not_times(self) -> None:
        a = self.write("a.json", run_json(emulated=True))
        b = self.write("b.json", run_json(emulated=True, time_scale=3, bytes_c2s=1100))
        status, out = self.compare(a, b)
        self.assertEqual(status, 1, out)
        self.assertIn("| bytes_c2s |", out)
        self.assertNotIn("| client_cpu_us |", out)

    def test_directories_pair_files_by_name(self) -> None:
        self.write("a/openssl-3.0-x86_64.json", run_json())
        self.write("a/only-in-a.json", run_json())
        self.write("b/openssl-3.0-x86_64.json", run_json(bytes_c2s=1100))
        status, out = self.compare(os.path.join(self.dir.name, "a"),
                                   os.path.join(self.dir.name, "b"))
        self.assertEqual(status, 1, out)
        self.assertIn("not compared (in one run only): only-in-a.json", out)

    def test_footprint_growth_past_the_threshold_is_a_regression(self) -> None:
        def footprint(flash: int) -> dict[str, Any]:
            return {"context": {"arch": "armhf", "backend_id": "footprint"},
                    "footprint": [{"backend_id": "mbedtls-3.6", "role": "client",
                                   "flash_bytes": flash, "ram_bytes": 70_000}]}
        a = self.write("a/footprint.json", footprint(1_600_000))
        b = self.write("b/footprint.json", footprint(1_700_000))
        status, out = self.compare(a, b)
        self.assertEqual(status, 1, out)
        self.assertRegex(out, r"\| footprint/mbedtls-3.6/client \| flash_bytes \|.*\+6\.2% \|")

    def test_bad_input_is_one_line_and_exit_2(self) -> None:
        a = self.write("a.json", run_json())
        garbled = os.path.join(self.dir.name, "garbled.json")
        with open(garbled, "w") as f:
            f.write("{not json")
        for b, message in ((garbled, "not a Google Benchmark JSON file"),
                           (os.path.join(self.dir.name, "missing.json"), "no such file")):
            status, out = self.compare(a, b)
            self.assertEqual(status, 2, out)
            self.assertIn(message, out)
            self.assertEqual(len(out.strip().splitlines()), 1, out)


if __name__ == "__main__":
    unittest.main()
