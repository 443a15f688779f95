"""Bad input to the entry-point scripts: exit status 2 and one line naming what is wrong, found
before any build or long run starts; --help names every flag a script's argument loop takes.
And what the long ones show while they run (scripts/lib/progress.sh): progress lines with [n/N]
and an ETA, each phase's output in its log, a failing phase's last lines, the bar of a terminal,
and what CTest's log says (counts, failing tests, their output), read from a real CTest run."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
UNWRITABLE = "/proc/mtls-no-such-dir/out"
PYTHON = "/usr/bin/python3"  # the scripts' interpreter (MTLS_PYTHON)
# An arm of a bash entry point's argument loop: `  --out) ...` or `  --a=* | --b=*) ...`.
LOOP_ARM = re.compile(r"^\s+(-[^\s)]*(?:\s*\|\s*-[^\s)]*)*)\)", re.MULTILINE)


def bash_entry_points() -> list[str]:
    names = []
    for name in sorted(os.listdir(SCRIPTS)):
        path = os.path.join(SCRIPTS, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                if "bash" in f.readline():
                    names.append(name)
    return names


def loop_flags(script: str) -> list[str]:
    """The flags the first `while [[ $# -gt 0 ]]` loop of a bash script matches ("--matrix=*"
    as "--matrix="), --help and -h left out; none where a script has no such loop (it hands its
    arguments to a Python parser, as scripts/report does)."""
    with open(os.path.join(SCRIPTS, script), encoding="utf-8") as f:
        text = f.read()
    start = text.find("while [[ $# -gt 0 ]]")
    if start < 0:
        return []
    loop = text[start:text.index("\ndone", start)]
    flags = []
    for arm in LOOP_ARM.findall(loop):
        for flag in (alternative.strip().rstrip("*") for alternative in arm.split("|")):
            if flag.strip("-") and flag not in ("-h", "--help"):  # not `--`, `-*` (any flag)
                flags.append(flag)
    return flags


def run(script: str, *args: str) -> tuple[int, list[str]]:
    done = subprocess.run([os.path.join(SCRIPTS, script), *args], capture_output=True,
                          text=True, timeout=120)
    return done.returncode, done.stderr.strip().splitlines()


class EntryPointsTest(unittest.TestCase):
    def assertOneLineError(self, result: tuple[int, list[str]], *fragments: str) -> None:
        status, lines = result
        self.assertEqual(status, 2, lines)
        self.assertEqual(len(lines), 1, lines)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def test_unknown_arguments_are_named(self) -> None:
        for script in ("bench", "test", "conformance", "interop", "footprint", "report",
                       "deps", "fuzz", "bundle"):
            with self.subTest(script=script):
                self.assertOneLineError(run(script, "--no-such-flag"), script, "--no-such-flag")

    def test_unwritable_outputs_fail_before_the_run(self) -> None:
        self.assertOneLineError(run("conformance", "--json", UNWRITABLE + ".json"),
                                "cannot write")
        self.assertOneLineError(run("interop", "--json", UNWRITABLE + ".json"), "cannot write")
        self.assertOneLineError(run("footprint", "--out", UNWRITABLE + ".md"), "cannot write")
        with tempfile.NamedTemporaryFile(suffix=".json") as results:
            self.assertOneLineError(run("report", "--out", UNWRITABLE, results.name),
                                    "cannot create")

    def test_a_flag_without_its_value_is_named(self) -> None:
        for script, flag in (("bench", "--out"), ("fuzz", "--seconds"), ("test", "--labels"),
                             ("test", "-j")):
            with self.subTest(script=script, flag=flag):
                self.assertOneLineError(run(script, flag), script, f"{flag} needs a value")

    def test_bad_values_fail_before_any_build(self) -> None:
        for script, *args in (("bench", "--repetitions", "0"), ("bench", "--arch", "bogus"),
                              ("fuzz", "--seconds", "0"), ("fuzz", "--fork", "x"),
                              ("fuzz", "--targets", "bogus"),
                              ("test", "--flavours", "bogus"), ("test", "-j", "0"),
                              ("test", "--arches", "bogus"), ("test", "--mcus", "bogus")):
            with self.subTest(script=script, args=args):
                self.assertOneLineError(run(script, *args), script, args[-1])

    def test_help_names_every_flag_the_argument_loop_takes(self) -> None:
        scripts = bash_entry_points()
        self.assertIn("bench", scripts)
        for script in scripts:
            with self.subTest(script=script):
                flags = loop_flags(script)
                done = subprocess.run([os.path.join(SCRIPTS, script), "--help"],
                                      capture_output=True, text=True, timeout=60)
                self.assertEqual(done.returncode, 0, done.stderr)
                self.assertEqual([f for f in flags if f not in done.stdout], [], done.stdout)

    def test_unknown_backend_is_named_with_the_available_ones(self) -> None:
        self.assertOneLineError(run("bench", "--backends", "no-such-tls-1.0"),
                                "unknown backend 'no-such-tls-1.0'", "available:")



def progress(script: str, log_dir: str, *, verbose: bool = False) -> tuple[int, str]:
    """Runs a bash snippet with scripts/lib/common.sh sourced, stderr not a terminal: (exit
    status, stderr)."""
    env = {**os.environ, "MTLS_LOG_DIR": log_dir, "MTLS_VERBOSE": "1" if verbose else "",
           "MTLS_LOG_TAIL": "60"}  # the default, whatever runs the tests (scripts/test: more)
    done = subprocess.run(["bash", "-c", f"set -euo pipefail; source {SCRIPTS}/lib/common.sh; "
                           + script], capture_output=True, text=True, timeout=60, env=env)
    return done.returncode, done.stderr


class ProgressTest(unittest.TestCase):
    def setUp(self) -> None:
        self.logs = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.logs)

    def test_plain_lines_per_unit_and_phase_with_an_eta_once_a_unit_is_done(self) -> None:
        status, err = progress(textwrap.dedent(f"""
            mtls_progress_start 3
            for id in a b c; do
              mtls_progress_unit "$id"
              mtls_phase {self.logs}/$id-build.log building sh -c "echo raw-$id; sleep 1"
              mtls_phase {self.logs}/$id-bench.log benchmarking true
              mtls_progress_done
            done
            mtls_progress_stop"""), self.logs)
        self.assertEqual(status, 0, err)
        lines = err.splitlines()
        self.assertEqual(len(lines), 6, err)
        # Elapsed times are the machine's: a loaded one may take a second before the first line.
        self.assertRegex(lines[0], r"^\[1/3\] a: building \(0:0\d elapsed\)$")
        self.assertRegex(lines[1], r"^\[1/3\] a: benchmarking \(0:0\d elapsed\)$")
        self.assertRegex(lines[2], r"^\[2/3\] b: building \(0:0\d elapsed, ETA (<1|~1) min\)$")
        self.assertNotIn("raw-", err)  # the tool's output is in the logs only
        with open(os.path.join(self.logs, "b-build.log")) as log:
            self.assertEqual(log.read(), "raw-b\n")

    def test_the_eta_is_the_mean_finished_unit_times_the_units_left(self) -> None:
        # 2 units done in 240 s: 8 left × 120 s, less the 30 s the third has run.
        status, err = progress(textwrap.dedent("""
            mtls_progress_start 10
            printf -v now '%(%s)T' -1
            MTLS_PROGRESS_N=3 MTLS_PROGRESS_FINISHED=2 MTLS_PROGRESS_FINISHED_S=240
            MTLS_PROGRESS_UNIT_START=$((now - 30))
            echo "$(mtls_progress_left) $(mtls_about "$(mtls_progress_left)")" >&2
            echo "$(mtls_about 59) $(mtls_about 89) $(mtls_about 3900) $(mtls_clock 3723)" >&2"""),
            self.logs)
        self.assertEqual(status, 0, err)
        left, about, *rest = err.split()
        self.assertIn(int(left), (929, 930))
        self.assertEqual(about, "~16")  # 15.5 min, rounded
        self.assertEqual(" ".join(rest), "min <1 min ~1 min ~1 h 05 min 1:02:03")

    def test_a_failing_phase_prints_the_end_of_its_log_and_returns_its_status(self) -> None:
        status, err = progress(textwrap.dedent(f"""
            mtls_progress_start 1
            mtls_progress_unit x
            mtls_phase {self.logs}/x.log building sh -c 'seq 1 100; exit 3' || echo "status $?" >&2
            mtls_phase {self.logs}/y.log configuring mtls_die "no compiler" || echo "status $?" >&2
            echo still running >&2"""), self.logs)
        self.assertEqual(status, 0, err)
        self.assertIn("[1/1] x: building FAILED (exit status 3", err)
        self.assertIn("status 3", err)
        lines = err.splitlines()
        self.assertIn("  | 100", lines)
        self.assertIn("  | 41", lines)  # the last 60 lines
        self.assertNotIn("  | 40", lines)
        self.assertIn(f"log: {self.logs}/x.log", err)
        # mtls_die ends only the phase: its message is in the log's lines, the script goes on.
        self.assertIn("  | bash: no compiler", lines)
        self.assertIn("status 2", err)
        self.assertEqual(lines[-1], "still running")

    def test_verbose_streams_the_raw_output_and_still_logs_it(self) -> None:
        status, err = progress(f"mtls_phase {self.logs}/v.log building echo raw-output",
                               self.logs, verbose=True)
        self.assertEqual(status, 0, err)
        self.assertEqual(err.splitlines(), [f"building (log: {self.logs}/v.log)", "raw-output"])
        with open(os.path.join(self.logs, "v.log")) as log:
            self.assertEqual(log.read(), "raw-output\n")

    @unittest.skipUnless(shutil.which("script"), "needs script(1) (bsdutils) for a terminal")
    def test_a_terminal_gets_a_bar_redrawn_in_place_and_one_line_per_unit(self) -> None:
        snippet = textwrap.dedent(f"""
            set -euo pipefail; source {SCRIPTS}/lib/common.sh
            mtls_progress_start 2
            for id in a b; do
              mtls_progress_unit "$id"
              mtls_phase {self.logs}/$id.log building sh -c "echo compiling-$id; sleep 1.5"
              mtls_progress_done
            done""")
        path = os.path.join(self.logs, "snippet.sh")
        with open(path, "w") as f:
            f.write(snippet)
        done = subprocess.run(["script", "-qec", f"bash {path}", "/dev/null"],
                              capture_output=True, timeout=60,
                              env={**os.environ, "TERM": "xterm", "MTLS_VERBOSE": ""})
        screen = done.stdout.decode()  # bytes: text mode would turn each \r into a newline
        self.assertEqual(done.returncode, 0, screen)
        self.assertIn("\r\x1b[K[1/2] [--------------------] a: building 0:0", screen)
        self.assertIn("| compiling-a", screen)  # the log's newest line
        self.assertIn("[2/2] [##########----------] b: building", screen)
        # What stays on the screen: one line per unit with its phases' times, no plain lines.
        kept = [line.split("\x1b[K")[-1] for line in screen.replace("\r\n", "\n").split("\n")]
        self.assertRegex(kept[0], r"^\[1/2\] a: building 0:0[12]$")
        self.assertNotIn("elapsed", screen)

    def test_ctest_counts_failures_and_their_output_from_a_real_ctest_log(self) -> None:
        project = os.path.join(self.logs, "project")
        os.mkdir(project)
        with open(os.path.join(project, "CMakeLists.txt"), "w") as f:
            f.write(textwrap.dedent("""
                cmake_minimum_required(VERSION 3.25)
                project(progress_test LANGUAGES NONE)
                enable_testing()
                add_test(NAME good COMMAND sh -c "echo good-output")
                add_test(NAME bad.one COMMAND sh -c "echo bad-stdout; echo bad-stderr >&2; exit 3")
                add_test(NAME skipped COMMAND sh -c "exit 77")
                set_tests_properties(skipped PROPERTIES SKIP_RETURN_CODE 77)
                add_test(NAME bad.two COMMAND sh -c "seq 1 5; exit 1")
                """))
        tree = os.path.join(self.logs, "tree")
        subprocess.run(["cmake", "-S", project, "-B", tree], check=True, capture_output=True)
        log = os.path.join(self.logs, "ctest.log")
        with open(log, "w") as out:
            ctest = subprocess.run(["ctest", "--test-dir", tree, "-j", "2", "--output-on-failure"],
                                   stdout=out, stderr=subprocess.STDOUT)
        self.assertNotEqual(ctest.returncode, 0)
        status, err = progress(textwrap.dedent(f"""
            mtls_ctest_counts {log} >&2
            mtls_ctest_failed {log} >&2
            echo ---- >&2
            mtls_ctest_output {log} bad.one >&2"""), self.logs)
        self.assertEqual(status, 0, err)
        counts, *rest = err.splitlines()
        self.assertEqual(counts, "2 passed (1 skipped: skipped), 2 failed")
        failed, output = rest[:rest.index("----")], rest[rest.index("----") + 1:]
        self.assertEqual(failed, ["bad.one", "bad.two"])
        self.assertRegex(output[0], r"Test +#2: bad\.one \.+\*\*\*Failed")
        self.assertIn("bad-stdout", output)
        self.assertIn("bad-stderr", output)
        self.assertNotIn("good-output", err)
        self.assertFalse(any(line in ("1", "5") for line in output), output)  # bad.two's



class FuzzRunnerTest(unittest.TestCase):
    """scripts/fuzz's helper: a run's line, and the summary's table, problems and exit status."""

    RUNNER = os.path.join(SCRIPTS, "lib", "fuzz_runner.py")

    def result(self, target: str, problems: list[str]) -> dict[str, object]:
        return {"build": "mbedtls-3.6", "target": target, "instrumented": True, "seconds": 2,
                "exec_per_s": 1234.0, "cov": 567, "ft": 890, "units": 10, "corpus": 12,
                "problems": problems}

    def test_the_summary_repeats_every_problem_and_fails_on_one(self) -> None:
        crash = "CRASH: reproduce with: ASAN_OPTIONS=x build/fuzz/x509_der_fuzzer crash-1.min"
        with tempfile.TemporaryDirectory() as out:
            paths = []
            runs: list[tuple[str, list[str]]] = [("x509_der", [crash]), ("pem_loader", [])]
            for target, problems in runs:
                paths.append(os.path.join(out, f"{target}.json"))
                with open(paths[-1], "w") as f:
                    json.dump(self.result(target, problems), f)
            done = subprocess.run([PYTHON, self.RUNNER, "summary", "--out", out, *paths],
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(done.returncode, 1, done.stderr)
            self.assertIn(f"  mbedtls-3.6 x509_der: {crash}", done.stderr.splitlines())
            self.assertIn("2 runs, 1 with a problem", done.stderr)
            with open(os.path.join(out, "summary.txt")) as f:
                rows = f.read().splitlines()
            self.assertEqual(len(rows), 3)
            self.assertTrue(rows[2].startswith("mbedtls-3.6    pem_loader"), rows)
            self.assertTrue(rows[2].endswith("  ok"), rows)
            os.remove(paths[0])
            done = subprocess.run([PYTHON, self.RUNNER, "summary", "--out", out, paths[1]],
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(done.returncode, 0, done.stderr)

    def test_a_runs_line_puts_each_problem_on_a_line_of_its_own(self) -> None:
        sys.path.insert(0, os.path.dirname(self.RUNNER))
        import fuzz_runner
        self.assertEqual(fuzz_runner.run_line(self.result("x509_der", [])),
                         "1,234 exec/s, cov 567, ft 890, corpus 12: ok")
        lines = fuzz_runner.run_line(self.result("x509_der", ["a", "b"])).splitlines()
        self.assertEqual(lines[1:], ["  a", "  b"])
        self.assertTrue(lines[0].endswith(": 2 problem(s)"), lines)

    def test_a_findings_report_is_printed_from_the_log(self) -> None:
        sys.path.insert(0, os.path.dirname(self.RUNNER))
        import fuzz_runner
        log = ("INFO: Seed: 1\n#2 INITED cov: 5\n==7==ERROR: AddressSanitizer: heap-use-after-free"
               "\n    #0 0x1 in f\nSUMMARY: AddressSanitizer: heap-use-after-free\n"
               "MS: 1 CopyPart-\nBase64: QUJD\nstat::number_of_executed_units: 9\n")
        report = fuzz_runner.crash_report(log)
        self.assertEqual(report[0], "==7==ERROR: AddressSanitizer: heap-use-after-free")
        self.assertEqual(report[-1], "Base64: QUJD")
        lines = fuzz_runner.run_line({**self.result("x509_der", ["CRASH: x"]), "report": report})
        self.assertIn("  | SUMMARY: AddressSanitizer: heap-use-after-free", lines.splitlines())
        self.assertEqual(fuzz_runner.crash_report("a\nb\nc", most=2), ["b", "c"])


if __name__ == "__main__":
    unittest.main()
