"""scripts/lava as a user runs it: a job written to a file, and bad input (unknown board, device
type, unreadable or malformed log) as one line naming what is wrong, exit 2."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import unittest

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
LAVA = os.path.join(REPO, "scripts", "lava")


class CliTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.mkdtemp()

    def tearDown(self) -> None:
        shutil.rmtree(self.tmp)

    def lava(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([LAVA, *args], capture_output=True, text=True, timeout=60)

    def test_a_job_file(self) -> None:
        out = os.path.join(self.tmp, "job.yaml")
        done = self.lava("job", "--board", "nucleo-l476rg", "--device-type", "nucleo-l476rg",
                         "--artifact", "https://example.com/mtls-mcu.bin", "--out", out)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(out, encoding="utf-8") as f:
            self.assertIn("method: cmsis-dap", f.read())
        self.assertIn("scripts/lava results --log job.log.yaml --board nucleo-l476rg", done.stderr)

    def test_bad_input_is_one_line_exit_2(self) -> None:
        log = os.path.join(self.tmp, "pretty.log")
        with open(log, "w", encoding="utf-8") as f:
            f.write("2026-12-05T21:19:49 start: 0 validate\n")
        job = ["job", "--device-type", "qemu", "--artifact", "file:///x.elf"]
        results = ["results", "--out", self.tmp]
        cases: list[tuple[list[str], str]] = [
                ([], "which command?"),
                (["bogus"], "unknown command 'bogus'"),
                (job + ["--board", "bogus"], "unknown board 'bogus'"),
                (["job", "--board", "mps2-an386", "--device-type", "bogus", "--artifact", "x"],
                 "unknown device type 'bogus'"),
                (job + ["--board", "mps2-an386", "--handshakes", "0"], "'0' is not a positive"),
                (job + ["--board", "mps2-an386", "--plugin", "p.so"], "/x.elf: no such file"),
                (job[:1] + ["--board", "mps2-an386"], "required: --device-type, --artifact"),
                (results + ["--board", "frdm-k64f", "--log", os.path.join(self.tmp, "none")],
                 "none: cannot read"),
                (results + ["--board", "frdm-k64f", "--log", log],
                 "pretty.log: line 1: not a LAVA job log entry"),
                (results + ["--board", "bogus", "--log", log], "unknown board 'bogus'"),
                (results + ["--board", "frdm-k64f", "--log", log, "--clock-hz", "0"],
                 "not a clock in Hz > 0"),
                (["selftest", "--board", "frdm-k64f"], "--board netduinoplus2, mps2-an386 or mps2-an505")]
        for args, what in cases:
            with self.subTest(args=args):
                done = self.lava(*args)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
                self.assertIn(what, done.stderr)

    def test_help(self) -> None:
        done = self.lava("--help")
        self.assertEqual(done.returncode, 0)
        self.assertIn("scripts/lava selftest", done.stdout)
        self.assertIn("stm32f4-discovery", self.lava("job", "--help").stdout)


if __name__ == "__main__":
    unittest.main()
