#!/usr/bin/python3
"""Tests of fuzz_yardstick.py: pairs files, which covered functions count as the library's, the
side-by-side table. A stand-in fuzzer (a shell script) prints libFuzzer's coverage lines."""
from __future__ import annotations

import os
import stat
import tempfile
import unittest
from pathlib import Path

import fuzz_runner
import fuzz_yardstick

REPO = Path(__file__).resolve().parents[2]


def fake_fuzzer(directory: Path, lines: list[str]) -> str:
    path = directory / "fuzzer"
    path.write_text("#!/bin/sh\ncat <<'EOF'\n" + "\n".join(lines) + "\nEOF\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def covered(edges: int, name: str, path: str) -> str:
    return f"COVERED_FUNC: hits: 3 edges: {edges}/99 {name} {path}:12"


class PairsTest(unittest.TestCase):
    def test_reads_pairs_and_rejects_a_bad_line(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            prefix = Path(directory)
            (prefix / "pairs.txt").write_text(
                "# comment\nserver|server_mtls|-dict=x.dict -max_len=9|fuzzer mode\n")
            self.assertEqual(fuzz_yardstick.load_pairs(prefix), [
                {"fuzzer": "server", "target": "server_mtls", "flags": ["-dict=x.dict",
                                                                         "-max_len=9"],
                 "note": "fuzzer mode"}])
            (prefix / "pairs.txt").write_text("server|no_such_target||\n")
            with self.assertRaisesRegex(fuzz_runner.FuzzError, "pairs.txt:1"):
                fuzz_yardstick.load_pairs(prefix)


class LibraryCoverageTest(unittest.TestCase):
    def test_theirs_drop_their_harness_and_the_system(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            fuzzer = fake_fuzzer(Path(directory), [
                covered(4, "LLVMFuzzerTestOneInput", "/tmp/b/src/fuzz/server.cc"),
                covered(7, "bssl::ssl_run_handshake(bssl::SSL_HANDSHAKE*, bool*)",
                        "/tmp/b/src/ssl/handshake.cc"),
                covered(5, "TLSFuzzer::Setup()", "/tmp/b/src/ssl/test/fuzzer.h"),
                covered(2, "std::vector<int>::size() const", "/usr/include/c++/12/bits/v.h"),
                "UNCOVERED_FUNC: hits: 0 edges: 0/8 x509_parse /tmp/b/src/crypto/x509.c:3",
                covered(11, "x509_parse", "/tmp/a/src/crypto/../crypto/x509.c")])
            self.assertEqual(fuzz_yardstick.library_coverage(
                fuzzer, Path(directory), dict(os.environ), ["fuzz/", "ssl/test"], REPO),
                (7 + 11, 2))

    def test_ours_drop_every_file_of_this_project_wherever_it_was_compiled(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            fuzzer = fake_fuzzer(Path(directory), [
                covered(4, "LLVMFuzzerTestOneInput",
                        "/tmp/other-clone/build/fuzz/x/../../../fuzz/server_mtls_fuzzer.cc"),
                covered(6, "mtls::fuzz::RunSide()", "/elsewhere/fuzz/driver/side_under_test.cc"),
                covered(9, "ssl3_read_bytes", "/tmp/tmp.X/src/ssl/record/rec_layer_s3.c")])
            self.assertEqual(fuzz_yardstick.library_coverage(
                fuzzer, Path(directory), dict(os.environ), None, REPO), (9, 1))

    def test_their_entry_point_outside_their_harness_paths_is_an_error(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            fuzzer = fake_fuzzer(Path(directory), [
                covered(4, "LLVMFuzzerTestOneInput", "/tmp/b/src/tests/server.c")])
            with self.assertRaisesRegex(fuzz_runner.FuzzError, "under none of fuzz/"):
                fuzz_yardstick.library_coverage(fuzzer, Path(directory), dict(os.environ),
                                                ["fuzz/"], REPO)


class TableTest(unittest.TestCase):
    def test_ratios_are_ours_over_theirs(self) -> None:
        side = {"exec_per_s": 400.0, "cov": 1, "ft": 1, "units": 1, "corpus": 1,
                "library_edges": 3000, "library_functions": 10, "problem": ""}
        result = {"build": "b", "fuzzer": "server", "target": "server_mtls", "note": "n",
                  "seconds": 5, "theirs": side,
                  "ours": {**side, "exec_per_s": 100.0, "library_edges": 4500,
                           "problem": "libFuzzer exited 1"}}
        row = fuzz_yardstick.table([result])[0]
        self.assertEqual(row[3:9], ["400", "100", "0.25×", "3,000", "4,500", "1.50×"])
        self.assertEqual(row[9], "n; ours stopped")


if __name__ == "__main__":
    unittest.main()
