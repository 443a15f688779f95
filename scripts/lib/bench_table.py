#!/usr/bin/python3
"""Prints compact tables from Google Benchmark JSON files written by mtls-bench (one file per
backend build and arch): handshakes with their per-side counters, the harness overhead (paired
on one thread, and on N threads at once), the primitive floor and thread scaling. Means over repetitions; pairs/s shows its coefficient of
variation when there were repetitions.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, NamedTuple, Optional, Sequence

from results import registered_with_threads, Run

HANDSHAKE_COLUMNS = [
    ("pairs/s", "items_per_second", "{:,.0f}"),
    ("cli_cpu_us", "client_cpu_us", "{:.0f}"),
    ("srv_cpu_us", "server_cpu_us", "{:.0f}"),
    ("cli_Minsn", "client_instructions", "{:.2f}", 1e6),
    ("srv_Minsn", "server_instructions", "{:.2f}", 1e6),
    ("stack_KiB", "peak_stack_bytes", "{:.1f}", 1024),
    ("c2s_B", "bytes_c2s", "{:.0f}"),
    ("s2c_B", "bytes_s2c", "{:.0f}"),
    ("flights", "flights", "{:.0f}"),
    ("cli_heap_KiB", "client_heap_peak", "{:.1f}", 1024),
    ("srv_heap_KiB", "server_heap_peak", "{:.1f}", 1024),
    ("conn_KiB", "conn_retained_bytes", "{:.1f}", 1024),
    ("/floor", "handshake_floor_ratio", "{:.2f}"),
    ("nb-iot_ms", "tta_ms_nb-iot", "{:.0f}"),
    ("6lowpan_ms", "tta_ms_6lowpan", "{:.0f}"),
    ("verified", "mutual_auth_verified", "{:.0f}"),
]
OVERHEAD_COLUMNS = [
    ("bare_loop_us", "reference_cpu_us", "{:.0f}"),
    ("harness_us", "harness_cpu_us", "{:.0f}"),
    ("overhead_%", "overhead_pct", "{:+.2f}"),
    ("incl_results_%", "total_overhead_pct", "{:+.2f}"),
]
THREADED_OVERHEAD_COLUMNS = [
    ("bare_loop_wall_us", "reference_wall_us", "{:.0f}"),
    ("harness_wall_us", "harness_wall_us", "{:.0f}"),
    ("harness/bare", "harness_per_bare", "{:.2f}"),
]
PRIMITIVE_COLUMNS = [("us/op", "cpu_time", "{:.1f}")]
THREAD_COLUMNS = [("pairs/s", "items_per_second", "{:,.0f}")]
Column = tuple[Any, ...]


class Section(NamedTuple):
    suite: str
    title: str
    columns: Sequence[Column]
    threaded: Optional[bool] = None  # only the runs registered with (or without) Threads()


SECTIONS = [
    Section("handshake", "Verified handshakes (per handshake pair; KiB = 1024 bytes)",
            HANDSHAKE_COLUMNS),
    Section("harness-overhead", "Harness overhead against the backend's bare loop (paired)",
            OVERHEAD_COLUMNS, threaded=False),
    Section("harness-overhead", "Harness overhead on N threads at once (per thread, wall time "
            "less run-queue wait; harness/bare 1 = none)", THREADED_OVERHEAD_COLUMNS,
            threaded=True),
    Section("primitive", "Public-key floor", PRIMITIVE_COLUMNS),
    Section("threads", "Thread scaling (real time)", THREAD_COLUMNS),
]


class Table:
    """One results file as the tables show it: label, mean rows (times of an emulated run replaced
    by "emu"), coefficients of variation and errors."""

    def __init__(self, path: str):
        self.run = Run(path)
        context = self.run.context
        self.label = f"{context.get('backend_id', '?')} {context.get('arch', '')}".strip()
        if self.run.emulated:
            self.label += f" ({context['emulated_cpu']})"
        self.rows = self.run.rows()
        if self.run.emulated:
            clock = self.run.clock_counters()
            for row in self.rows.values():
                row.update({key: "emu" for key in clock if key in row})
        self.cv = {name: row.get("items_per_second") for name, row in self.run.cvs.items()}
        self.errors = self.run.errors

    def shown_name(self, name: str, suite: str) -> str:
        """Handshakes by their full name, the other suites' benchmarks by the rest of it."""
        return name if suite == "handshake" else name[len(suite) + 1:]


