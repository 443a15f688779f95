#!/usr/bin/python3
"""Tests of report.py (scripts/report) on synthetic results: which case each table takes (by its
fields, not its name), what an emulated run leaves out, and bad input."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import unittest
from typing import Any

import report
from report_doc import Chart, Table
from results import Run, write_json
from results_fixture import HANDSHAKE, results

REPORT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report.py")
DEVICE_PROFILES = os.path.normpath(os.path.join(os.path.dirname(REPORT), "..", "..", "bench",
                                               "device_profiles.json"))
CONTEXT = {"backend_id": "openssl-3.0", "backend_version": "3.0.19", "arch": "x86_64",
           "cpu": "test", "date": "2026-12-04", "commit": "abc"}
FIGURES = {"client_cpu_us": 500.0, "server_cpu_us": 480.0, "bytes_c2s": 980, "bytes_s2c": 950,
           "flights": 3, "client_heap_peak": 40960, "server_heap_peak": 51200,
           "conn_retained_bytes": 20480, "tta_ms_nb-iot": 700.0, "tta_ms_6lowpan": 110.0}


def case(name: str, **fields: Any) -> tuple[str, dict[str, Any]]:
    return name, {**HANDSHAKE, **fields}


# Names are opaque keys: the report must find rows by their fields alone.
MTLS_13 = case("case-a")
SERVER_AUTH_13 = case("case-b", auth="server-auth")
PSK_13 = case("case-c", scheme="psk-dhe", depth=0)


class ReportTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def report(self, rows: list[tuple[str, dict[str, Any], dict[str, Any]]],
               context: dict[str, Any] = CONTEXT) -> tuple[int, str, str]:
        path = os.path.join(self.dir.name, "run.json")
        write_json(path, results(context, rows))
        out = os.path.join(self.dir.name, "out")
        done = subprocess.run([sys.executable, REPORT, "--out", out, path], capture_output=True,
                              text=True)
        text = ""
        if done.returncode == 0:
            with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
                text = f.read()
        return done.returncode, text, done.stderr

    def test_headline_figures_come_from_the_case_with_the_fields(self) -> None:
        status, text, err = self.report([(*MTLS_13, FIGURES),
                                         (*SERVER_AUTH_13, {**FIGURES, "server_cpu_us": 240.0})])
        self.assertEqual(status, 0, err)
        self.assertIn("| x86_64 | server CPU | openssl-3.0 ecdsa-p256 | 480.00 µs |", text)
        self.assertIn("| openssl-3.0 | x86_64 | ecdsa-p256 | 2.00× (CPU) | +0 |", text)
        self.assertIn("![ecdsa-p256: CPU time per side](plots/ecdsa-p256-client_cpu_us.svg)", text)

    def test_lightweight_schemes_sit_beside_certificates(self) -> None:
        status, text, err = self.report([(*MTLS_13, FIGURES),
                                         (*PSK_13, {**FIGURES, "server_cpu_us": 48.0})])
        self.assertEqual(status, 0, err)
        self.assertIn("| openssl-3.0 | x86_64 | external PSK psk_dhe_ke, 1.3 | 500 µs | 48 µs |",
                      text)
        self.assertIn("lightweight-schemes.svg", text)

    def test_emulated_runs_show_no_clock_figures(self) -> None:
        emulated = {**CONTEXT, "arch": "armhf", "emulated_cpu": "cortex-a7"}
        figures = {**FIGURES, "client_instructions": 9.6e6, "server_instructions": 9.5e6}
        status, text, err = self.report([(*MTLS_13, figures), (*PSK_13, figures)], emulated)
        self.assertEqual(status, 0, err)
        self.assertIn("| armhf | client instructions | openssl-3.0 ecdsa-p256 | 9.60 M |", text)
        self.assertNotIn("client CPU |", text)
        self.assertIn("| 9.60 M | 9.50 M | 980 / 950 | 3 | – | – |", text)

    def test_tls12_is_the_headline_where_tls13_is_missing(self) -> None:
        status, text, err = self.report([(*case("case-d", version="TLSv1.2"), FIGURES)])
        self.assertEqual(status, 0, err)
        self.assertIn("| x86_64 | flights (direction changes) | openssl-3.0 (1.2) ecdsa-p256 | 3.00 |",
                      text)

    def test_a_missing_value_is_shown_missing_not_as_zero(self) -> None:
        without_bytes = {k: v for k, v in FIGURES.items() if k != "bytes_c2s"}
        status, text, err = self.report([(*MTLS_13, FIGURES),
                                         (*SERVER_AUTH_13, {**without_bytes,
                                                            "server_cpu_us": 240.0})])
        self.assertEqual(status, 0, err)
        self.assertIn("| openssl-3.0 | x86_64 | ecdsa-p256 | 2.00× (CPU) | – |", text)
        self.assertIn("| openssl-3.0 x86_64 | 500 | 480 | – | – | 980 | 950 | 3 |", text)

    def test_dtls_rows_sit_beside_their_tls_twins_and_never_in_the_headline(self) -> None:
        dtls = {**FIGURES, "client_cpu_us": 520.0, "bytes_c2s": 1078, "bytes_s2c": 1045,
                "datagrams_c2s": 2, "datagrams_s2c": 3}
        link = {"suite": "dtls-link", "version": "DTLSv1.2", "link": "nb-iot"}
        status, text, err = self.report([
            (*case("tls", version="TLSv1.2"), FIGURES),
            (*case("dtls", version="DTLSv1.2"), dtls),
            *[(*case(f"link-{loss}", **link, loss_percent=loss),
               {"tta_ms": 700.0 + loss * 100, "retransmissions": loss / 4})
              for loss in (0, 1, 5)]])
        self.assertEqual(status, 0, err)
        self.assertIn("| openssl-3.0 x86_64 | mtls ecdsa-p256 DTLSv1.2 | 500 / 520 | 480 / 480 | "
                      "980 / 1,078 | 950 / 1,045 | +10.0% | 2 / 3 |", text)
        self.assertIn("| openssl-3.0 x86_64 | mtls ecdsa-p256 DTLSv1.2 | nb-iot | 700.0 | 800.0 | "
                      "1,200.0 | 1.25 |", text)
        # The headline (TLS 1.2 here) is the TLS row's: 500 µs, not the DTLS row's 520.
        self.assertIn("| openssl-3.0 x86_64 (1.2) | 500 | 480 |", text)

    def test_link_profiles_come_from_the_description(self) -> None:
        path = os.path.join(self.dir.name, "run.json")
        write_json(path, results(CONTEXT, [MTLS_13 + (FIGURES,)]))
        self.assertEqual([c for c, _ in report.link_counters([Run(path)])],
                         ["tta_ms_nb-iot", "tta_ms_6lowpan"])

    def test_a_directory_stands_for_its_json_files(self) -> None:
        folder = os.path.join(self.dir.name, "run")
        os.makedirs(folder)
        write_json(os.path.join(folder, "openssl-3.0-x86_64.json"),
                   results(CONTEXT, [MTLS_13 + (FIGURES,)]))
        done = subprocess.run([sys.executable, REPORT, folder], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(os.path.join(folder, "report.md"), encoding="utf-8") as f:
            self.assertIn("| openssl-3.0 | 3.0.19 | x86_64 |", f.read())
        empty = os.path.join(self.dir.name, "empty")
        os.makedirs(empty)
        done = subprocess.run([sys.executable, REPORT, empty], capture_output=True, text=True)
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stderr.splitlines(), [f"report: {empty}: no .json results in it"])

    def test_a_fuzz_yardstick_beside_benchmarks_gets_its_section(self) -> None:
        folder = os.path.join(self.dir.name, "run")
        os.makedirs(folder)
        write_json(os.path.join(folder, "openssl-3.0-x86_64.json"),
                   results(CONTEXT, [MTLS_13 + (FIGURES,)]))
        side: dict[str, Any] = {"exec_per_s": 400.0, "cov": 9, "ft": 9, "units": 9, "corpus": 9,
                "library_edges": 3000, "library_functions": 10, "problem": ""}
        run: dict[str, Any] = {"build": "openssl-3.5", "fuzzer": "server", "target": "server_mtls", "note": "",
               "seconds": 60, "theirs": side, "ours": {**side, "exec_per_s": 100.0}}
        write_json(os.path.join(folder, "fuzz-yardstick.json"),
                   {"kind": "fuzz-yardstick", "runs": [run]})
        done = subprocess.run([sys.executable, REPORT, folder], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(os.path.join(folder, "report.md"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("| openssl-3.5 | server | server_mtls | 400 | 100 | 0.25× | 3,000 |", text)
        self.assertIn("| openssl-3.0 | 3.0.19 | x86_64 |", text)
        del run["ours"]
        write_json(os.path.join(folder, "fuzz-yardstick.json"),
                   {"kind": "fuzz-yardstick", "runs": [run]})
        done = subprocess.run([sys.executable, REPORT, folder], capture_output=True, text=True)
        self.assertEqual(done.returncode, 2)
        self.assertIn("a run lacks 'ours'", done.stderr)

    def test_a_yardstick_alone_has_its_machine_in_the_run_table(self) -> None:
        folder = os.path.join(self.dir.name, "yardstick")
        os.makedirs(folder)
        side: dict[str, Any] = {"exec_per_s": 400.0, "cov": 9, "ft": 9, "units": 9, "corpus": 9,
                                "library_edges": 3000, "library_functions": 10, "problem": ""}
        context = {"date": "2026-12-05T21:00:00+00:00", "commit": "abc123", "cpu": "Test CPU",
                   "num_cpus": 2, "arch": "x86_64", "backend_version": "3.6.6"}
        runs = [{"build": "mbedtls-3.6", "fuzzer": fuzzer, "target": target, "note": "",
                 "seconds": 60, "theirs": side, "ours": side, "context": context}
                for fuzzer, target in (("fuzz_server", "server_mtls"),
                                       ("fuzz_client", "client_mtls"))]
        write_json(os.path.join(folder, "fuzz-yardstick.json"),
                   {"kind": "fuzz-yardstick", "runs": runs})
        done = subprocess.run([sys.executable, REPORT, folder], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(os.path.join(folder, "report.md"), encoding="utf-8") as f:
            text = f.read()
        # One row per build, from its first pair's context.
        self.assertEqual(text.count("| mbedtls-3.6 | 3.6.6 | x86_64 | Test CPU | 2 | "
                                    "2026-12-05T21:00:00+00:00 | abc123 |"), 1)

    def test_scaling_shows_efficiency_and_the_harness_against_the_bare_loop(self) -> None:
        machine = {**CONTEXT, "num_cpus": 4, "cpu": "Test CPU"}
        threads = [case(f"threads-{n}", suite="threads") + ({"threads": n, "items_per_second": r},)
                   for n, r in ((1, 100.0), (2, 180.0), (4, 300.0))]
        overhead = [case(f"overhead-{n}", suite="harness-overhead") +
                    ({"threads": n, "harness_per_bare": r},) for n, r in ((1, 0.98), (4, 0.95))]
        status, text, err = self.report([(*MTLS_13, FIGURES), *threads, *overhead], machine)
        self.assertEqual(status, 0, err)
        self.assertIn("## Scaling on 4 cores (Test CPU)", text)
        self.assertIn("| openssl-3.0 | 1.3 | full | shared-ctx | 100 (1.00) | 180 (0.90) | "
                      "300 (0.75) |", text)
        self.assertIn("| openssl-3.0 | 1.3 | 0.98 | – | 0.95 |", text)
        self.assertIn("plots/scaling-4-cores-test-cpu.svg", text)

    def test_error_bars_are_each_builds_own_repetitions(self) -> None:
        cpu = [500.0, 520.0, 540.0]
        path = os.path.join(self.dir.name, "run.json")
        write_json(path, results(CONTEXT, [(*MTLS_13, {**FIGURES, "client_cpu_us": c})
                                           for c in cpu]))
        section = report.scheme_section([Run(path)], "ecdsa-p256")
        chart = next(b for b in section.blocks
                     if isinstance(b, Chart) and b.name == "ecdsa-p256-client_cpu_us")
        client_errors = chart.figure.axes[0].containers[0]  # client's error bars, its bars, ...
        (bottom, top), = [segment[:, 1] for segment in client_errors.lines[2][0].get_segments()]
        self.assertAlmostEqual((top - bottom) / 2, statistics.stdev(cpu))
        self.assertAlmostEqual((top + bottom) / 2, statistics.mean(cpu))

    def test_the_lightweight_chart_divides_by_certificate_mtls_13_only(self) -> None:
        tls12_only = case("case-e", version="TLSv1.2")
        psk_12 = case("case-f", scheme="psk", depth=0, version="TLSv1.2")
        path = os.path.join(self.dir.name, "run.json")
        write_json(path, results(CONTEXT, [(*tls12_only, FIGURES),
                                           (*psk_12, {**FIGURES, "server_cpu_us": 48.0})]))
        section = report.lightweight_section([Run(path)])
        self.assertTrue(any(isinstance(b, Table) for b in section.blocks))
        self.assertFalse(any(isinstance(b, Chart) for b in section.blocks))  # no 1.3 base

    def test_failed_cases_are_listed_with_their_reason(self) -> None:
        path = os.path.join(self.dir.name, "run.json")
        data = results(CONTEXT, [(*MTLS_13, FIGURES)])
        data["benchmarks"].append({"name": "case-b", "run_name": "case-b", "run_type": "iteration",
                                   "error_occurred": True,
                                   "error_message": "server did not verify the client"})
        data["description"]["cases"]["case-b"] = SERVER_AUTH_13[1]
        write_json(path, data)
        out = os.path.join(self.dir.name, "out")
        done = subprocess.run([sys.executable, REPORT, "--out", out, path], capture_output=True,
                              text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
            self.assertIn("| openssl-3.0 | x86_64 | case-b | server did not verify the client |",
                          f.read())

    def test_no_rows_at_all_is_bad_input(self) -> None:
        path = os.path.join(self.dir.name, "run.json")
        write_json(path, results(CONTEXT, []))
        done = subprocess.run([sys.executable, REPORT, "--out", self.dir.name, path],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stderr.splitlines(), [f"report: no benchmark rows in {path}"])

    def test_context_strings_are_data_in_tables(self) -> None:
        hostile = {**CONTEXT, "cpu": "a | b\n<script>x</script>"}
        status, text, err = self.report([(*MTLS_13, FIGURES)], hostile)
        self.assertEqual(status, 0, err)
        self.assertIn("| a \\| b &lt;script>x&lt;/script> |", text)

    def test_a_real_boards_firmware_has_times_and_no_instructions(self) -> None:
        board = {**CONTEXT, "arch": "cortex-m4", "board": "stm32f4-discovery",
                 "backend_id": "wolfssl-5.7-cortex-m-asm"}
        firmware = {"client_cpu_us": 412000.0, "server_cpu_us": 415500.0, "bytes_c2s": 882,
                    "bytes_s2c": 891, "client_heap_peak": 9216, "server_heap_peak": 9216,
                    "client_context_heap": 1024, "server_context_heap": 2048,
                    "client_stack_peak": 5120, "server_stack_peak": 6144,
                    "library_flash_bytes": 189440, "library_ram_bytes": 4096}
        status, text, err = self.report([(*MTLS_13, firmware)], board)
        self.assertEqual(status, 0, err)
        self.assertIn("| wolfssl-5.7-cortex-m-asm | stm32f4-discovery (cortex-m4) | X25519 | – | "
                      "412.0 / 415.5 | 9.0 (1.0) / 9.0 (2.0) | 5.0 / 6.0 | 882 / 891 | 185.0 | "
                      "4.0 |", text)

    def test_bad_input_is_one_line_and_exit_2(self) -> None:
        garbled = os.path.join(self.dir.name, "garbled.json")
        with open(garbled, "w", encoding="utf-8") as f:
            f.write("{not json")
        done = subprocess.run([sys.executable, REPORT, "--out", self.dir.name, garbled],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 2)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
        self.assertIn("not a Google Benchmark JSON file", done.stderr)

    def test_bad_flags_and_paths_are_one_line_and_exit_2(self) -> None:
        path = os.path.join(self.dir.name, "run.json")
        write_json(path, results(CONTEXT, [MTLS_13 + (FIGURES,)]))
        unwritable = "/proc/no-such-dir/out"
        cases: list[tuple[list[str], str]] = [
            (["--bogus", path], "unknown argument '--bogus' (see --help)"),
            ([path, "-x"], "unknown argument '-x' (see --help)"),
            (["/nonexistent.json"], "/nonexistent.json: cannot read"),
            ([], "no results given (see --help)"),
            (["--devices", "", path], "--devices names no profile (see --help)"),
            (["--devices", "cortex-m4-64mhz-nb-iot,nope", path],
             f"{DEVICE_PROFILES}: no device profile named 'nope' (known: "),
            (["--device-profiles", "/nonexistent.json", path], "/nonexistent.json: "),
            (["--out", unwritable, path], f"{unwritable}: cannot create")]
        for args, line in cases:
            with self.subTest(args=args):
                done = subprocess.run([sys.executable, REPORT, *args], capture_output=True,
                                      text=True)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertEqual(len(done.stderr.splitlines()), 1, done.stderr)
                self.assertTrue(done.stderr.startswith(f"report: {line}"), done.stderr)

    def test_report_goes_beside_the_first_input_and_flags_may_follow_inputs(self) -> None:
        first = os.path.join(self.dir.name, "a", "run.json")
        os.makedirs(os.path.dirname(first))
        write_json(first, results(CONTEXT, [MTLS_13 + (FIGURES,)]))
        done = subprocess.run([sys.executable, REPORT, first], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.dir.name, "a", "report.md")))
        out = os.path.join(self.dir.name, "out")
        done = subprocess.run([sys.executable, REPORT, first, "--out", out], capture_output=True,
                              text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue(os.path.exists(os.path.join(out, "report.md")))
        self.assertTrue(os.path.exists(os.path.join(out, "report.html")))


if __name__ == "__main__":
    unittest.main()
