#!/usr/bin/python3
"""Footprint of statically linked minimal mTLS endpoints (tools/minimal_endpoint.cc): text, data
and bss of the program (binutils' size), and from its GNU ld link map (BINARY.map) the bytes by
where they come from (the TLS library and the crypto it links, the
project's own code, the C/C++ runtime and abseil), in flash (text, read-only data, initialised
data) and RAM (initialised data, bss). Only sections the linker kept count (--gc-sections).

Usage: footprint.py --row ID ROLE BINARY [--row ...] [--missing ID REASON ...] [--stack ID=BYTES ...]
                    [--size-tool size] [--arch A] [--markdown F] [--json F]
The JSON (for scripts/report and scripts/report compare) holds one entry per endpoint, in bytes.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from typing import Optional, TypedDict

# Archives of the TLS stacks and the crypto/support libraries they bring (not the C library).
TLS_ARCHIVE = re.compile(r"lib(ssl|crypto|mbedtls|mbedx509|mbedcrypto|wolfssl|gnutls|nettle|"
                         r"hogweed|gmp|tasn1|idn2|unistring|p11-kit)\.a\(")
PROJECT = re.compile(r"(libmtls\w*\.a\(|/CMakeFiles/)")
SECTION = re.compile(r"^ (\.[\w.$-]+)?\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$")
NAME_ONLY = re.compile(r"^ (\.[\w.$-]+)$")


class _Entry(TypedDict):
    backend_id: str
    role: str
    flash_bytes: int
    ram_bytes: int
    tls_flash_bytes: int
    tls_ram_bytes: int
    project_flash_bytes: int


class Entry(_Entry, total=False):
    """One endpoint in the JSON (bytes); the peak stack only where measured."""
    peak_stack_bytes: int


def kind_of(section: str) -> Optional[str]:
    if section.startswith((".text", ".rodata", ".init", ".fini", ".eh_frame", ".gcc_except",
                           ".ARM.extab", ".ARM.exidx", ".srodata")):
        return "flash"
    if section.startswith((".data", ".sdata", ".init_array", ".fini_array", ".tdata",
                           ".data.rel.ro", ".got")):
        return "data"
    if section.startswith((".bss", ".sbss", ".tbss")) or section == "COMMON":
        return "bss"
    return None


def origin_of(path: str) -> str:
    if TLS_ARCHIVE.search(path):
        return "tls"
    if PROJECT.search(path):
        return "project"
    return "runtime"


def parse_map(path: str) -> dict[tuple[str, str], int]:
    """Bytes per (origin, kind) of the input sections the linker placed."""
    totals: dict[tuple[str, str], int] = {}
    in_memory_map = False
    pending: Optional[str] = None
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_memory_map = True
                continue
            if not in_memory_map:
                continue  # "Discarded input sections" come before: not in the program
            named = NAME_ONLY.match(line)
            if named:
                pending = named.group(1)
                continue
            match = SECTION.match(line)
            if not match:
                if line.startswith(" COMMON"):
                    parts = line.split()
                    if len(parts) >= 4:
                        key = (origin_of(parts[3]), "bss")
                        totals[key] = totals.get(key, 0) + int(parts[2], 16)
                pending = None
                continue
            section = match.group(1) or pending
            pending = None
            if section is None:
                continue
            kind = kind_of(section)
            if kind is None:
                continue
            key = (origin_of(match.group(3)), kind)
            totals[key] = totals.get(key, 0) + int(match.group(2), 16)
    return totals


def text_data_bss(size_tool: str, binary: str) -> list[int]:
    out = subprocess.run([size_tool, binary], capture_output=True, text=True, check=True).stdout
    return [int(x) for x in out.splitlines()[1].split()[:3]]


def stack_cell(stack: Optional[str]) -> str:
    """BYTES, or BYTES followed by the TLS version when not TLS 1.3 ("6144TLSv1.2")."""
    if not stack:
        return "-"
    match = re.match(r"(\d+)(.*)", stack)
    assert match is not None, stack
    return kib(int(match.group(1))) + (f" ({match.group(2)})" if match.group(2) else "")


def kib(n: int) -> str:
    return f"{n / 1024:,.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--row", nargs=3, action="append", default=[],
                        metavar=("ID", "ROLE", "BINARY"))
    parser.add_argument("--size-tool", default="size", help="binutils size for the target")
    parser.add_argument("--missing", nargs=2, action="append", default=[], metavar=("ID", "REASON"))
    parser.add_argument("--stack", action="append", default=[],
                        help="ID=BYTES[VERSION] peak stack of a TLS 1.3 (or VERSION) handshake")
    parser.add_argument("--arch", default="")
    parser.add_argument("--markdown", help="also write the table here")
    parser.add_argument("--json", help="also write the figures here (bytes)")
    args = parser.parse_args()
    stacks = dict(s.split("=", 1) for s in args.stack)

    lines = [
        f"Footprint of the statically linked minimal mTLS endpoints{' on ' + args.arch if args.arch else ''}"
        " (KiB; text/data/bss of the whole program; by origin from the link map: flash = code +"
        " read-only + initialised data, RAM = initialised data + bss; the TLS library's share"
        " includes the crypto libraries it links; runtime = C/C++ libraries and abseil)",
        "",
        "| backend | endpoint | text | data | bss | TLS library flash | TLS library RAM |"
        " project flash | runtime flash | handshake peak stack |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    entries: list[Entry] = []
    for backend_id, role, binary in args.row:
        text, data, bss = text_data_bss(args.size_tool, binary)
        t = parse_map(binary + ".map")
        get = lambda origin, kind: t.get((origin, kind), 0)  # noqa: E731
        flash = {o: get(o, "flash") + get(o, "data") for o in ("tls", "project", "runtime")}
        ram = {o: get(o, "data") + get(o, "bss") for o in ("tls", "project", "runtime")}
        stack = stacks.get(backend_id)
        entries.append({"backend_id": backend_id, "role": role, "flash_bytes": text + data,
                        "ram_bytes": data + bss, "tls_flash_bytes": flash["tls"],
                        "tls_ram_bytes": ram["tls"], "project_flash_bytes": flash["project"]})
        if stack:
            entries[-1]["peak_stack_bytes"] = int(re.sub(r"\D.*", "", stack))
        lines.append(
            f"| {backend_id} | {role} | {kib(text)} | {kib(data)} | {kib(bss)} | "
            f"{kib(flash['tls'])} | {kib(ram['tls'])} | {kib(flash['project'])} | "
            f"{kib(flash['runtime'])} | {stack_cell(stack)} |")
    for backend_id, reason in args.missing:
        lines.append(f"| {backend_id} | - | not statically linkable: {reason} | | | | | | | |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"context": {"arch": args.arch, "backend_id": "footprint"},
                       "footprint": entries,
                       "not_linkable": [{"backend_id": i, "reason": r} for i, r in args.missing]},
                      f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
