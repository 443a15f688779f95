#!/usr/bin/python3
"""Tests of layers.py: the real tree passes; a planted upward include, or one from an adapter
into another, fails, naming file:line."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import layers  # noqa: E402

SCRIPT = Path(__file__).resolve().parent / "layers.py"
REPO = Path(__file__).resolve().parents[2]


def run_script(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/usr/bin/python3", str(SCRIPT), "--root", str(root)],
                          capture_output=True, text=True, timeout=120)


def write(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")


def run_on_planted_copy(path: str, include: str) -> subprocess.CompletedProcess[str]:
    """The script over a copy of the tree's sources with `include` planted as line 2 of `path`."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        for source in layers.source_files(REPO):
            (copy / source).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / source, copy / source)
        planted = copy / path
        lines = planted.read_text(encoding="utf-8").splitlines()
        lines.insert(1, include)
        planted.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return run_script(copy)


class RealTreeTest(unittest.TestCase):
    def test_the_tree_passes(self) -> None:
        self.assertEqual([str(f) for f in layers.check(REPO)], [])
        done = run_script(REPO)
        self.assertEqual(done.returncode, 0, done.stderr)

    def assertPlantedIncludeFails(self, path: str, include: str, finding: str) -> None:
        done = run_on_planted_copy(path, include)
        self.assertEqual(done.returncode, 1)
        self.assertEqual(done.stderr.splitlines(), [finding])

    def test_a_planted_upward_include_fails_naming_its_line(self) -> None:
        self.assertPlantedIncludeFails(
            "core/src/config.cc", '#include "driver/side_under_test.h"',
            "core/src/config.cc:2: core includes fuzz/driver/side_under_test.h: fuzz, "
            "a higher layer")

    def test_a_planted_include_between_two_adapters_fails(self) -> None:
        self.assertPlantedIncludeFails(
            "core/backends/gnutls/gnutls_psk.cc", '#include "openssl_psk.h"',
            "core/backends/gnutls/gnutls_psk.cc:2: backends/gnutls includes "
            "core/backends/openssl/openssl_psk.h: backends/openssl, a sibling component")


class FixtureTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        write(self.root, "core/include/mtls/config.h", '#include "absl/status/status.h"\n')
        write(self.root, "core/src/config.cc", '#include "mtls/config.h"\n#include <vector>\n')
        write(self.root, "peers/attacker/wire.h", '#include "mtls/config.h"\n')
        write(self.root, "conformance/run_case.cc",
              '#include "attacker/wire.h"\n#include "cases.h"\n')
        write(self.root, "conformance/cases.h", "")
        write(self.root, "build/x/generated.cc", '#include "bench/main.h"\n')  # not the tree's

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def findings(self) -> list[str]:
        return [str(f) for f in layers.check(self.root, allowed={})]

    def test_downward_and_outside_includes_pass(self) -> None:
        self.assertEqual(self.findings(), [])

    def test_upward_include_is_named(self) -> None:
        write(self.root, "peers/attacker/wire.cc", '// why\n#include "cases.h"\n')
        self.assertEqual(self.findings(), [
            "peers/attacker/wire.cc:2: peers includes conformance/cases.h: conformance, "
            "a higher layer"])

    def test_sibling_include_is_named(self) -> None:
        write(self.root, "tools/cli.h", "")
        write(self.root, "bench/count_main.cc", '#include "cli.h"\n')
        self.assertEqual(self.findings(), [
            "bench/count_main.cc:1: bench includes tools/cli.h: tools, a sibling component"])

    def test_adapters_are_siblings_even_through_a_relative_path(self) -> None:
        write(self.root, "core/backends/openssl/openssl_util.h", '#include "mtls/config.h"\n')
        write(self.root, "core/backends/openssl/openssl_backend.cc", '#include "openssl_util.h"\n')
        self.assertEqual(self.findings(), [])
        write(self.root, "core/backends/gnutls/gnutls_backend.cc",
              '#include "../openssl/openssl_util.h"\n')
        self.assertEqual(self.findings(), [
            "core/backends/gnutls/gnutls_backend.cc:1: backends/gnutls includes "
            "core/backends/openssl/openssl_util.h: backends/openssl, a sibling component"])

    def test_allowed_include_passes_and_a_stale_allowance_fails(self) -> None:
        write(self.root, "bench/link_model.h", "")
        write(self.root, "fuzz/link_profile_fuzzer.cc", '#include "link_model.h"\n')
        allowed = {("fuzz/link_profile_fuzzer.cc", "bench/link_model.h"): "why"}
        self.assertEqual(layers.check(self.root, allowed=allowed), [])
        write(self.root, "fuzz/link_profile_fuzzer.cc", "")
        self.assertEqual([str(f) for f in layers.check(self.root, allowed=allowed)], [
            "fuzz/link_profile_fuzzer.cc:1: no longer includes bench/link_model.h: remove its "
            "entry from ALLOWED in scripts/lib/layers.py"])

    def test_ambiguous_include_and_unassigned_folder_fail(self) -> None:
        write(self.root, "tools/util.h", "")
        write(self.root, "bench/util.h", "")
        write(self.root, "core/src/util_user.cc", '#include "util.h"\n')
        write(self.root, "extras/probe.c", "")
        self.assertEqual(self.findings(), [
            'core/src/util_user.cc:1: "util.h" is ambiguous: bench/util.h, tools/util.h',
            "extras/probe.c:1: in no layer: add its folder to LAYERS in scripts/lib/layers.py"])


if __name__ == "__main__":
    unittest.main()
