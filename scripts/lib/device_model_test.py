#!/usr/bin/python3
"""device_model: an estimate recomputed by hand from the committed JSON, a measured time only from
the profile's own board, the slow-downs of the host's context, linear stacked bars with unique
chart names, every bad profile file named in one line (exit 2 from the command)."""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import unittest
from typing import Any, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import device_model  # noqa: E402
import results_fixture  # noqa: E402
from device_model import DeviceProfileError, load_profiles  # noqa: E402
from report_doc import Chart, Report, Table, write_markdown  # noqa: E402
from results import REPO, Run, load_runs  # noqa: E402

HOST = os.path.join(REPO, "results", "x86_64-2026-12-04")
M4 = os.path.join(REPO, "results", "cortex-m4-2026-11-26")
ARMHF = os.path.join(REPO, "results", "armhf-2026-11-26")
AARCH64 = os.path.join(REPO, "results", "aarch64-2026-11-26")
CASE = "handshake/mtls/ecdsa-p256/d1/TLSv1.3/X25519/full/shared-ctx"
GOOD: dict[str, Any] = {"name": "m4", "cpu": "Cortex-M4 at 64 MHz", "arch": "cortex-m4",
                        "clock_hz": 64e6, "cpi": 1, "cpi_source": "assumed: 1 is the lower bound",
                        "link": "nb-iot"}
BOARD = "Neoverse-N1 (AWS Graviton2, 2.5 GHz)"  # the context "cpu" of a real, non-emulated run


def committed_runs(*folders: str) -> list[Run]:
    return load_runs(device_model.result_files(list(folders)))[0]


