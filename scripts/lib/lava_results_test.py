"""lava_results: a real LAVA job's log (testdata/lava) becomes the rows mcu_bench.py writes for
the same firmware; real boards' cycles and clock; the Linux bundle's results between markers; and
every log that is not what the board should have printed is a one-line error."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import unittest
from typing import Any, Optional

import lava_boards
from lava_results import LogError, convert
from results_fixture import HANDSHAKE, description

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata", "lava")
NAMES = {group: f"handshake/mtls/ecdsa-p256/d1/TLSv1.3/{group}/full/shared-ctx"
         for group in ("P-256", "X25519")}
DESCRIPTION: Any = description({name: {**HANDSHAKE, "group": group}
                                for group, name in NAMES.items()})
# A link map as GNU ld writes it, cut to the sections mcu_bench.footprint reads.
MAP = """Linker script and memory map

.text           0x00000000     0x1000
 .text.a        0x00000000      0x800 /cache/libwolfssl.a(ssl.o)
 .text.b        0x00000800      0x800 main.o
.data           0x20000000      0x100
 .data.a        0x20000000       0x40 /cache/libwolfssl.a(ssl.o)
 .data.b        0x20000040       0xc0 main.o
.bss            0x20000100      0x200
 .bss.a         0x20000100      0x200 /cache/libwolfssl.a(ssl.o)
"""


def entry(lvl: str, msg: str, dt: str = "2026-12-05T21:00:00.000000") -> str:
    """A job log line as LAVA writes it: a device's line has '"' escaped, then YAML-quoted."""
    if lvl == "target":
        msg = msg.replace('"', '\\"')
    return f'- {{"dt": "{dt}", "lvl": "{lvl}", "msg": {json.dumps(msg)}}}\n'


JOB_PASSED = '- {"dt": "x", "lvl": "results", "msg": {"case": "job", "definition": "lava", "result": "pass"}}\n'


