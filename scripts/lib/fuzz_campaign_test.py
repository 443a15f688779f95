#!/usr/bin/python3
"""Tests of fuzz_campaign.py and of the coverage series fuzz_runner records: libFuzzer's progress
lines (plain and -fork) become points, and a campaign says when each mutator reached the other's
final coverage."""
from __future__ import annotations

import contextlib
import io
import json
import tempfile
import unittest
from pathlib import Path
from typing import Any

import fuzz_campaign
import fuzz_runner


def run(mutator: str, series: list[list[float]]) -> dict[str, Any]:
    return {"build": "mbedtls-3.6", "target": "server_mtls", "mutator": mutator, "fork": 2,
            "series": series, "cov": int(series[-1][2]), "ft": 1, "corpus": 1,
            "exec_per_s": 100.0}


class SeriesTest(unittest.TestCase):
    def test_progress_lines_of_both_modes_become_points(self) -> None:
        timed = [(0.5, "#2\tINITED cov: 10 ft: 12 corp: 3/1Kb exec/s: 0 rss: 30Mb"),
                 (0.7, "INFO: Seed: 1"),
                 (61.0, "#9000: cov: 20 ft: 30 corp: 9 exec/s 300 oom/timeout/crash: 0/0/0 "
                        "time: 61s job: 4 dft_time: 0")]
        self.assertEqual(fuzz_runner.coverage_series(timed),
                         [[0.5, 2.0, 10.0, 12.0, 3.0], [61.0, 9000.0, 20.0, 30.0, 9.0]])

    def test_a_long_run_is_thinned_and_keeps_its_last_point(self) -> None:
        timed = [(float(i), f"#{i} pulse cov: {i} ft: {i} corp: 1/1b") for i in range(1, 1001)]
        series = fuzz_runner.coverage_series(timed)
        self.assertEqual(len(series), fuzz_runner.SERIES_POINTS)
        self.assertEqual(series[-1][2], 1000.0)

    def test_a_crashed_jobs_log_is_not_the_runs(self) -> None:
        log = ["#9000: cov: 20 ft: 30 corp: 9 exec/s 300 time: 61s",
               fuzz_runner.INNER_LOG, "#5\tNEW    cov: 7 ft: 8 corp: 2/1b exec/s: 2"]
        self.assertEqual(fuzz_runner.parse_stats("\n".join(log))["cov"], 20)
        self.assertEqual(len(fuzz_runner.coverage_series([(1.0, line) for line in log])), 1)

    def test_options_files_give_only_their_libfuzzer_section(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            (Path(directory) / "fuzz").mkdir()
            (Path(directory) / "fuzz" / "t_fuzzer.options").write_text(
                "# why\n[libfuzzer]\nmax_len = 41\nentropic=0\n[asan]\ndetect_leaks = 0\n")
            self.assertEqual(fuzz_runner.target_flags(Path(directory), "t"),
                             ["-max_len=41", "-entropic=0"])
            self.assertEqual(fuzz_runner.target_flags(Path(directory), "none"), [])

    def test_fork_lines_give_the_exec_rate(self) -> None:
        stats = fuzz_runner.parse_stats("#9000: cov: 20 ft: 30 corp: 9 exec/s 300 time: 61s")
        self.assertEqual((stats["exec_per_s"], stats["cov"]), (300.0, 20))


class CampaignTest(unittest.TestCase):
    def test_each_mutator_is_timed_to_the_others_final_coverage(self) -> None:
        structure = run("structure-aware", [[0, 0, 100, 1, 1], [120, 0, 300, 1, 1],
                                            [600, 0, 400, 1, 1]])
        plain = run("libFuzzer's own", [[0, 0, 100, 1, 1], [600, 0, 300, 1, 1]])
        with tempfile.TemporaryDirectory() as directory:
            paths = []
            for result in (structure, plain):
                path = Path(directory) / f"{result['mutator'][:4]}.json"
                path.write_text(json.dumps(result))
                paths.append(str(path))
            out = Path(directory) / "out"
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(fuzz_campaign.main(["--out", str(out), *paths]), 0)
            text = (out / "campaign.txt").read_text()
            self.assertIn("libFuzzer's own's 300: after 2.0 min", text)
            self.assertIn("structure-aware's 400: not reached", text)
            self.assertTrue((out / "coverage-mbedtls-3.6-server_mtls.svg").is_file())
            # A committed campaign.json joins a new build's runs; the same run is replaced.
            later = {**plain, "build": "wolfssl-5.7"}
            (Path(directory) / "later.json").write_text(json.dumps(later))
            again = {**structure, "cov": 450}
            (Path(directory) / "again.json").write_text(json.dumps(again))
            merged = Path(directory) / "merged"
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(fuzz_campaign.main(
                    ["--out", str(merged), str(out / "campaign.json"),
                     str(Path(directory) / "later.json"), str(Path(directory) / "again.json")]), 0)
            kept = json.loads((merged / "campaign.json").read_text())["runs"]
            self.assertEqual(sorted((r["build"], r["mutator"], r["cov"]) for r in kept),
                             [("mbedtls-3.6", "libFuzzer's own", plain["cov"]),
                              ("mbedtls-3.6", "structure-aware", 450),
                              ("wolfssl-5.7", "libFuzzer's own", plain["cov"])])
            (Path(directory) / "bad.json").write_text("{}")
            with contextlib.redirect_stderr(io.StringIO()) as error:
                self.assertEqual(fuzz_campaign.main(["--out", str(out),
                                                     str(Path(directory) / "bad.json")]), 2)
            self.assertIn("not a fuzz_runner result", error.getvalue())


if __name__ == "__main__":
    unittest.main()