def rows_of(path: str, case: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [r for r in json.load(f)["benchmarks"]
                if r["run_name"] == case and r.get("run_type") == "iteration"]


class Files:
    """Profile files written for a test, in a temporary folder."""

    def __init__(self, tmp: str) -> None:
        self.tmp = tmp
        self.written = 0

    def write(self, name: str, data: Any) -> str:
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(data if isinstance(data, str) else json.dumps(data))
        return path

    def profiles(self, *entries: Any) -> str:
        self.written += 1
        return self.write(f"profiles-{self.written}.json", {"profiles": list(entries)})


class CommittedResultsTest(unittest.TestCase):
    def test_a_cortex_m4_estimate_recomputed_from_the_json(self) -> None:
        profile = load_profiles(names=["cortex-m4-64mhz-nb-iot"])[0]
        device_path = os.path.join(M4, "wolfssl-5.7-cortex-m-asm-cortex-m4.json")
        host_path = os.path.join(HOST, "wolfssl-5.7-x86_64.json")
        found, _ = device_model.estimates(committed_runs(device_path, host_path), profile)
        estimate = next(e for e in found if e.fields["scheme"] == "ecdsa-p256")

        instructions = rows_of(device_path, CASE)[0]["client_instructions"]
        host_rows = rows_of(host_path, CASE)
        self.assertEqual(len(host_rows), 9)  # the repetitions, each its own network share
        server_ms = statistics.mean(r["server_cpu_us"] for r in host_rows) / 1000
        network = statistics.mean(r["tta_ms_nb-iot"] - (r["client_cpu_us"] + r["server_cpu_us"])
                                  / 1000 for r in host_rows)
        self.assertEqual(estimate.device_case, CASE)
        self.assertEqual(estimate.host.path, host_path)
        self.assertEqual(estimate.source, device_model.MODEL)
        self.assertAlmostEqual(estimate.device_cpu_ms, instructions / 64e6 * 1000, places=9)
        self.assertAlmostEqual(estimate.server_cpu_ms, server_ms, places=9)
        self.assertAlmostEqual(estimate.network_ms, network, places=9)
        self.assertAlmostEqual(estimate.total_ms, instructions / 64e3 + server_ms + network,
                               places=9)
        self.assertAlmostEqual(estimate.cpu_share, (instructions / 64e3 + server_ms)
                               / estimate.total_ms, places=12)
        # NB-IoT frames nothing: the share is flights × RTT/2 + bytes × 8 / bandwidth, with the
        # link figures of bench/link_profiles.json (the bytes are means: allow 2 bytes).
        link = profile.link
        wire = statistics.mean(r["bytes_c2s"] + r["bytes_s2c"] for r in host_rows)
        flights = host_rows[0]["flights"]
        self.assertAlmostEqual(network, flights * link.rtt_ms / 2
                               + wire * 8 / link.bandwidth_bps * 1000,
                               delta=2 * 8 / link.bandwidth_bps * 1000)

    def test_the_firmware_takes_the_group_the_host_has(self) -> None:
        profile = load_profiles(names=["cortex-m4-64mhz-lte-m"])[0]
        found, notes = device_model.estimates(committed_runs(M4, HOST), profile)
        by_build = {e.build: e for e in found}
        self.assertEqual(sorted(by_build), ["mbedtls-3.6-default-no-os", "mbedtls-3.6-tls13-p256",
                                            "wolfssl-5.7-cortex-m-asm", "wolfssl-5.7-portable-c"])
        minimal = by_build["mbedtls-3.6-tls13-p256"]  # has P-256 only
        self.assertEqual(minimal.fields["group"], "P-256")
        self.assertEqual(minimal.host.backend, "mbedtls-3.6")
        self.assertEqual(minimal.host.fields[minimal.host_case]["group"], "P-256")
        self.assertEqual(minimal.tls(), "1.3, P-256")
        self.assertEqual(by_build["mbedtls-3.6-default-no-os"].fields["group"], "X25519")
        self.assertEqual(by_build["wolfssl-5.7-cortex-m-asm"].host.backend, "wolfssl-5.7")
        self.assertEqual(notes, [])

    def test_the_section_has_every_example_profile_and_a_chart_per_cpu(self) -> None:
        section = device_model.device_section(committed_runs(HOST, M4, ARMHF, AARCH64),
                                              load_profiles())
        self.assertEqual(len(section.subsections), 9)
        charts = [b for b in section.blocks if isinstance(b, Chart)]
        self.assertEqual(len(charts), 3)
        self.assertEqual(len({c.name for c in charts}), 3)
        for sub in section.subsections:
            table = sub.blocks[0]
            assert isinstance(table, Table)
            self.assertEqual(table.header, device_model.HEADER)
            self.assertTrue(table.rows)
        armhf = section.subsections[3]
        self.assertIn("armhf", armhf.how_to_read)
        self.assertIn("x86_64-2026-12-04", armhf.how_to_read)
        notes = [b for b in section.blocks if isinstance(b, str)
                 and b.startswith(device_model.NOTES)]
        self.assertIn("openssl-3.0: the device run has 3.0.20, the host 3.0.19", notes[0])
        for chart in charts:  # linear, every panel drawn
            self.assertEqual(len(chart.figure.axes), 3)
            self.assertTrue(all(ax.patches for ax in chart.figure.axes))
            self.assertTrue(all(ax.get_xscale() == "linear" for ax in chart.figure.axes))
        with tempfile.TemporaryDirectory() as tmp:
            path = write_markdown(Report("r", "", Table(["a"], []), [section]), tmp)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            self.assertIn("## Time to authenticate on a device (model)", text)
            self.assertIn("### Cortex-M4 at 64 MHz, nb-iot", text)
            for chart in charts:
                self.assertTrue(os.path.getsize(os.path.join(tmp, "plots", chart.name + ".svg")))

    def test_no_run_of_a_profile_arch_leaves_the_section_empty(self) -> None:
        section = device_model.device_section(committed_runs(HOST), load_profiles())
        self.assertTrue(section.empty())


def synthetic(tmp: str, name: str, context: dict[str, Any], figures: list[dict[str, Any]]) -> str:
    """A results file with the headline case, one row per repetition."""
    data = results_fixture.results(context, [(CASE, results_fixture.HANDSHAKE, f) for f in figures])
    for i, row in enumerate(data["benchmarks"]):
        row["repetition_index"] = i
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)
    return path


