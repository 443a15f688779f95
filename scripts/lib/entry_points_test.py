"""Bad input to the entry-point scripts: exit status 2 and one line naming what is wrong, found
before any build or long run starts."""
import os
import subprocess
import tempfile
import unittest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
UNWRITABLE = "/proc/mtls-no-such-dir/out"


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

    def test_unknown_backend_is_named_with_the_available_ones(self) -> None:
        self.assertOneLineError(run("bench", "--backends", "no-such-tls-1.0"),
                                "unknown backend 'no-such-tls-1.0'", "available:")


if __name__ == "__main__":
    unittest.main()
