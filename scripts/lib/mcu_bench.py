#!/usr/bin/python3
"""Mutual-auth handshakes on an emulated microcontroller: per-side figures of bare-metal firmware.

Runs each firmware (build/mcu/<arch>/mcu/mtls-mcu-<id>.elf) on qemu-system-arm's model of the
board with the project's TCG plugin, which attributes executed instructions to the side whose
marker function ran last (the firmware calls one per side change). Figures per handshake: the
counted handshakes' total divided by their number. From the firmware's own output: heap peak per
side (counting allocator behind the library's allocator hook), stack peak per side (painting),
bytes each way, flights. From the link map: flash (text + rodata + data's initial values) and RAM
(data + bss) of the TLS library and of the whole firmware.

Rows: the certificate handshake (ECDSA P-256 root -> leaf) per group and version, TLS 1.3 and 1.2
over the in-memory byte stream and DTLS 1.2 over the in-memory datagram link (path MTU 1232 bytes,
no loss; datagrams per direction beside the bytes), and the external PSK over (D)TLS 1.2, each
named as the host's mtls-bench names the same case (DTLS rows: the version field DTLSv1.2), so
that the report's DTLS section finds each DTLS row's TLS twin.

Writes one Google Benchmark-shaped JSON per firmware (the schema of mtls-bench, arch = the CPU,
the library configuration in the context), for scripts/report. --repeat N runs every case N
times and fails unless all figures are identical.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Any, Literal, Optional, Union

from results import (Description, ResultsError, case_names, describe, headline, rows_description,
                     write_json)

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_ON_QEMU = os.path.join(HERE, "..", "..", "mcu", "board", "run-on-qemu")
SKIPPED = 77  # the firmware's (and CTest's) exit status for an unsupported case
SIDES = ("none", "client", "server")
FROM_FIRMWARE = ("bytes_c2s", "bytes_s2c", "flights", "client_heap_peak", "server_heap_peak",
                 "client_context_heap", "server_context_heap", "client_stack_peak",
                 "server_stack_peak")
DATAGRAM_COUNTERS = ("datagrams_c2s", "datagrams_s2c")  # DTLS rows only, as on the host
# The firmware's arguments for each version the rows name (the host's version field).
VERSION_ARGUMENTS = {"TLSv1.3": ["--protocol=tls", "--version=1.3"],
                     "TLSv1.2": ["--protocol=tls", "--version=1.2"],
                     "DTLSv1.2": ["--protocol=dtls", "--version=1.2"]}
SCHEMES = ("ecdsa-p256", "psk")
# The firmware's external PSK is a (D)TLS 1.2 suite without key exchange: no group is negotiated,
# and the host names such rows by its default group.
PSK_VERSIONS = ("TLSv1.2", "DTLSv1.2")
PSK_GROUP = "X25519"


@dataclass(frozen=True)
class Row:
    """One measured case: the host case's fields that differ from its headline, and the
    firmware's arguments for it."""
    version: str
    group: str
    scheme: str

    def arguments(self) -> list[str]:
        case = "psk" if self.scheme == "psk" else "mtls"
        return VERSION_ARGUMENTS[self.version] + [f"--case={case}", f"--group={self.group}"]

    def fields(self) -> dict[str, Any]:
        """What picks the host's case (results.case_name) for this row."""
        overrides: dict[str, Any] = {"version": self.version, "group": self.group}
        if self.scheme == "psk":
            overrides.update(scheme="psk", depth=0)
        return headline(**overrides)

    def label(self) -> str:
        return f"{self.scheme} {self.version} {self.group}"


def plan_rows(versions: list[str], groups: list[str], schemes: list[str]) -> list[Row]:
    """The rows to measure, in report order: per version, the certificate handshake in each
    group, then the PSK (on the versions whose suites the firmware has, once)."""
    rows = []
    for version in versions:
        if "ecdsa-p256" in schemes:
            rows += [Row(version, group, "ecdsa-p256") for group in groups]
        if "psk" in schemes and version in PSK_VERSIONS:
            rows.append(Row(version, PSK_GROUP, "psk"))
    return rows