class SyntheticTest(unittest.TestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.tmp = directory.name
        # A host: two repetitions whose network shares differ (300 and 302 ms).
        self.host = synthetic(self.tmp, "host.json", {"backend_id": "lib-1.0", "arch": "x86_64"}, [
            {"client_cpu_us": 1000, "server_cpu_us": 2000, "tta_ms_nb-iot": 303.0},
            {"client_cpu_us": 3000, "server_cpu_us": 4000, "tta_ms_nb-iot": 309.0}])
        self.profile = load_profiles(Files(self.tmp).profiles({**GOOD, "arch": "armhf"}))[0]

    def estimate(self, *paths: str) -> tuple[Optional[device_model.Estimate], list[str]]:
        found, notes = device_model.estimates(committed_runs(*paths), self.profile)
        return (found[0] if found else None), notes

    def board(self, name: str = "board.json", backend: str = "lib-1.0") -> str:
        """A real (not emulated) armhf run: 12 ms measured, 5e6 instructions (78.1 ms modelled)."""
        return synthetic(self.tmp, name, {"backend_id": backend, "arch": "armhf", "cpu": BOARD}, [
            {"client_cpu_us": 12000, "client_instructions": 5e6, "server_cpu_us": 11000}])

    def test_a_run_on_the_profiles_board_replaces_the_model_by_its_measured_time(self) -> None:
        self.profile = load_profiles(Files(self.tmp).profiles(
            {**GOOD, "arch": "armhf", "measured_cpu": BOARD}))[0]
        estimate, notes = self.estimate(self.board(), self.host)
        assert estimate is not None
        self.assertEqual(estimate.source, device_model.MEASURED)
        self.assertAlmostEqual(estimate.device_cpu_ms, 12.0)
        self.assertEqual(estimate.host.path, self.host)  # the server is the host's, not the board's
        self.assertAlmostEqual(estimate.server_cpu_ms, 3.0)
        self.assertAlmostEqual(estimate.network_ms, 301.0)
        self.assertEqual(device_model.row(estimate)[3], "12.0 measured")
        self.assertEqual(notes, [])
        self.assertIn(f"measured on `{BOARD}`", device_model._sources([estimate]))
        self.assertIn(f"measured on `{BOARD}`", self.profile.describe())

    def test_a_real_run_on_another_cpu_is_modelled_and_named(self) -> None:
        board = self.board()
        for measured_cpu in (None, "Raspberry Pi 2 (Cortex-A7, 900 MHz)"):
            with self.subTest(measured_cpu=measured_cpu):
                entry = {**GOOD, "arch": "armhf"}
                if measured_cpu:
                    entry["measured_cpu"] = measured_cpu
                self.profile = load_profiles(Files(self.tmp).profiles(entry))[0]
                estimate, notes = self.estimate(board, self.host)
                assert estimate is not None
                self.assertEqual(estimate.source, device_model.MODEL)
                self.assertAlmostEqual(estimate.device_cpu_ms, 5e6 / 64e6 * 1000)
                self.assertEqual(len(notes), 1)
                self.assertIn(f"`{BOARD}`", notes[0])
                self.assertIn(f"in {self.tmp} (lib-1.0)", notes[0])
                self.assertIn(f"measured_cpu `{measured_cpu}`" if measured_cpu
                              else "no measured_cpu", notes[0])

    def test_another_cpus_run_beside_the_emulated_one_gives_one_modelled_estimate(self) -> None:
        emulated = synthetic(self.tmp, "emu.json", {"backend_id": "lib-1.0", "arch": "armhf",
                                                    "emulated_cpu": "cortex-a7"},
                             [{"client_instructions": 6.4e6}])
        found, notes = device_model.estimates(committed_runs(self.board(), emulated, self.host),
                                              self.profile)
        self.assertEqual([(e.device.path, e.source) for e in found],
                         [(emulated, device_model.MODEL)])
        self.assertAlmostEqual(found[0].device_cpu_ms, 100.0)
        self.assertEqual(len(notes), 1)
        self.assertIn(BOARD, notes[0])

    def test_the_same_build_emulated_is_modelled(self) -> None:
        emulated = synthetic(self.tmp, "emu.json", {"backend_id": "lib-1.0", "arch": "armhf",
                                                    "emulated_cpu": "cortex-a7"},
                             [{"client_cpu_us": 12000, "client_instructions": 5e6}])
        estimate, _ = self.estimate(emulated, self.host)
        assert estimate is not None
        self.assertEqual(estimate.source, device_model.MODEL)
        self.assertAlmostEqual(estimate.device_cpu_ms, 5e6 / 64e6 * 1000)

    def test_firmware_cycles_on_the_profiles_board_are_measured(self) -> None:
        firmware = synthetic(self.tmp, "fw.json", {"backend_id": "lib-1.0-small", "arch": "armhf",
                                                   "cpu": BOARD},
                             [{"client_cycles": 32e6, "client_instructions": 20e6}])
        model, _ = self.estimate(firmware, self.host)  # the profile names no board
        assert model is not None
        self.assertEqual(model.source, device_model.MODEL)
        self.assertAlmostEqual(model.device_cpu_ms, 20e6 / 64e6 * 1000)
        self.profile = load_profiles(Files(self.tmp).profiles(
            {**GOOD, "arch": "armhf", "measured_cpu": BOARD}))[0]
        estimate, _ = self.estimate(firmware, self.host)
        assert estimate is not None
        self.assertEqual((estimate.source, estimate.host.backend), (device_model.MEASURED, "lib-1.0"))
        self.assertAlmostEqual(estimate.device_cpu_ms, 500.0)

    def test_the_network_share_takes_the_slow_down_out_of_the_hosts_context(self) -> None:
        device = synthetic(self.tmp, "dev.json", {"backend_id": "lib-1.0", "arch": "armhf",
                                                  "emulated_cpu": "cortex-a7"},
                           [{"client_instructions": 5e6}])
        plain, _ = self.estimate(device, self.host)
        assert plain is not None
        # The same handshakes with the link model's client CPU doubled: tta grows by the client
        # CPU (1 and 3 ms), the network does not. mtls-bench writes the factor as text.
        for value in ("2", 2):
            with self.subTest(client_slowdown=value):
                slow = synthetic(self.tmp, f"slow-{value!r}.json", {
                    "backend_id": "lib-1.0", "arch": "x86_64", "client_slowdown": value,
                    "server_slowdown": "1"}, [
                    {"client_cpu_us": 1000, "server_cpu_us": 2000, "tta_ms_nb-iot": 304.0},
                    {"client_cpu_us": 3000, "server_cpu_us": 4000, "tta_ms_nb-iot": 312.0}])
                estimate, _ = self.estimate(device, slow)
                assert estimate is not None
                self.assertAlmostEqual(estimate.network_ms, plain.network_ms)
                self.assertAlmostEqual(estimate.network_ms, 301.0)
                self.assertAlmostEqual(estimate.server_cpu_ms, plain.server_cpu_ms)

    def test_a_slow_down_that_is_not_a_number_is_named(self) -> None:
        device = synthetic(self.tmp, "dev.json", {"backend_id": "lib-1.0", "arch": "armhf",
                                                  "emulated_cpu": "cortex-a7"},
                           [{"client_instructions": 5e6}])
        for value in ("fast", "0", "-1", True, None):
            with self.subTest(server_slowdown=value):
                host = synthetic(self.tmp, "badslow.json", {
                    "backend_id": "lib-1.0", "arch": "x86_64", "server_slowdown": value}, [
                    {"client_cpu_us": 1000, "server_cpu_us": 2000, "tta_ms_nb-iot": 303.0}])
                estimate, notes = self.estimate(device, host)
                self.assertIsNone(estimate)
                self.assertEqual(len(notes), 1)
                self.assertIn(f"server_slowdown {value!r} in the context of {host} is not a "
                              "number > 0", notes[0])

    def test_a_build_without_a_host_run_is_named_once(self) -> None:
        other = synthetic(self.tmp, "other.json", {"backend_id": "other-2.0", "arch": "armhf",
                                                   "emulated_cpu": "cortex-a7"},
                          [{"client_instructions": 5e6}])
        emulated_host = synthetic(self.tmp, "emuhost.json", {
            "backend_id": "other-2.0", "arch": "x86_64", "emulated_cpu": "x"}, [
            {"client_cpu_us": 1, "server_cpu_us": 1, "tta_ms_nb-iot": 300.0}])
        estimate, notes = self.estimate(other, emulated_host, self.host)
        self.assertIsNone(estimate)
        self.assertEqual(notes, ["no host run of other-2.0 to take the server and link from"])
        section = device_model.device_section(committed_runs(other, self.host), [self.profile])
        self.assertTrue(section.empty())
        self.assertEqual(section.blocks, [device_model.NOTES + notes[0] + "."])

    def test_a_host_without_the_link_counter_is_named(self) -> None:
        host = synthetic(self.tmp, "nolink.json", {"backend_id": "lib-1.0", "arch": "x86_64"},
                         [{"client_cpu_us": 1, "server_cpu_us": 1}])
        device = synthetic(self.tmp, "dev.json", {"backend_id": "lib-1.0", "arch": "armhf",
                                                  "emulated_cpu": "cortex-a7"},
                           [{"client_instructions": 5e6}])
        estimate, notes = self.estimate(device, host)
        self.assertIsNone(estimate)
        self.assertEqual(len(notes), 1)
        self.assertIn("no tta_ms_nb-iot", notes[0])

    def test_stacked_bars_stay_linear_with_every_segment_drawn_and_labelled(self) -> None:
        # Totals 301 ms and 781 s (> 10x apart); lib-1.0's device CPU, 78 ms, is a thin segment.
        devices = [synthetic(self.tmp, f"{build}.json", {"backend_id": build, "arch": "armhf",
                                                         "emulated_cpu": "cortex-a7"},
                             [{"client_instructions": instructions}])
                   for build, instructions in (("lib-1.0", 5e6), ("lib-1.0-slow", 5e10))]
        runs = committed_runs(*devices, self.host)
        section = device_model.device_section(runs, [self.profile])
        chart = next(b for b in section.blocks if isinstance(b, Chart))
        ax = chart.figure.axes[0]
        self.assertEqual(ax.get_xscale(), "linear")
        found, _ = device_model.estimates(runs, self.profile)
        self.assertEqual([e.build for e in found], ["lib-1.0", "lib-1.0-slow"])
        parts = [[e.device_cpu_ms, e.server_cpu_ms, e.network_ms] for e in found]
        # barh draws one part for every build, then the next part: patch k*2+i is part k of build i.
        self.assertEqual(len(ax.patches), 6)
        for k in range(3):
            for i, values in enumerate(parts):
                patch = ax.patches[k * 2 + i]
                self.assertGreater(patch.get_width(), 0)
                self.assertAlmostEqual(patch.get_width(), values[k])
                self.assertAlmostEqual(patch.get_x(), sum(values[:k]))  # stacked, from 0
        low, high = ax.get_xlim()
        self.assertEqual(low, 0)
        self.assertGreater(high, max(e.total_ms for e in found))
        labels = [t.get_text() for t in ax.texts]
        for e in found:
            self.assertIn(f" {device_model.ms(e.total_ms)} ms, CPU "
                          f"{device_model.percent(e.cpu_share)}", labels)

    def test_chart_names_are_unique_per_cpu(self) -> None:
        device = synthetic(self.tmp, "dev.json", {"backend_id": "lib-1.0", "arch": "armhf",
                                                  "emulated_cpu": "cortex-a7"},
                           [{"client_instructions": 5e6}])
        # Same arch, clock and CPI; the CPU text alone sets them apart (the last two by case).
        profiles = load_profiles(Files(self.tmp).profiles(*(
            {**GOOD, "name": name, "cpu": cpu, "arch": "armhf"}
            for name, cpu in (("a", "Cortex-A7 at 1 GHz"), ("b", "i.MX6UL at 1 GHz"),
                              ("c", "i.mx6ul at 1 GHz")))))
        section = device_model.device_section(committed_runs(device, self.host), profiles)
        charts = [b for b in section.blocks if isinstance(b, Chart)]
        names = [c.name for c in charts]
        self.assertEqual(len(charts), 3)
        self.assertEqual(len(set(names)), 3, names)
        self.assertIn("cortex-a7-at-1-ghz", names[0])
        with tempfile.TemporaryDirectory() as tmp:
            write_markdown(Report("r", "", Table(["a"], []), [section]), tmp)
            self.assertEqual(sorted(os.listdir(os.path.join(tmp, "plots"))),
                             sorted(n + ".svg" for n in names))

    def test_the_text_is_markdown_that_github_and_the_html_page_show_as_written(self) -> None:
        device = synthetic(self.tmp, "dev.json", {"backend_id": "lib-1.0", "arch": "armhf",
                                                  "emulated_cpu": "cortex-a7"},
                           [{"client_instructions": 5e6}])
        found, _ = device_model.estimates(committed_runs(device, self.host), self.profile)
        for text in (device_model.MODEL_TEXT, device_model._sources(found),
                     device_model.HOW_TO_READ):
            outside_code = re.sub(r"`[^`]*`", "", text)
            self.assertEqual(text.count("`") % 2, 0, text)
            self.assertNotIn("<", outside_code)  # an HTML tag to GitHub: it would vanish
            self.assertNotIn("*", outside_code)  # the HTML page renders no *emphasis*
            self.assertNotIn("tta_ms_", outside_code)
        self.assertIn("`tta_ms_<link>`", device_model.MODEL_TEXT)
        self.assertIn("`tta_ms_nb-iot`", device_model._sources(found))


class BadInputTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.files = Files(self.tmp.name)

    def fails(self, path: str, expected: str, names: Optional[list[str]] = None,
              links: str = device_model.DEFAULT_LINKS) -> None:
        with self.assertRaises(DeviceProfileError) as caught:
            load_profiles(path, links, names)
        message = str(caught.exception)
        self.assertNotIn("\n", message)
        self.assertIn(expected, message)

    def test_each_bad_profile_is_one_line_naming_what_is_wrong(self) -> None:
        without_clock = {k: v for k, v in GOOD.items() if k != "clock_hz"}
        cases = [
            (self.files.profiles(without_clock), "'m4': no clock_hz"),
            (self.files.profiles({**GOOD, "clock_hz": 0}), "clock_hz must be a number > 0 (is 0)"),
            (self.files.profiles({**GOOD, "clock_hz": "64 MHz"}), "clock_hz must be a number > 0"),
            (self.files.profiles({**GOOD, "clock_hz": True}), "clock_hz must be a number > 0"),
            (self.files.profiles({**GOOD, "cpi": -1}), "cpi must be a number > 0 (is -1)"),
            (self.files.profiles({**GOOD, "cpi": 0}), "cpi must be a number > 0"),
            (self.files.profiles({**GOOD, "link": "carrier-pigeon"}),
             "link 'carrier-pigeon' is not in"),
            (self.files.profiles({**GOOD, "arch": ""}), "arch must be a non-empty string"),
            (self.files.profiles({**GOOD, "clock_Hz": 1}), "unknown field clock_Hz"),
            (self.files.profiles({**GOOD, "measured_on": "x"}), "link, measured_cpu)"),
            (self.files.profiles({**GOOD, "measured_cpu": ""}),
             "measured_cpu must be a non-empty string"),
            (self.files.profiles({**GOOD, "measured_cpu": 7}),
             "measured_cpu must be a non-empty string"),
            (self.files.profiles(GOOD, GOOD), "a second profile named 'm4'"),
            (self.files.profiles("m4"), "profile 1 is not an object"),
            (self.files.write("garbled.json", '{"profiles": [ {"name": '), "not JSON"),
            (self.files.write("shape.json", {"devices": []}), 'a "profiles" array'),
            (os.path.join(self.tmp.name, "absent.json"), "cannot read the device profiles"),
            (self.tmp.name, "cannot read the device profiles"),
        ]
        for path, expected in cases:
            with self.subTest(expected=expected):
                self.fails(path, expected)

    def test_keys_starting_with_an_underscore_are_comments(self) -> None:
        loaded = load_profiles(self.files.profiles({**GOOD, "_why": "a note"}))
        self.assertEqual([p.name for p in loaded], ["m4"])

    def test_an_unknown_profile_name_lists_the_known_ones(self) -> None:
        self.fails(device_model.DEFAULT_PROFILES, "no device profile named 'nope' (known: "
                   "cortex-m4-64mhz-nb-iot", names=["cortex-m4-64mhz-nb-iot", "nope"])

    def test_a_bad_link_file_is_named(self) -> None:
        good = self.files.profiles(GOOD)
        self.fails(good, "link profile 1 needs name, bandwidth_bps and rtt_ms",
                   links=self.files.write("links.json", {"profiles": [{"name": "nb-iot"}]}))
        self.fails(good, "cannot read the link profiles",
                   links=os.path.join(self.tmp.name, "none.json"))

    def test_the_committed_profiles_load_as_named(self) -> None:
        names = ["cortex-a53-1.2ghz-lte-m", "cortex-m4-64mhz-nb-iot"]
        loaded = load_profiles(names=names)
        self.assertEqual([p.name for p in loaded], names)
        self.assertEqual(loaded[1].clock_hz, 64e6)
        self.assertEqual(loaded[0].link.rtt_ms, 50)
        self.assertEqual(len(load_profiles()), 9)


class CommandTest(unittest.TestCase):
    def run_main(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = device_model.main(list(argv))
            except SystemExit as exit_:
                status = int(exit_.code or 0)
        return status, out.getvalue(), err.getvalue()

    def test_the_table_of_a_profile(self) -> None:
        status, out, err = self.run_main("--devices", "cortex-m4-64mhz-6lowpan", HOST, M4)
        self.assertEqual((status, err), (0, ""))
        self.assertIn("## Cortex-M4 at 64 MHz, 6lowpan", out)
        self.assertIn("| wolfssl-5.7-cortex-m-asm | ecdsa-p256 | 1.3 |", out)

    def test_the_command_as_a_process(self) -> None:
        done = subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                            "device_model.py"), "--devices", "nope", HOST],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual((done.returncode, done.stdout), (2, ""))
        self.assertEqual(len(done.stderr.splitlines()), 1, done.stderr)
        self.assertIn("no device profile named 'nope'", done.stderr)

    def test_bad_input_exits_2_with_one_line(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            files = Files(tmp)
            zero = files.profiles({**GOOD, "clock_hz": 0})
            missing = files.profiles({k: v for k, v in GOOD.items() if k != "link"})
            not_results = files.write("x.json", "[]")
            cases: list[tuple[list[str], str]] = [
                (["--devices", "nope", HOST], "no device profile named 'nope'"),
                (["--devices", "", HOST], "--devices names no profile"),
                (["--profiles", zero, HOST], "clock_hz must be a number > 0"),
                (["--profiles", missing, HOST], "no link"),
                ([not_results], "not a Google Benchmark JSON file"),
                ([os.path.join(tmp, "absent.json")], "absent.json"),
                (["--bogus", HOST], "unrecognized arguments"),
                ([], "the following arguments are required"),
                ([HOST], "no estimate")]
            for argv, expected in cases:
                with self.subTest(argv=argv):
                    status, out, err = self.run_main(*argv)
                    self.assertEqual(status, 2)
                    self.assertEqual(out, "")
                    self.assertEqual(err.count("\n"), 1, err)
                    self.assertIn(expected, err)


if __name__ == "__main__":
    unittest.main()