def cell(row: dict[str, Any], column: Column, cv: Optional[float]) -> str:
    key, fmt = column[1], column[2]
    value = row.get(key)
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if len(column) > 3:
        value /= column[3]
    text = fmt.format(value)
    if key == "items_per_second" and cv is not None:
        text += f"±{cv * 100:.0f}%"
    return text


def print_section(section: Section, tables: list[Table]) -> None:
    suite, columns = section.suite, section.columns
    names: list[str] = []
    for table in tables:
        for name in table.run.select(lambda f: f.get("suite") == suite, with_errors=True):
            wanted = section.threaded in (None, registered_with_threads(name))
            if wanted and name not in names:
                names.append(name)
    if not names:
        return
    print(f"== {section.title}")
    if len(columns) == 1:
        print_matrix(suite, names, columns[0], tables)
        return
    for name in names:
        print_block(tables[0].shown_name(name, suite), [(t, name) for t in tables], columns,
                    tables)
    print()


def print_block(title: str, entries: list[tuple[Table, str]], columns: Sequence[Column],
                tables: list[Table]) -> None:
    """One case's rows, a build each: (table, the case's name in it); labels as wide as the
    widest of `tables`, so that blocks line up."""
    label_width = max(len(t.label) for t in tables)
    widths = [max(len(c[0]), 9) for c in columns]
    print(title)
    print(f"  {'backend':<{label_width}}  " + "  ".join(f"{c[0]:>{w}}" for c, w in zip(columns, widths)))
    for t, name in entries:
        if name in t.errors:
            print(f"  {t.label:<{label_width}}  ERROR: {t.errors[name]}")
        elif name in t.rows:
            cells = [f"{cell(t.rows[name], c, t.cv.get(name)):>{w}}" for c, w in zip(columns, widths)]
            print(f"  {t.label:<{label_width}}  " + "  ".join(cells))


def print_headline(tables: list[Table]) -> bool:
    """The headline case of every build (TLS 1.3, else TLS 1.2: results.HEADLINE_VERSIONS), one
    block per case name; False when no build has it."""
    blocks: dict[str, list[tuple[Table, str]]] = {}
    for t in tables:
        name = t.run.find_headline()
        if name is not None:
            blocks.setdefault(name, []).append((t, name))
    for name, entries in blocks.items():
        print_block(name, entries, HANDSHAKE_COLUMNS, tables)
    return bool(blocks)


def print_matrix(suite: str, names: list[str], column: Column, tables: list[Table]) -> None:
    """One row per benchmark, one column per backend build: for single-figure sections."""
    shown = [tables[0].shown_name(n, suite) for n in names]
    name_width = max(len(n) for n in shown)
    widths = [max(len(t.label), 12) for t in tables]
    print(f"  {column[0]:<{name_width}}  " + "  ".join(f"{t.label:>{w}}" for t, w in zip(tables, widths)))
    for name, short in zip(names, shown):
        cells = []
        for t, w in zip(tables, widths):
            text = ("ERROR" if name in t.errors else
                    cell(t.rows[name], column, t.cv.get(name)) if name in t.rows else "-")
            cells.append(f"{text:>{w}}")
        print(f"  {short:<{name_width}}  " + "  ".join(cells))
    print()


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="+", help="mtls-bench --benchmark_out JSON files")
    parser.add_argument("--headline", action="store_true",
                        help="only the headline case (TLS 1.3, else 1.2, per build); exit 3 "
                        "when no build has it")
    args = parser.parse_args(argv)
    tables = [Table(p) for p in args.inputs]
    if args.headline:
        if not print_headline(tables):
            return 3
    else:
        for section in SECTIONS:
            print_section(section, tables)
    errors = sum(len(t.errors) for t in tables)
    if errors:
        print(f"{errors} benchmark(s) stopped with an error" +
              (f" (see {'the full table' if args.headline else 'above'})"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