class Converting(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.mkdtemp()
        self.map = os.path.join(self.tmp, "fw.map")
        with open(self.map, "w", encoding="utf-8") as f:
            f.write(MAP)

    def tearDown(self) -> None:
        shutil.rmtree(self.tmp)

    def log(self, text: str) -> str:
        path = os.path.join(self.tmp, "job.log.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def convert(self, log: str, board: str, clock_hz: Optional[float] = None
                ) -> tuple[Any, list[dict[str, Any]]]:
        out = os.path.join(self.tmp, "out")
        done = convert(log, lava_boards.board(board), out, DESCRIPTION, self.map, clock_hz)
        written = []
        for path in done.files:
            with open(path, encoding="utf-8") as f:
                written.append(json.load(f))
        return done, written


class FirmwareTest(Converting):
    def test_a_real_lava_job(self) -> None:
        done, [data] = self.convert(os.path.join(TESTDATA, "mps2-an386.job.log.yaml"), "mps2-an386")
        self.assertEqual([os.path.basename(p) for p in done.files],
                         ["wolfssl-5.7-cortex-m-asm-cortex-m4-mps2-an386.json"])
        self.assertFalse(done.failed)
        p256, x25519 = data["benchmarks"]
        # The plugin's counts over two handshakes, halved; the firmware's own figures.
        self.assertEqual((p256["name"], p256["client_instructions"], p256["server_instructions"]),
                         (NAMES["P-256"], 16980261 / 2, 16989695 / 2))
        self.assertEqual((x25519["client_instructions"], x25519["bytes_c2s"], x25519["mutual_auth_verified"]),
                         (18176684 / 2, 882, 1.0))
        self.assertEqual((p256["library_flash_bytes"], p256["library_ram_bytes"],
                          p256["firmware_flash_bytes"]), (0x800 + 0x40, 0x240, 0x1100))
        context = data["context"]
        self.assertEqual((context["board"], context["emulated_cpu"], context["lava_job"],
                          context["backend_id"]),
                         ("mps2-an386", "cortex-m4", "6", "wolfssl-5.7-cortex-m-asm"))
        self.assertEqual(list(data["description"]["cases"]), [NAMES["P-256"], NAMES["X25519"]])

    def test_the_log_of_another_board(self) -> None:
        with self.assertRaisesRegex(LogError, "ran -machine mps2-an386, board 'mps2-an505'"):
            self.convert(os.path.join(TESTDATA, "mps2-an386.job.log.yaml"), "mps2-an505")

    def line(self, **changes: Any) -> dict[str, Any]:
        with open(os.path.join(TESTDATA, "mps2-an386.job.log.yaml"), encoding="utf-8") as f:
            first = next(line for line in f if '"target"' in line and "library" in line)
        value = json.loads(json.loads(first[2:])["msg"].replace('\\"', '"'))
        value.update(changes)
        return {k: v for k, v in value.items() if v is not None}

    def test_a_real_boards_cycles_and_clock(self) -> None:
        log = self.log(entry("target", json.dumps(self.line(client_cycles=20_000_000,
                                                            server_cycles=0))) + JOB_PASSED)
        _, [data] = self.convert(log, "stm32f4-discovery", clock_hz=168e6)
        row, context = data["benchmarks"][0], data["context"]
        self.assertEqual((row["client_cycles"], row["client_cpu_us"]),
                         (10_000_000, 10_000_000 / 168e6 * 1e6))
        self.assertNotIn("server_cycles", row)  # a counter that read 0 counted nothing
        self.assertNotIn("client_instructions", row)
        self.assertEqual((context["cpu"], context["clock_hz"], context["lava_board"]),
                         ("STM32F407VG (Cortex-M4F)", 168e6, "stm32f4-discovery"))
        self.assertNotIn("emulated_cpu", context)
        self.assertEqual(context["board"], "stm32f4-discovery")  # its row in the report

    def test_the_firmwares_clock_wins(self) -> None:
        log = self.log(entry("target", json.dumps(self.line(client_cycles=8, clock_hz=16e6))))
        done, [data] = self.convert(log, "netduino-plus-2", clock_hz=168e6)
        self.assertEqual(data["context"]["clock_hz"], 16e6)
        self.assertIn("LAVA's verdict on the job: none", done.notes[-1])

    def test_a_serial_capture_by_hand(self) -> None:
        capture = os.path.join(self.tmp, "ttyACM0.txt")
        with open(capture, "w", encoding="utf-8") as f:
            f.write("mtls-mcu on stm32f4\r\n" + json.dumps(self.line(client_cycles=40)) + "\r\n")
        done = convert(capture, lava_boards.board("stm32f4-discovery"), self.tmp, DESCRIPTION,
                       self.map, 168e6, serial=True)
        with open(done.files[0], encoding="utf-8") as f:
            self.assertEqual(json.load(f)["benchmarks"][0]["client_cycles"], 20)
        self.assertEqual(done.notes, [])

    def test_a_case_that_did_not_verify_is_a_failed_row(self) -> None:
        log = self.log(entry("target", json.dumps(self.line(verified_handshakes=1))) + JOB_PASSED)
        done, [data] = self.convert(log, "frdm-k64f")
        self.assertTrue(done.failed)
        self.assertEqual(data["benchmarks"][0]["error_message"], "1 of 2 handshakes verified both peers")

    def test_a_case_the_host_cannot_name_is_a_note_and_still_judged(self) -> None:
        unnamed = self.line(tls_version="DTLSv1.2", verified_handshakes=1)
        log = self.log("".join(entry("target", json.dumps(v)) for v in (unnamed, self.line()))
                       + JOB_PASSED)
        done, [data] = self.convert(log, "frdm-k64f")
        self.assertEqual(len(data["benchmarks"]), 1)
        self.assertTrue(done.failed)
        self.assertIn("mtls DTLSv1.2 P-256: not written: the host's mtls-bench has no such case to"
                      " name the row after; FAILED: 1 of 2 handshakes verified both peers",
                      done.notes)

    def test_skipped_and_conformance_cases_are_notes(self) -> None:
        skipped = {"library": "mbedtls", "version": "3.6.6", "configuration": "tls13-p256",
                   "case": "mtls", "group": "X25519", "skipped": "no X25519 in this build"}
        negative = self.line(case="untrusted-ca", verified_handshakes=0)
        log = self.log("".join(entry("target", json.dumps(v)) for v in
                               (skipped, negative, self.line())) + JOB_PASSED)
        done, [data] = self.convert(log, "frdm-k64f")
        self.assertEqual(len(data["benchmarks"]), 1)
        self.assertEqual(done.notes, ["mtls TLSv1.3 X25519: skipped by the firmware: no X25519 in "
                                      "this build", "untrusted-ca TLSv1.3 P-256: a conformance case"
                                      " (no figures): as expected"])

    def test_an_emulated_board_without_counts(self) -> None:
        log = self.log(entry("info", "Boot command: qemu-system-arm -machine mps2-an386 -m 16")
                       + entry("target", json.dumps(self.line())))
        with self.assertRaisesRegex(LogError, "no instruction counts from qemu.*--plugin"):
            self.convert(log, "mps2-an386")

    def test_logs_without_the_firmwares_lines(self) -> None:
        for text, what in (
                ("2026-12-05T21:19:49 Boot command\n", "not a LAVA job log entry.*--raw"),
                (entry("target", "Hard fault") + '- {"dt": "x", "lvl": "error", "msg": "boom"}\n',
                 "no case line of the firmware.*LAVA: job \\?: boom"),
                (entry("target", '{"library": "wolfssl", "version": '), "a garbled line")):
            with self.subTest(what=what), self.assertRaisesRegex(LogError, what):
                self.convert(self.log(text), "frdm-k64f")
        with self.assertRaisesRegex(LogError, "cannot read"):
            self.convert(os.path.join(self.tmp, "missing.yaml"), "frdm-k64f")


def bench_json(arch: str = "aarch64") -> str:
    return json.dumps({"context": {"arch": arch, "backend_id": "openssl-3.0", "cpu": "Cortex-A72"},
                       "benchmarks": [{"name": NAMES["X25519"], "run_name": NAMES["X25519"],
                                       "client_cpu_us": 1500.0, "note": 'a "quoted" word'}]},
                      indent=2) + "\n"


def printed(name: str, text: str, md5: Optional[str] = None) -> str:
    """The Linux test's output for one file, as LAVA logs it: a line each, blank lines dropped."""
    digest = md5 or hashlib.md5(text.encode()).hexdigest()
    lines = [f"MTLS-BENCH-RESULT-BEGIN {name} {digest}"] + text.splitlines() + [
        f"MTLS-BENCH-RESULT-END {name}"]
    return "".join(entry("target", line) for line in lines)


class LinuxTest(Converting):
    def test_a_real_lava_job(self) -> None:
        # The armhf bundle on qemu's Cortex-A7, an interactive test over a busybox shell.
        done, [data] = self.convert(os.path.join(TESTDATA, "qemu-armhf.job.log.yaml"), "qemu-armhf")
        self.assertEqual(os.path.basename(done.files[0]), "openssl-3.0-armhf-qemu-armhf.json")
        [row] = data["benchmarks"]
        self.assertEqual((row["name"], row["mutual_auth_verified"], row["bytes_c2s"]),
                         (NAMES["X25519"], 1, 980))
        context = data["context"]
        self.assertEqual((context["arch"], context["emulated_cpu"], context["lava_job"],
                          context["lava_board"]), ("armhf", "cortex-a7", "7", "qemu-armhf"))
        self.assertNotIn("clock_hz", context)  # the virt board has no cpufreq: '-'
        self.assertEqual(done.notes, [])

    def test_results_between_markers(self) -> None:
        log = self.log(entry("target", "MTLS-BENCH-CPUFREQ 1500000 ondemand")
                       + printed("openssl-3.0-aarch64.json", bench_json()) + JOB_PASSED)
        done, [data] = self.convert(log, "rpi-4-b")
        self.assertEqual(os.path.basename(done.files[0]), "openssl-3.0-aarch64-rpi-4-b.json")
        self.assertEqual(data["benchmarks"], json.loads(bench_json())["benchmarks"])
        context = data["context"]
        self.assertEqual((context["lava_board"], context["clock_hz"], context["cpufreq_governor"]),
                         ("rpi-4-b", 1_500_000_000, "ondemand"))
        self.assertNotIn("board", context)
        self.assertNotIn("emulated_cpu", context)

    def test_an_emulated_linux_board_has_no_times(self) -> None:
        log = self.log(printed("openssl-3.0-aarch64.json", bench_json(), md5="-"))
        _, [data] = self.convert(log, "qemu-aarch64")
        self.assertEqual(data["context"]["emulated_cpu"], "cortex-a53")

    def test_what_the_serial_line_or_the_board_got_wrong(self) -> None:
        good = bench_json()
        for text, board, what in (
                (printed("a.json", good, md5="0" * 32), "rpi-4-b", "its MD5 differs"),
                (printed("a.json", good.replace("1500.0", "15[  3.1] usb 00.0")), "rpi-4-b",
                 "not JSON"),
                (printed("a.json", bench_json("armhf")), "rpi-4-b", "results for armhf, board "
                 "'rpi-4-b' is aarch64"),
                (printed("a.json", good).rsplit("- ", 1)[0], "rpi-4-b", "ends inside its results"),
                (entry("target", "login:"), "rpi-4-b", "no results JSON between")):
            with self.subTest(what=what), self.assertRaisesRegex(LogError, what):
                self.convert(self.log(text), board)


if __name__ == "__main__":
    unittest.main()
