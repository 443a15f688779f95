#!/usr/bin/python3
"""Tests of report_compression.py on synthetic results: each compressed handshake is paired with
the uncompressed case of the same fields (never by name, never a near miss), the savings are the
twin's figures less the compressed ones, and runs without compression leave the section out."""
from __future__ import annotations

import os
import tempfile
import unittest
from typing import Any, Optional

from report_compression import compression_section
from report_doc import Table
from results import Run, write_json
from results_fixture import HANDSHAKE, results

CONTEXT: dict[str, Any] = {"backend_id": "openssl-3.5", "arch": "x86_64", "num_cpus": 2,
                           "load_avg": [0.5]}
PLAIN = {"bytes_c2s": 900.0, "bytes_s2c": 1800.0, "client_cpu_us": 400.0, "server_cpu_us": 350.0,
         "tta_ms_nb-iot": 940.0, "tta_ms_lte-m": 110.0, "tta_ms_6lowpan": 160.0}
# A depth-3 chain: its bytes differ from depth 1's, so a twin taken from the wrong depth shows.
PLAIN_D3 = {**PLAIN, "bytes_c2s": 1900.0, "bytes_s2c": 2800.0, "tta_ms_nb-iot": 1200.0}
ZLIB_D3 = {"bytes_c2s": 1500.0, "bytes_s2c": 2000.0, "client_cpu_us": 440.0,
           "server_cpu_us": 385.0, "tta_ms_nb-iot": 1100.0, "tta_ms_lte-m": 105.0,
           "tta_ms_6lowpan": 140.0}
Rows = list[tuple[str, dict[str, Any], dict[str, Any]]]


def case(name: str, **fields: Any) -> tuple[str, dict[str, Any]]:
    return name, {**HANDSHAKE, "cert_compression": "none", **fields}


class CompressionTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def run_of(self, rows: Rows, context: dict[str, Any] = CONTEXT,
               errors: Optional[dict[str, tuple[dict[str, Any], str]]] = None) -> Run:
        data = results(context, rows)
        for name, (fields, message) in (errors or {}).items():
            data["benchmarks"].append({"name": name, "run_name": name, "run_type": "iteration",
                                       "error_occurred": True, "error_message": message})
            data["description"]["cases"][name] = fields
        path = os.path.join(self.dir.name, f"{context['backend_id']}.json")
        write_json(path, data)
        return Run(path)

    def table(self, runs: list[Run]) -> Table:
        tables = [b for b in compression_section(runs).blocks if isinstance(b, Table)]
        self.assertEqual(len(tables), 1)
        return tables[0]

    def first_row(self, runs: list[Run]) -> dict[str, str]:
        table = self.table(runs)
        return dict(zip(table.header, table.rows[0]))

    def test_each_compressed_case_sits_beside_its_uncompressed_twin(self) -> None:
        # Names are opaque; near misses (another group, server-auth) come first in the file.
        run = self.run_of([
            (*case("a", group="P-256"), {**PLAIN, "bytes_s2c": 5.0}),
            (*case("b", auth="server-auth", depth=3), {**PLAIN, "bytes_s2c": 6.0}),
            (*case("c", depth=3), PLAIN_D3),
            (*case("d"), PLAIN),
            (*case("e", depth=3, cert_compression="zlib"), ZLIB_D3),
            (*case("f", cert_compression="zstd"), {**PLAIN, "bytes_s2c": 1700.0}),
        ])
        rows = self.table([run]).rows
        self.assertEqual([r[1:5] for r in rows], [
            ["ecdsa-p256 depth 3", "zlib", "1,900 → 1,500", "2,800 → 2,000"],
            ["ecdsa-p256 depth 1", "zstd", "900 → 900", "1,800 → 1,700"]])

    def test_savings_are_the_twin_less_the_compressed_figures(self) -> None:
        run = self.run_of([(*case("plain", depth=3), PLAIN_D3),
                           (*case("zlib", depth=3, cert_compression="zlib"), ZLIB_D3)])
        row = self.first_row([run])
        self.assertEqual(row["bytes saved (share)"], "1,200 (25.5%)")  # of 4,700 bytes
        self.assertEqual(row["client µs"], "400 → 440 (1.10×)")
        self.assertEqual(row["server µs"], "350 → 385 (1.10×)")
        self.assertEqual([row["NB-IoT ms saved"], row["LTE-M ms saved"], row["6LoWPAN ms saved"]],
                         ["100.0", "5.0", "20.0"])

    def test_growth_shows_as_negative_savings(self) -> None:
        run = self.run_of([(*case("plain"), PLAIN),
                           (*case("brotli", cert_compression="brotli"),
                            {**PLAIN, "bytes_c2s": 927.0, "tta_ms_nb-iot": 944.0})])
        row = self.first_row([run])
        self.assertEqual(row["bytes saved (share)"], "-27 (-1.0%)")
        self.assertEqual(row["NB-IoT ms saved"], "-4.0")

    def test_emulated_runs_compare_instructions(self) -> None:
        emulated = {**CONTEXT, "emulated_cpu": "cortex-a7", "arch": "armhf"}
        insn = {"client_instructions": 8e6, "server_instructions": 6e6}
        run = self.run_of([(*case("plain"), {**PLAIN, **insn}),
                           (*case("zlib", cert_compression="zlib"),
                            {**PLAIN, "client_instructions": 8.4e6,
                             "server_instructions": 6e6})], emulated)
        table = self.table([run])
        self.assertEqual(table.header[6:8], ["client M insn", "server M insn"])
        self.assertEqual(table.rows[0][6:8], ["8.00 → 8.40 (1.05×)", "6.00 → 6.00 (1.00×)"])

    def test_a_host_run_with_counts_compares_them_whatever_the_load(self) -> None:
        insn = {"client_instructions": 4.3e6, "server_instructions": 4.24e6}
        run = self.run_of([(*case("plain"), {**PLAIN, **insn}),
                           (*case("brotli", cert_compression="brotli"),
                            {**PLAIN, "client_instructions": 24.8e6,
                             "server_instructions": 4.3e6})],
                          {**CONTEXT, "load_avg": [3.4, 3.0, 2.9]})
        table = self.table([run])
        self.assertEqual(table.rows[0][6:8], ["4.30 → 24.80 (5.77×)", "4.24 → 4.30 (1.01×)"])
        self.assertFalse([b for b in compression_section([run]).blocks if isinstance(b, str)])

    def test_no_section_without_compressed_figures(self) -> None:
        plain_only = self.run_of([(*case("plain"), PLAIN)])
        self.assertTrue(compression_section([plain_only]).empty())
        no_twin = self.run_of([(*case("zlib", cert_compression="zlib"), PLAIN)])
        self.assertTrue(compression_section([no_twin]).empty())

    def test_builds_without_compression_get_one_line(self) -> None:
        with_it = self.run_of([(*case("plain"), PLAIN),
                               (*case("zlib", cert_compression="zlib"), PLAIN)])
        errors = {"zlib": ({**HANDSHAKE, "cert_compression": "zlib"},
                           "unsupported: cert-compression:zlib: from 3.2 on")}
        refused = self.run_of([(*case("plain"), PLAIN)], {**CONTEXT, "backend_id": "openssl-3.0"},
                              errors)
        silent = self.run_of([(*case("plain"), PLAIN)], {**CONTEXT, "backend_id": "mbedtls-3.6"})
        texts = [b for b in compression_section([with_it, refused, silent]).blocks
                 if isinstance(b, str)]
        self.assertEqual(texts, [
            "Without certificate compression: openssl-3.0 x86_64 (unsupported:"
            " cert-compression:zlib: from 3.2 on), mbedtls-3.6 x86_64 (no compressed cases)."])

    def test_a_loaded_machine_is_named(self) -> None:
        run = self.run_of([(*case("plain"), PLAIN),
                           (*case("zlib", cert_compression="zlib"), PLAIN)],
                          {**CONTEXT, "load_avg": [10.7, 9.7, 9.3]})
        texts = [b for b in compression_section([run]).blocks if isinstance(b, str)]
        self.assertEqual(len(texts), 1)
        self.assertIn("openssl-3.5 x86_64 (load 10.7 on 2 CPUs)", texts[0])


if __name__ == "__main__":
    unittest.main()
