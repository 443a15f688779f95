#!/usr/bin/python3
"""The README's and docs' generated figures agree with the committed results, and a changed
number is caught."""
from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import readme_figures  # noqa: E402
import results  # noqa: E402
import results_fixture  # noqa: E402

REPO = readme_figures.REPO


class ReadmeFiguresTest(unittest.TestCase):
    def test_committed_documents_agree_with_committed_results(self) -> None:
        self.assertEqual(readme_figures.process(REPO, write=False), [])

    def test_readme_has_the_headline_block(self) -> None:
        names = [name for name, _, _ in
                 readme_figures.blocks_in((REPO / "README.md").read_text(encoding="utf-8"))]
        self.assertIn("headline", names)

    def test_every_block_in_the_documents_is_known(self) -> None:
        for path in readme_figures.documents(REPO):
            for name, _, _ in readme_figures.blocks_in(path.read_text(encoding="utf-8")):
                self.assertIn(name, readme_figures.BLOCKS, f"{path}: {name}")

    def test_a_changed_number_is_named(self) -> None:
        generated = readme_figures.headline(REPO)
        row = next(i for i, line in enumerate(generated) if line.startswith("| openssl-3.0 |"))
        cells = readme_figures.cells(generated[row])
        changed = list(generated)
        changed[row] = generated[row].replace(f"| {cells[2]} |", "| 1 |", 1)
        found = readme_figures.differences("README.md [headline]", changed, generated)
        self.assertEqual(len(found), 1, found)
        self.assertIn("openssl-3.0, pairs/s: 1 where the results give " + cells[2], found[0])

    def test_check_fails_on_a_changed_copy_and_write_repairs_it(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "results").symlink_to(REPO / "results")
            (root / "bench").symlink_to(REPO / "bench")  # the device profiles
            text = (REPO / "README.md").read_text(encoding="utf-8")
            row = next(l for l in text.split("\n") if l.startswith("| openssl-3.5 |"))
            (root / "README.md").write_text(text.replace(row, row.replace(" 3 |", " 4 |", 1)),
                                            encoding="utf-8")
            found = readme_figures.process(root, write=False)
            self.assertEqual(len(found), 1, found)
            self.assertIn("openssl-3.5, flights: 4 where the results give 3", found[0])
            with contextlib.redirect_stderr(io.StringIO()) as stderr:
                self.assertEqual(readme_figures.main(["--root", tmp, "--check"]), 1)
            self.assertIn("flights: 4", stderr.getvalue())
            readme_figures.process(root, write=True)
            self.assertEqual((root / "README.md").read_text(encoding="utf-8"), text)
            self.assertEqual(readme_figures.main(["--root", tmp, "--check"]), 0)

    def test_a_missing_row_and_an_unknown_block_are_reported(self) -> None:
        generated = readme_figures.headline(REPO)
        without = [l for l in generated if not l.startswith("| mbedtls-2.28 |")]
        found = readme_figures.differences("x", without, generated)
        self.assertEqual(found, ["x: row 'mbedtls-2.28' is missing"])
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "README.md").write_text("<!-- figures:nope -->\n<!-- /figures -->\n",
                                              encoding="utf-8")
            found = readme_figures.process(Path(tmp), write=False)
            self.assertEqual(len(found), 1)
            self.assertIn("no such figure block", found[0])

    def test_devices_has_every_example_device_and_build_on_every_link(self) -> None:
        header, rows = readme_figures.table_rows(readme_figures.devices(REPO))
        self.assertEqual(header[4:7], [f"{link}: network / total ms (CPU share)"
                                       for link in ("nb-iot", "lte-m", "6lowpan")])
        counts = {cpu: sum(key.startswith(cpu + ":") for key in rows)
                  for cpu in ("Cortex-M4 at 64 MHz", "Cortex-A7 at 1 GHz", "Cortex-A53 at 1.2 GHz")}
        self.assertEqual(counts, {"Cortex-M4 at 64 MHz": 4, "Cortex-A7 at 1 GHz": 9,
                                  "Cortex-A53 at 1.2 GHz": 9})
        self.assertTrue(all("–" not in cell for row in rows.values() for cell in row))
        m4 = rows["Cortex-M4 at 64 MHz: wolfssl-5.7-cortex-m-asm"]
        self.assertEqual(m4[-1], "wolfssl-5.7")  # the firmware's server and link: the host build
        path = REPO / readme_figures.MCU_RUN / "wolfssl-5.7-cortex-m-asm-cortex-m4.json"
        row = next(r for r in json.loads(path.read_text(encoding="utf-8"))["benchmarks"]
                   if r["run_name"] == results.case_name(results.Run(str(path)).description or {},
                                                         **results.HEADLINE))
        self.assertEqual(m4[2], f"{row['client_instructions'] / 64e6 * 1000:,.0f}")  # CPI 1
        summary = readme_figures.table_rows(readme_figures.devices_summary(REPO))[1]
        self.assertEqual(list(summary), list(counts))

    def test_scaling_uses_the_highest_thread_count_every_build_ran(self) -> None:
        # a: 1-16 threads; b: 1-8; c: no one-thread run of its context-per-connection case.
        ran = {"a": {"shared-ctx": [1, 2, 4, 16], "ctx-per-conn": [1, 2, 4, 16]},
               "b": {"shared-ctx": [1, 2, 4, 8], "ctx-per-conn": [1, 2, 4, 8]},
               "c": {"shared-ctx": [1, 4, 16], "ctx-per-conn": [4, 16]}}
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp, readme_figures.SCALING_RUN)
            folder.mkdir(parents=True)
            for build, contexts in ran.items():
                written: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
                for context, counts in contexts.items():
                    fields: dict[str, Any] = {**results_fixture.HANDSHAKE, "suite": "threads",
                                              "contexts": context}
                    written += [(f"threads/{context}/real_time/threads:{t}", fields,
                                 {"threads": t, "items_per_second": 100.0 * t}) for t in counts]
                data = results_fixture.results({"backend_id": build}, written)
                (folder / f"{build}.json").write_text(json.dumps(data), encoding="utf-8")
            header, rows = readme_figures.table_rows(readme_figures.scaling(Path(tmp)))
        self.assertEqual(header[3], "4 threads")
        self.assertEqual(rows["a"], ["a", "1.3", "100", "400", "1.00", "100", "400", "1.00"])
        self.assertEqual(rows["b"], ["b", "1.3", "100", "400", "1.00", "100", "400", "1.00"])
        self.assertEqual(rows["c"], ["c", "1.3", "100", "400", "1.00", "–", "400", "–"])


if __name__ == "__main__":
    unittest.main()
