"""Bad input to the entry-point scripts: exit status 2 and one line naming what is wrong, found
before any build or long run starts; --help names every flag a script's argument loop takes."""
import os
import re
import subprocess
import tempfile
import unittest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
UNWRITABLE = "/proc/mtls-no-such-dir/out"
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
                              ("test", "--flavours", "bogus"), ("test", "-j", "0")):
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


if __name__ == "__main__":
    unittest.main()
