#!/usr/bin/python3
"""Tests of bench_table.py on synthetic results: every row shows the figures it has."""
from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import unittest
from typing import Any

import bench_table
import results_fixture

OVERHEAD = {**results_fixture.HANDSHAKE, "suite": "harness-overhead"}
NAME = "harness-overhead/mtls/ecdsa-p256/d1/TLSv1.3/X25519/full/shared-ctx"


def overhead_rows() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The paired one-thread row and the same case registered with Threads() on 1 and 2."""
    paired = {"threads": 1, "reference_cpu_us": 1133.0, "harness_cpu_us": 1152.0,
              "overhead_pct": 1.68, "total_overhead_pct": 3.19}
    rows = [(NAME, OVERHEAD, paired)]
    for threads, ratio in ((1, 0.97), (2, 0.96)):
        rows.append((f"{NAME}/real_time/threads:{threads}", OVERHEAD,
                     {"threads": threads, "reference_wall_us": 1100.0 + threads,
                      "harness_wall_us": 1140.0 + threads, "harness_per_bare": ratio}))
    return rows


class BenchTableTest(unittest.TestCase):
    def table(self) -> str:
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "a.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(results_fixture.results({"backend_id": "a"}, overhead_rows()), f)
            with contextlib.redirect_stdout(io.StringIO()) as out:
                self.assertEqual(bench_table.main([path]), 0)
        return out.getvalue()

    def test_threaded_overhead_rows_show_their_own_figures(self) -> None:
        text = self.table()
        paired, _, threaded = text.partition("== Harness overhead on N threads")
        self.assertIn("1133", paired)
        self.assertNotIn("threads:", paired)
        self.assertIn("bare_loop_wall_us", threaded)
        words = " ".join(threaded.split())
        for threads, figures in ((1, "1101 1141 0.97"), (2, "1102 1142 0.96")):
            shown = f"{NAME[len('harness-overhead/'):]}/real_time/threads:{threads}"
            self.assertIn(f"{shown} backend bare_loop_wall_us harness_wall_us harness/bare "
                          f"a {figures}", words)

    def test_no_row_is_only_dashes(self) -> None:
        for line in self.table().splitlines():
            cells = line.split()[1:]  # after the build's label, "a"
            if line.startswith("  a "):
                self.assertTrue(any(cell != "-" for cell in cells), line)


class HeadlineTest(unittest.TestCase):
    def headline(self, builds: dict[str, list[tuple[str, dict[str, Any], dict[str, Any]]]]
                 ) -> tuple[int, str]:
        with tempfile.TemporaryDirectory() as directory:
            paths = []
            for build, rows in builds.items():
                paths.append(os.path.join(directory, f"{build}.json"))
                with open(paths[-1], "w", encoding="utf-8") as f:
                    json.dump(results_fixture.results({"backend_id": build}, rows), f)
            with contextlib.redirect_stdout(io.StringIO()) as out:
                status = bench_table.main(["--headline", *paths])
        return status, out.getvalue()

    def test_tls12_rows_only_for_builds_without_the_tls13_headline(self) -> None:
        tls13 = ("case-13", results_fixture.HANDSHAKE, {"client_cpu_us": 500.0})
        tls12 = ("case-12", {**results_fixture.HANDSHAKE, "version": "TLSv1.2"},
                 {"client_cpu_us": 700.0})
        other = ("case-psk", {**results_fixture.HANDSHAKE, "scheme": "psk"},
                 {"client_cpu_us": 90.0})
        status, text = self.headline({"a": [tls13, tls12, other], "b": [tls12]})
        self.assertEqual(status, 0)
        blocks = text.split("case-12\n")
        self.assertTrue(blocks[0].startswith("case-13\n"), text)
        self.assertEqual([line.split()[0] for line in blocks[0].splitlines()[2:]], ["a"])
        self.assertEqual([line.split()[0] for line in blocks[1].splitlines()[1:]], ["b"])
        self.assertNotIn("90", text)

    def test_no_headline_case_is_exit_3(self) -> None:
        other = ("case-psk", {**results_fixture.HANDSHAKE, "scheme": "psk"},
                 {"client_cpu_us": 90.0})
        self.assertEqual(self.headline({"a": [other]}), (3, ""))


if __name__ == "__main__":
    unittest.main()
