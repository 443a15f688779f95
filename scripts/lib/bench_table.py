#!/usr/bin/env python3
"""Prints compact tables from Google Benchmark JSON files written by mtls-bench (one file per
backend build and arch): handshakes with their per-side counters, the harness overhead, the
primitive floor and thread scaling. Means over repetitions; pairs/s shows its coefficient of
variation when there were repetitions.
"""
import argparse
import json
import sys

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
PRIMITIVE_COLUMNS = [("us/op", "cpu_time", "{:.1f}")]
THREAD_COLUMNS = [("pairs/s", "items_per_second", "{:,.0f}")]
SECTIONS = [
    ("handshake/", "Verified handshakes (per handshake pair; KiB = 1024 bytes)", HANDSHAKE_COLUMNS),
    ("harness-overhead/", "Harness overhead against the backend's bare loop (paired)", OVERHEAD_COLUMNS),
    ("primitive/", "Public-key floor", PRIMITIVE_COLUMNS),
    ("threads/", "Thread scaling (real time)", THREAD_COLUMNS),
]


# Columns that are times: meaningless when the run was emulated (scripts/bench --arch).
TIMED = {"items_per_second", "client_cpu_us", "server_cpu_us", "handshake_floor_ratio",
         "tta_ms_nb-iot", "tta_ms_6lowpan", "cpu_time"}


def load(path):
    with open(path, encoding="utf-8") as f:
        run = json.load(f)
    context = run["context"]
    label = f"{context.get('backend_id', '?')} {context.get('arch', '')}".strip()
    if "emulated_cpu" in context:
        label += f" ({context['emulated_cpu']})"
    rows, cv, errors = {}, {}, {}
    for b in run["benchmarks"]:
        name = b.get("run_name", b["name"])
        if b.get("error_occurred"):
            errors[name] = b.get("error_message", "error")
        elif b.get("run_type") == "aggregate":
            if b["aggregate_name"] == "mean":
                rows[name] = b
            elif b["aggregate_name"] == "cv":
                cv[name] = b.get("items_per_second")
        else:
            rows.setdefault(name, b)  # one repetition: the run itself
    if "emulated_cpu" in context:
        for row in rows.values():
            row.update({key: "emu" for key in TIMED if key in row})
    return label, rows, cv, errors


def cell(row, column, cv):
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


def print_section(prefix, title, columns, runs):
    names = []
    for _, rows, _, errors in runs:
        for name in list(rows) + list(errors):
            if name.startswith(prefix) and name not in names:
                names.append(name)
    if not names:
        return
    print(f"== {title}")
    if len(columns) == 1:
        print_matrix(prefix, names, columns[0], runs)
        return
    label_width = max(len(r[0]) for r in runs)
    widths = [max(len(c[0]), 9) for c in columns]
    header = f"  {'backend':<{label_width}}  " + "  ".join(f"{c[0]:>{w}}" for c, w in zip(columns, widths))
    for name in names:
        print(name[len(prefix):] if prefix != "handshake/" else name)
        print(header)
        for label, rows, cv, errors in runs:
            if name in errors:
                print(f"  {label:<{label_width}}  ERROR: {errors[name]}")
            elif name in rows:
                cells = [f"{cell(rows[name], c, cv.get(name)):>{w}}" for c, w in zip(columns, widths)]
                print(f"  {label:<{label_width}}  " + "  ".join(cells))
    print()


def print_matrix(prefix, names, column, runs):
    """One row per benchmark, one column per backend build: for single-figure sections."""
    name_width = max(len(n) - len(prefix) for n in names)
    widths = [max(len(r[0]), 12) for r in runs]
    print(f"  {column[0]:<{name_width}}  " + "  ".join(f"{r[0]:>{w}}" for r, w in zip(runs, widths)))
    for name in names:
        cells = []
        for (label, rows, cv, errors), w in zip(runs, widths):
            text = "ERROR" if name in errors else cell(rows[name], column, cv.get(name)) if name in rows else "-"
            cells.append(f"{text:>{w}}")
        print(f"  {name[len(prefix):]:<{name_width}}  " + "  ".join(cells))
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="+", help="mtls-bench --benchmark_out JSON files")
    args = parser.parse_args()
    runs = [load(p) for p in args.inputs]
    for prefix, title, columns in SECTIONS:
        print_section(prefix, title, columns, runs)
    errors = sum(len(r[3]) for r in runs)
    if errors:
        print(f"{errors} benchmark(s) stopped with an error (see above)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
