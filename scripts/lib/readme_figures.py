#!/usr/bin/python3
"""Writes the figures of README.md and docs/*.md from the committed results/.

Each generated block sits between `<!-- figures:NAME -->` and `<!-- /figures -->`; NAME is one of
BLOCKS. Without options the blocks are printed; --write rewrites them in place; --check exits 1
and names every number that differs from what the committed results give (a test runs it).
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import device_model
import fuzz_yardstick as yardstick
import report_fuzz
import results
from scaling import efficiency, headline_curves, version_label

REPO = Path(__file__).resolve().parents[2]
# Files that may hold generated blocks (paths relative to the repository).
DOCUMENTS = ("README.md", "docs/*.md")

# The headline run: one scripts/bench over every x86-64 build.
HEADLINE_RUN = "results/x86_64-2026-12-04"
IOT_RUNS = {  # column title -> run folder
    "x86-64": HEADLINE_RUN,
    "armhf (Cortex-A7)": "results/armhf-2026-11-26",
    "aarch64 (Cortex-A53)": "results/aarch64-2026-11-26",
    "riscv64 (RV64GC)": "results/riscv64-2026-11-26",
}
MCU_RUN = "results/cortex-m4-2026-11-26"
SCALING_RUN = "results/x86_64-16core-2026-12-04-threads"
# The yardstick (scripts/fuzz --upstream): every pair for 90 s, and the handshake pairs for 10 min;
# each then again for a library whose fuzz build changed (a later folder's pairs replace the
# earlier's).
YARDSTICK_RUNS = ("results/fuzz-yardstick-2026-12-06", "results/fuzz-yardstick-2026-12-06-boringssl")
YARDSTICK_LONG_RUNS = ("results/fuzz-yardstick-2026-12-06-10min",
                       "results/fuzz-yardstick-2026-12-06-boringssl-10min")
HANDSHAKE_TARGETS = ("server_mtls", "client_mtls")

# Cases by their fields (mtls-bench --describe): results.HEADLINE; the firmware's runs P-256.
MCU_CASE = results.headline(group="P-256")
# Library order in tables; versions ascending within a library.
LIBRARY_ORDER = ("openssl", "boringssl", "gnutls", "wolfssl", "mbedtls")

Counters = dict[str, float]

BEGIN = re.compile(r"<!-- figures:([a-z0-9-]+) -->")
END = "<!-- /figures -->"


def figures(run: Optional[results.Run], fields: results.Fields, statistic: str = "mean"
            ) -> Optional[Counters]:
    """The counters of the case with these fields: the mean over repetitions (or the one run), or
    their median; None where the run has no such case."""
    case = run.find(**fields) if run else None
    row = run.row(case) if run and case else None
    if run is None or case is None or row is None:
        return None
    numbers = {k: float(v) for k, v in row.items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    if statistic == "median":
        numbers = {k: statistics.median(run.samples(case, k)) for k in numbers}
    return numbers


def load_folder(folder: str, root: Path) -> dict[str, results.Run]:
    """Every backend build of one results folder: build id -> its run."""
    runs: dict[str, results.Run] = {}
    for path in sorted((root / folder).glob("*.json")):
        if path.name.startswith("footprint"):
            continue
        run = results.Run(str(path))
        runs[run.backend] = run
    return runs


def build_order(build: str) -> tuple[int, tuple[int, ...], str]:
    library, _, rest = build.partition("-")
    version, _, variant = rest.partition("-")
    numbers = tuple(int(p) for p in version.split(".") if p.isdigit())
    rank = LIBRARY_ORDER.index(library) if library in LIBRARY_ORDER else len(LIBRARY_ORDER)
    return rank, numbers, variant


def number(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def pair(a: float, b: float, digits: int = 0, scale: float = 1.0) -> str:
    return f"{number(a / scale, digits)} / {number(b / scale, digits)}"


def table(header: list[str], align: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def headline_case(run: results.Run) -> tuple[str, Optional[Counters]]:
    """The TLS 1.3 headline case, or TLS 1.2 for a build without TLS 1.3."""
    case = run.find_headline()
    if case is None:
        return "–", None
    return version_label(run.fields[case]["version"]), figures(run, run.fields[case])


def headline(root: Path) -> list[str]:
    runs = load_folder(HEADLINE_RUN, root)
    rows: list[tuple[bool, tuple[int, tuple[int, ...], str], list[str]]] = []
    for build, run in runs.items():
        version, c = headline_case(run)
        if c is None:
            continue
        instructions = (pair(c["client_instructions"], c["server_instructions"], 2, 1e6)
                        if "client_instructions" in c else "–")
        rows.append((version != "1.3", build_order(build), [
            build, version, number(c["items_per_second"]),
            number(c["client_cpu_us"]), number(c["server_cpu_us"]),
            pair(c["bytes_c2s"], c["bytes_s2c"]), number(c["flights"]),
            pair(c["client_heap_peak"], c["server_heap_peak"], 1, 1024),
            number(c["handshake_floor_ratio"], 2), number(c["tta_ms_nb-iot"]), instructions]))
    header = ["build", "TLS", "pairs/s", "client CPU µs", "server CPU µs", "bytes c2s / s2c",
              "flights", "heap client / server KiB", "÷ floor", "NB-IoT ms",
              "M instructions client / server"]
    body = [r[2] for r in sorted(rows, key=lambda r: (r[0], r[1]))]
    return [f"Generated from `{HEADLINE_RUN}/` (means of its repetitions):", ""] + \
        table(header, ["---", "---"] + ["---:"] * 9, body)


def iot_instructions(root: Path) -> list[str]:
    columns = {title: load_folder(folder, root) for title, folder in IOT_RUNS.items()}
    builds = sorted({b for runs in columns.values() for b in runs}, key=build_order)
    body = []
    for build in builds:
        cells = [build]
        for runs in columns.values():
            c = figures(runs.get(build), results.HEADLINE)
            cells.append(pair(c["client_instructions"], c["server_instructions"], 2, 1e6)
                         if c and "client_instructions" in c else "–")
        if any(cell != "–" for cell in cells[1:]):
            body.append(cells)
    folders = ", ".join(f"`{f}/`" for f in IOT_RUNS.values())
    return [f"Generated from {folders}:", ""] + \
        table(["build"] + list(columns), ["---"] + ["---:"] * len(columns), body)


def mcu(root: Path) -> list[str]:
    runs = load_folder(MCU_RUN, root)
    body = []
    for build in sorted(runs, key=lambda b: (b.startswith("mbedtls"), b)):
        c = figures(runs[build], MCU_CASE)
        if c is None:
            continue
        body.append([
            build, pair(c["client_instructions"], c["server_instructions"], 2, 1e6),
            pair(c["client_heap_peak"], c["server_heap_peak"], 1, 1024),
            number(max(c["client_stack_peak"], c["server_stack_peak"]) / 1024, 1),
            pair(c["bytes_c2s"], c["bytes_s2c"]),
            number(c["library_flash_bytes"] / 1024, 1), number(c["library_ram_bytes"] / 1024, 1)])
    header = ["library configuration (mcu/configs)", "client / server M instructions",
              "heap client / server KiB", "stack KiB", "bytes c2s / s2c", "library flash KiB",
              "library RAM KiB"]
    return [f"Generated from `{MCU_RUN}/`:", ""] + table(header, ["---"] + ["---:"] * 6, body)


SCHEMES_X86 = "results/x86_64-2026-11-26-schemes"
SCHEMES_ARMHF = "results/armhf-2026-11-26-schemes"
# Row label -> how its case differs from results.HEADLINE; a credential without a chain has depth 0.
OPENSSL_SCHEMES: list[tuple[str, results.Fields]] = [
    ("ECDSA P-256 certificates, 1.3", {}),
    ("resumed (tickets), 1.3", {"resumption": "tickets"}),
    ("external PSK psk_dhe_ke, 1.3", {"scheme": "psk-dhe", "depth": 0}),
    ("external PSK psk_ke, 1.3", {"scheme": "psk", "depth": 0}),
    ("external PSK (plain), 1.2", {"scheme": "psk", "depth": 0, "version": "TLSv1.2"}),
    ("raw public keys (P-256), 1.3", {"scheme": "rpk", "depth": 0}),
    ("password (TLS-SRP 2048), 1.2", {"scheme": "srp", "depth": 0, "version": "TLSv1.2"}),
    ("ECDSA P-256 + X25519MLKEM768, 1.3", {"group": "X25519MLKEM768"}),
    ("ML-DSA-44 certificates, 1.3", {"scheme": "mldsa44"}),
    ("ML-DSA-44 + X25519MLKEM768, 1.3", {"scheme": "mldsa44", "group": "X25519MLKEM768"}),
    ("ML-DSA-65 certificates, 1.3", {"scheme": "mldsa65"}),
]
WOLFSSL_SCHEMES: list[tuple[str, results.Fields]] = [
    ("ECDSA P-256 certificates, 1.3", {}),
    ("ECDSA P-256 + Kyber768 (round 3), 1.3", {"group": "Kyber768"}),
    ("ECDSA P-256 + P384Kyber768, 1.3", {"group": "P384Kyber768"}),
    ("Dilithium2 certificates, 1.3", {"scheme": "dilithium2"}),
    ("Dilithium3 certificates, 1.3", {"scheme": "dilithium3"}),
    ("Dilithium2 + P384Kyber768, 1.3", {"scheme": "dilithium2", "group": "P384Kyber768"}),
]


def scheme_rows(build: str, rows: list[tuple[str, results.Fields]], root: Path,
                x86_column: Callable[[Counters], str]) -> list[list[str]]:
    """One row per scheme: an x86-64 column, Cortex-A7 instructions, bytes, link times."""
    x86 = load_folder(SCHEMES_X86, root)[build]
    armhf = load_folder(SCHEMES_ARMHF, root)[build]
    body = []
    for label, differs in rows:
        fields = results.headline(**differs)
        c, a = figures(x86, fields, "median"), figures(armhf, fields)
        if c is None or a is None:
            raise results.ResultsError(f"{build}: no results for {label} ({fields})")
        body.append([label, x86_column(c),
                     pair(a["client_instructions"], a["server_instructions"], 2, 1e6),
                     pair(c["bytes_c2s"], c["bytes_s2c"]), number(c["tta_ms_nb-iot"]),
                     number(c["tta_ms_6lowpan"])])
    return body


def schemes_openssl(root: Path) -> list[str]:
    body = scheme_rows("openssl-3.5", OPENSSL_SCHEMES, root,
                       lambda c: pair(c["client_cpu_us"], c["server_cpu_us"]))
    header = ["scheme (openssl-3.5)", "CPU µs client / server", "M instr. Cortex-A7",
              "bytes c2s / s2c", "NB-IoT ms", "6LoWPAN ms"]
    return [f"Generated from `{SCHEMES_X86}/` (medians) and `{SCHEMES_ARMHF}/`:", ""] + \
        table(header, ["---"] + ["---:"] * 5, body)


def schemes_wolfssl(root: Path) -> list[str]:
    body = scheme_rows("wolfssl-5.7", WOLFSSL_SCHEMES, root, lambda c: pair(
        c["client_instructions"], c["server_instructions"], 2, 1e6))
    header = ["scheme (wolfssl-5.7)", "M instr. x86-64", "M instr. Cortex-A7",
              "bytes c2s / s2c", "NB-IoT ms", "6LoWPAN ms"]
    return [f"Generated from `{SCHEMES_X86}/` and `{SCHEMES_ARMHF}/`:", ""] + \
        table(header, ["---"] + ["---:"] * 5, body)


def scaling(root: Path) -> list[str]:
    """The headline's full handshakes (scaling.headline_curves: TLS 1.3, else 1.2) at one thread
    and at the most threads every build ran, shared context and context per connection, with the
    efficiency; "–" where a build has no figure."""
    runs = load_folder(SCALING_RUN, root)
    chosen = [(build, found) for build in sorted(runs, key=build_order)
              if (found := headline_curves(runs[build], ("shared-ctx", "ctx-per-conn")))]
    shared_counts = [set(curve) for _, (_, curves) in chosen for curve in curves]
    most = max(set.intersection(*shared_counts), default=None) if shared_counts else None

    def value(curve: dict[int, float], threads: Optional[int]) -> str:
        return number(curve[threads]) if threads in curve else "–"

    body = []
    for build, (version, curves) in chosen:
        cells = [build, version_label(version)]
        for curve in curves:
            eff = efficiency(curve, most) if most else None
            cells += [value(curve, 1), value(curve, most),
                      number(eff, 2) if eff is not None else "–"]
        body.append(cells)
    most_label = f"{most} threads" if most else "most threads"
    header = ["build", "TLS", "shared context: 1 thread", most_label, "efficiency",
              "context per connection: 1 thread", most_label, "efficiency"]
    return [f"Generated from `{SCALING_RUN}/` (pairs/s; efficiency = pairs/s ÷ (threads × "
            "one-thread pairs/s)):", ""] + table(header, ["---", "---"] + ["---:"] * 6, body)


# The device estimates: the profiles' arches' runs, and the headline run as the host (server CPU,
# network share).
DEVICE_RUNS = (MCU_RUN, IOT_RUNS["armhf (Cortex-A7)"], IOT_RUNS["aarch64 (Cortex-A53)"],
               HEADLINE_RUN)
PROFILES = "bench/device_profiles.json"
LINKS = "bench/link_profiles.json"


def device_estimates(root: Path) -> tuple[list[device_model.Profile],
                                          dict[str, list[device_model.Estimate]]]:
    """The committed profiles and, per profile, its estimates of the headline scheme in
    build_order."""
    profiles = device_model.load_profiles(str(root / PROFILES), str(root / LINKS))
    runs = [run for folder in DEVICE_RUNS for run in load_folder(folder, root).values()]
    found: dict[str, list[device_model.Estimate]] = {}
    for profile in profiles:
        rows, _ = device_model.estimates(runs, profile)
        found[profile.name] = sorted((e for e in rows
                                      if e.fields["scheme"] == results.HEADLINE["scheme"]),
                                     key=lambda e: build_order(e.build))
    return profiles, found


def devices(root: Path) -> list[str]:
    """Per device (CPU, clock, CPI) and build: device and server CPU, and per link the network
    share and the total with its CPU share; the host build the server and network come from."""
    profiles, found = device_estimates(root)
    links = list(dict.fromkeys(p.link.name for p in profiles))
    body = []
    for device in dict.fromkeys(p.device() for p in profiles):
        mine = {p.link.name: {e.build: e for e in found[p.name]}
                for p in profiles if p.device() == device}
        for build in dict.fromkeys(b for per_link in mine.values() for b in per_link):
            any_link = next(per_link[build] for per_link in mine.values() if build in per_link)
            cells = [f"{device[0]}: {build}", any_link.tls(), device_model.ms(
                any_link.device_cpu_ms), device_model.ms(any_link.server_cpu_ms)]
            for link in links:
                e = mine.get(link, {}).get(build)
                cells.append(f"{device_model.ms(e.network_ms)} / {device_model.ms(e.total_ms)} "
                             f"({device_model.percent(e.cpu_share)})" if e else "–")
            body.append(cells + [any_link.host.backend])
    cpis = ", ".join(dict.fromkeys(f"{p.cpu}: CPI {p.cpi:g}" for p in profiles))
    link_text = "; ".join(dict.fromkeys(p.link.describe() for p in profiles))
    folders = ", ".join(f"`{f}/`" for f in DEVICE_RUNS[:-1])
    header = ["device: build", "TLS", "device CPU ms", "server CPU ms"] + [
        f"{link}: network / total ms (CPU share)" for link in links] + ["server and network from"]
    return [f"Generated from `{PROFILES}` ({cpis}) and `{LINKS}` ({link_text}). Device CPU = "
            f"`client_instructions` × CPI ÷ clock, from `<folder>/<build>-<arch>.json` in "
            f"{folders}; server CPU = `server_cpu_us` and network = `tta_ms_<link>` less its CPU "
            f"part (per repetition, averaged) of the host build's `{HEADLINE_RUN}/<build>-x86_64"
            ".json`. ECDSA P-256 certificates, full mTLS handshake, X25519 unless the TLS column "
            "names another group:", ""] + table(
        header, ["---", "---"] + ["---:"] * (2 + len(links)) + ["---"], body)


def devices_summary(root: Path) -> list[str]:
    """Per device, on the first link of its profiles: the fastest and the slowest build."""
    profiles, found = device_estimates(root)
    body = []
    link = profiles[0].link if profiles else None
    for profile in profiles:
        rows = sorted(found[profile.name], key=lambda e: e.total_ms)
        if profile.link != link or not rows:
            continue
        body.append([profile.cpu] + [f"{e.build}: {device_model.ms(e.total_ms)} "
                                     f"({device_model.percent(e.cpu_share)} CPU)" for e in (rows[0], rows[-1])])
    where = link.describe() if link else "–"
    cpis = "/".join(dict.fromkeys(f"{p.cpi:g}" for p in profiles))
    return [f"Generated from `{PROFILES}` (CPI {cpis}) and the committed results ({where}; total "
            "ms, the share of it that is CPU):", ""] + table(
        ["device", "fastest build", "slowest build"], ["---", "---", "---"], body)


def yardstick_pairs(folders: tuple[str, ...], root: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """The handshake pairs of yardstick folders, a later folder's replacing an earlier's:
    (build, their fuzzer) -> its result."""
    runs = report_fuzz.load_yardsticks([str(root / f / "fuzz-yardstick.json") for f in folders])
    return {(r["build"], r["fuzzer"]): r for r in runs if r["target"] in HANDSHAKE_TARGETS}


def speed_ratio(result: dict[str, Any]) -> str:
    return yardstick.ratio(result["ours"]["exec_per_s"], result["theirs"]["exec_per_s"])


def fuzz_yardstick(root: Path) -> list[str]:
    short = yardstick_pairs(YARDSTICK_RUNS, root)
    long = yardstick_pairs(YARDSTICK_LONG_RUNS, root)
    body = []
    for (build, fuzzer), r in sorted(short.items(), key=lambda item: build_order(item[0][0])):
        theirs, ours = r["theirs"], r["ours"]
        at_10 = long.get((build, fuzzer))
        body.append([f"{build} {fuzzer} → {r['target']}", number(theirs["exec_per_s"]),
                     number(ours["exec_per_s"]), speed_ratio(r),
                     pair(theirs["library_edges"], ours["library_edges"]),
                     speed_ratio(at_10) if at_10 else "–",
                     pair(at_10["theirs"]["library_edges"], at_10["ours"]["library_edges"])
                     if at_10 else "–"])
    header = ["pair (theirs → ours)", "exec/s theirs", "exec/s ours", "ours/theirs",
              "library edges theirs / ours", "10 min: exec/s ours/theirs", "10 min: library edges"]
    folders = ", ".join(f"`{folder}/`" for folder in YARDSTICK_RUNS + YARDSTICK_LONG_RUNS)
    return [f"Generated from {folders} (90 s per pair, and 10 min; a later folder's pairs "
            "replacing an earlier's):", ""] + table(header, ["---"] + ["---:"] * 6, body)


BLOCKS: dict[str, Callable[[Path], list[str]]] = {
    "headline": headline,
    "iot-instructions": iot_instructions,
    "mcu": mcu,
    "schemes-openssl": schemes_openssl,
    "schemes-wolfssl": schemes_wolfssl,
    "scaling": scaling,
    "devices": devices,
    "devices-summary": devices_summary,
    "fuzz-yardstick": fuzz_yardstick,
}


def documents(root: Path) -> list[Path]:
    found: list[Path] = []
    for pattern in DOCUMENTS:
        found += sorted(root.glob(pattern))
    return found


def blocks_in(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of each block's body: the lines between its markers."""
    lines = text.split("\n")
    found: list[tuple[str, int, int]] = []
    open_at, name = -1, ""
    for i, line in enumerate(lines):
        match = BEGIN.fullmatch(line.strip())
        if match:
            open_at, name = i + 1, match.group(1)
        elif line.strip() == END and open_at >= 0:
            found.append((name, open_at, i))
            open_at = -1
    return found


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table_rows(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """A Markdown table's header and its rows keyed by their first cell."""
    header: list[str] = []
    rows: dict[str, list[str]] = {}
    for line in lines:
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        if not header:
            header = cells(line)
        else:
            rows[cells(line)[0]] = cells(line)
    return header, rows


def differences(label: str, committed: list[str], generated: list[str]) -> list[str]:
    """Every number (table cell) or line of `committed` that `generated` does not agree with."""
    found = [f"{label}: line {line!r} is not what the results give"
             for line in committed if not line.startswith("|") and line not in generated]
    header, have_rows = table_rows(committed)
    want_header, want_rows = table_rows(generated)
    if header != want_header:
        found.append(f"{label}: header {header} where the results give {want_header}")
    for key, row in have_rows.items():
        want = want_rows.get(key)
        if want is None:
            found.append(f"{label}: row {key!r} has no results")
            continue
        for i, (have, expect) in enumerate(zip(row, want)):
            if have != expect:
                column = want_header[i] if i < len(want_header) else str(i)
                found.append(f"{label}: {key}, {column}: {have} where the results give {expect}")
        if len(row) != len(want):
            found.append(f"{label}: row {key!r} has {len(row)} cells, the results {len(want)}")
    found += [f"{label}: row {key!r} is missing" for key in want_rows if key not in have_rows]
    return found


def process(root: Path, write: bool) -> list[str]:
    """Compares every block in the documents with the results; rewrites them when asked."""
    found: list[str] = []
    for path in documents(root):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        spans = blocks_in(text)
        for name, start, end in reversed(spans):
            label = f"{path.relative_to(root)} [{name}]"
            if name not in BLOCKS:
                found.append(f"{label}: no such figure block (known: {', '.join(BLOCKS)})")
                continue
            generated = BLOCKS[name](root)
            found += differences(label, lines[start:end], generated)
            lines[start:end] = generated
        if write and spans:
            new_text = "\n".join(lines)
            if new_text != text:
                path.write_text(new_text, encoding="utf-8")
    return found


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the blocks in place")
    mode.add_argument("--check", action="store_true",
                      help="exit 1 naming each number that differs from the results")
    parser.add_argument("--root", type=Path, default=REPO, help="repository root")
    args = parser.parse_args(argv)
    if not (args.write or args.check):
        for name, block in BLOCKS.items():
            print("\n".join([f"<!-- figures:{name} -->"] + block(args.root) + [END, ""]))
        return 0
    found = process(args.root, args.write)
    if args.check:
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