def name_rows(rows: list[Row], description: Description) -> tuple[dict[Row, str], list[Row]]:
    """Each row's name from the host's description of its cases; the rows the host does not
    describe (no such benchmark there, so no name to give) apart."""
    named, undescribed = {}, []
    for row in rows:
        found = case_names(description, **row.fields())
        if len(found) == 1:
            named[row] = found[0]
        elif not found:
            undescribed.append(row)
        else:
            raise ResultsError(f"{len(found)} described cases match {row.label()}: {found[:4]}")
    return named, undescribed


def marker_addresses(firmware: str) -> list[str]:
    """The plugin's marker0..2 arguments: where mtls_marker_{none,client,server} start."""
    symbols = subprocess.run(["arm-none-eabi-nm", firmware], capture_output=True, text=True,
                             check=True).stdout
    found = dict(re.findall(r"^([0-9a-f]+) T mtls_marker_(none|client|server)$", symbols, re.M))
    found = {side: address for address, side in found.items()}
    missing = [side for side in SIDES if side not in found]
    if missing:
        raise RuntimeError(f"{firmware}: no marker function for {', '.join(missing)}")
    return [f"marker{i}=0x{found[side]}" for i, side in enumerate(SIDES)]


def run_firmware(args: argparse.Namespace, firmware: str, row: Row
                 ) -> tuple[dict[str, Any], Optional[dict[str, int]]]:
    """One run: the firmware's JSON line plus the plugin's instruction counts (None: skipped)."""
    with tempfile.TemporaryDirectory() as tmp:
        counts_file = os.path.join(tmp, "counts.json")
        plugin = ",".join([args.plugin, f"outfile={counts_file}"] + marker_addresses(firmware))
        cmd = [RUN_ON_QEMU, "--plugin", plugin, args.board, firmware, *row.arguments(),
               f"--handshakes={args.handshakes}"]
        # A clean environment: nothing of the host's reaches the guest, but be explicit.
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800,
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        # The case's JSON line; a board whose console is a UART prints its messages beside it.
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        output = json.loads(lines[-1]) if lines else {}
        if done.returncode == SKIPPED:
            return output, None
        if done.returncode != 0:
            messages = [line for line in (done.stdout + done.stderr).splitlines()
                        if line.strip() and not line.startswith("{")]
            message = (messages or ["no message"])[-1]
            raise RuntimeError(f"{os.path.basename(firmware)} {' '.join(row.arguments())}: exit "
                               f"{done.returncode}: {message}")
        with open(counts_file) as f:
            counts = json.load(f)
    if counts["client"] == 0 or counts["server"] == 0:
        raise RuntimeError(f"{firmware}: no instructions counted for a side (markers not seen?)")
    return output, counts


def linked_ram(map_file: str) -> str:
    """The RAM the firmware was linked for (its map's memory configuration), e.g. "128 KiB"."""
    with open(map_file) as f:
        found = re.search(r"^RAM\s+0x[0-9a-f]+\s+0x([0-9a-f]+)", f.read(), re.M)
    if not found:
        raise RuntimeError(f"{map_file}: no RAM region in its memory configuration")
    size = int(found.group(1), 16)
    return f"{size // 1048576} MiB" if size % 1048576 == 0 else f"{size // 1024} KiB"


def footprint(map_file: str, library: str) -> dict[str, int]:
    """Flash and RAM bytes of the whole firmware and of the TLS library's archive, from a GNU ld
    map: every input section under the output sections that occupy flash or RAM."""
    flash_sections = {".vectors", ".text", ".rodata", ".ARM.exidx", ".init_array",
                      ".preinit_array", ".fini_array", ".data"}
    ram_sections = {".data", ".bss"}
    totals = {"firmware_flash_bytes": 0, "firmware_ram_bytes": 0, "library_flash_bytes": 0,
              "library_ram_bytes": 0}
    archive = f"lib{library}.a("
    in_map, output_section, pending = False, None, None
    with open(map_file) as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_map = True
                continue
            if not in_map:
                continue
            top = re.match(r"^(\.[\w.]+)", line)
            if top:
                output_section = top.group(1)
                continue
            # An input section: " .name 0xADDR 0xSIZE file", its name alone on a line when long.
            entry = re.match(r"^ (\.\S+|\*fill\*|COMMON)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)(?:\s+(\S.*))?$",
                             line.rstrip())
            if re.match(r"^ \.\S+$", line.rstrip()):
                pending = line.strip()
                continue
            if not entry or (entry.group(1) is None and pending is None):
                pending = None
                continue
            pending = None
            size, source = int(entry.group(3), 16), entry.group(4) or ""
            ours = archive in source
            if output_section in flash_sections:
                totals["firmware_flash_bytes"] += size
                totals["library_flash_bytes"] += size if ours else 0
            if output_section in ram_sections:
                totals["firmware_ram_bytes"] += size
                totals["library_ram_bytes"] += size if ours else 0
    return totals


def measure(args: argparse.Namespace, firmware: str, row: Row, name: str
            ) -> tuple[dict[str, Any], Union[dict[str, Any], None, Literal[False]]]:
    runs = []
    label = row.label()
    for _ in range(args.repeat):
        output, counts = run_firmware(args, firmware, row)
        if counts is None:
            print(f"  {label}: skipped ({output.get('skipped', 'unsupported')})", file=sys.stderr)
            return output, None
        # Every handshake of every run must have verified both peers (certificates, or the PSK
        # as the library negotiated it), as on the host, where the benchmark stops otherwise.
        if output.get("verified_handshakes") != args.handshakes:
            print(f"  {label}: {output.get('verified_handshakes')} of {args.handshakes} handshakes "
                  "verified both peers", file=sys.stderr)
            return output, False
        keys = FROM_FIRMWARE + tuple(key for key in DATAGRAM_COUNTERS if key in output)
        runs.append((counts, {key: output[key] for key in keys}))
    counts, figures = runs[0]
    n = args.handshakes
    entry = {
        "name": name, "run_name": name,
        "run_type": "iteration", "repetitions": 1, "repetition_index": 0, "threads": 1,
        "iterations": n,
        "client_instructions": counts["client"] / n, "server_instructions": counts["server"] / n,
        "handshake_instructions": (counts["client"] + counts["server"]) / n,
        "bytes_c2s": figures["bytes_c2s"], "bytes_s2c": figures["bytes_s2c"],
        "flights": figures["flights"],
        "peak_stack_bytes": max(figures["client_stack_peak"], figures["server_stack_peak"]),
        # What the firmware counted (checked for every run above): all n verified both peers.
        "mutual_auth_verified": output["verified_handshakes"] / n,
    }
    entry.update({key: figures[key] for key in FROM_FIRMWARE[3:]})
    entry.update({key: figures[key] for key in DATAGRAM_COUNTERS if key in figures})
    identical = all(run == runs[0] for run in runs)
    datagrams = (f"; datagrams {figures['datagrams_c2s']} / {figures['datagrams_s2c']}"
                 if "datagrams_c2s" in figures else "")
    print(f"  {label}: client {entry['client_instructions'] / 1e6:.2f} M, server "
          f"{entry['server_instructions'] / 1e6:.2f} M instructions per handshake; heap "
          f"{entry['client_heap_peak']} / {entry['server_heap_peak']} B, stack "
          f"{entry['client_stack_peak']} / {entry['server_stack_peak']} B; bytes "
          f"{entry['bytes_c2s']} / {entry['bytes_s2c']}{datagrams}"
          + ("" if identical else f"  NOT REPEATABLE over {len(runs)} runs: {runs}"),
          file=sys.stderr)
    return output, entry if identical else False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firmware", required=True, nargs="+", help="mtls-mcu-<id>.elf files")
    parser.add_argument("--board", required=True, help="qemu board, e.g. mps2-an386")
    parser.add_argument("--arch", required=True, help="the CPU, e.g. cortex-m4")
    parser.add_argument("--plugin", required=True, help="the TCG plugin (libmtls_insn_count.so)")
    parser.add_argument("--groups", default="P-256,X25519", help="key exchange groups")
    parser.add_argument("--versions", default=",".join(VERSION_ARGUMENTS),
                        help="(D)TLS versions, the host's names")
    parser.add_argument("--schemes", default=",".join(SCHEMES),
                        help="ecdsa-p256 (certificates), psk (external PSK, (D)TLS 1.2)")
    parser.add_argument("--handshakes", type=int, default=2, help="counted handshakes per run")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; figures must agree")
    parser.add_argument("--out", help="directory for <id>-<arch>.json (default: none written)")
    parser.add_argument("--context", action="append", default=[], metavar="KEY=VALUE",
                        help="extra context, e.g. commit=abc123")
    args = parser.parse_args()
    if args.handshakes < 1 or args.repeat < 1:
        parser.error("--handshakes and --repeat must be positive")
    for path in args.firmware + [args.plugin]:
        if not os.path.isfile(path):
            parser.error(f"{path}: no such file")
    extra = dict(item.split("=", 1) for item in args.context if "=" in item)
    versions, schemes = args.versions.split(","), args.schemes.split(",")
    unknown = ([v for v in versions if v not in VERSION_ARGUMENTS]
               + [s for s in schemes if s not in SCHEMES])
    if unknown:
        parser.error(f"unknown version or scheme: {', '.join(unknown)}")
    rows = plan_rows(versions, args.groups.split(","), schemes)
    if not rows:
        parser.error("no rows: --schemes psk needs a (D)TLS 1.2 version")
    names = {row: row.label() for row in rows}  # what rows are called when none are written
    description: Description = {"cases": {}}
    if args.out:
        try:
            description = describe()
            # The rows take the host suite's name for the same case, so that the report puts the
            # CPUs side by side and each DTLS row beside its TLS twin.
            names, undescribed = name_rows(rows, description)
        except ResultsError as error:
            print(f"mcu_bench: the rows' names come from a host build's mtls-bench: {error}",
                  file=sys.stderr)
            return 2
        for row in undescribed:
            print(f"mcu_bench: {row.label()}: not measured: the host's mtls-bench has no such "
                  "case to name the row after", file=sys.stderr)
        rows = [row for row in rows if row in names]

    status = 0
    for firmware in args.firmware:
        build_id = re.sub(r"^mtls-mcu-|\.elf$", "", os.path.basename(firmware))
        print(f"{build_id} on {args.arch} ({args.board}):", file=sys.stderr)
        benchmarks: list[dict[str, Any]] = []
        output: dict[str, Any] = {}
        try:
            for row in rows:
                output, entry = measure(args, firmware, row, names[row])
                if entry is False:
                    status = 1
                elif isinstance(entry, dict):
                    benchmarks.append(entry)
        except (RuntimeError, subprocess.SubprocessError, json.JSONDecodeError) as error:
            print(f"mcu_bench: {error}", file=sys.stderr)
            return 2
        map_file = re.sub(r"\.elf$", ".map", firmware)
        sizes = footprint(map_file, output["library"])
        print(f"  flash {sizes['library_flash_bytes']:,} B library / "
              f"{sizes['firmware_flash_bytes']:,} B firmware; RAM (data + bss) "
              f"{sizes['library_ram_bytes']:,} / {sizes['firmware_ram_bytes']:,} B", file=sys.stderr)
        for entry in benchmarks:
            entry.update(sizes)
        context = {
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "arch": args.arch, "backend": output["library"], "backend_id": build_id,
            "backend_version": output["version"], "configuration": output["configuration"],
            "cpu": f"{args.arch} (emulated by qemu-system-arm -M {args.board})",
            "emulated_cpu": args.arch, "board": args.board, "compiler": "arm-none-eabi-gcc -Os",
            "instruction_counter": "qemu-system TCG plugin (executed guest instructions)",
            "instructions_per": "handshake, per side", "times": "none: instructions are not cycles",
            "memory_note": f"heap and stack as used; the firmware is linked for "
                           f"{linked_ram(map_file)} of RAM",
        }
        context.update(extra)
        if args.out:
            path = os.path.join(args.out, f"{build_id}-{args.arch}.json")
            cases = {e["run_name"]: description["cases"][e["run_name"]] for e in benchmarks}
            write_json(path, {"context": context, "benchmarks": benchmarks,
                              "description": rows_description(description, cases)})
            print(f"  -> {path}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
