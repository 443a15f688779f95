#!/usr/bin/env python3
"""Prints a compact table from Google Benchmark JSON files (one per backend build and arch).

One block per benchmark name, one row per backend build: handshake pairs/s (mean, with the
coefficient of variation over repetitions), CPU per side, bytes each way, flights and whether
every measured handshake verified both peers.
"""
import argparse
import json
import sys

COLUMNS = [
    ("pairs/s", "items_per_second", "{:,.0f}"),
    ("client_cpu_us", "client_cpu_us", "{:.0f}"),
    ("server_cpu_us", "server_cpu_us", "{:.0f}"),
    ("bytes_c2s", "bytes_c2s", "{:.0f}"),
    ("bytes_s2c", "bytes_s2c", "{:.0f}"),
    ("flights", "flights", "{:.0f}"),
    ("mutual_auth_verified", "mutual_auth_verified", "{:.0f}"),
]


def load(path):
    with open(path, encoding="utf-8") as f:
        run = json.load(f)
    context = run["context"]
    label = f"{context.get('backend_id', '?')} {context.get('arch', '')}".strip()
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
            rows.setdefault(name, b)  # single repetition: the run itself
    return label, rows, cv, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()
    runs = [load(p) for p in args.inputs]
    names = []
    for _, rows, _, errors in runs:
        for n in list(rows) + list(errors):
            if n not in names:
                names.append(n)
    label_width = max(len(r[0]) for r in runs)
    header = f"  {'backend':<{label_width}}  " + "  ".join(f"{c[0]:>13}" for c in COLUMNS)
    for name in names:
        print(name)
        print(header)
        for label, rows, cv, errors in runs:
            if name in errors:
                print(f"  {label:<{label_width}}  ERROR: {errors[name]}")
                continue
            if name not in rows:
                continue
            cells = []
            for _, key, fmt in COLUMNS:
                value = rows[name].get(key)
                text = fmt.format(value) if value is not None else "-"
                if key == "items_per_second" and cv.get(name) is not None:
                    text += f" ±{cv[name] * 100:.0f}%"
                cells.append(f"{text:>13}")
            print(f"  {label:<{label_width}}  " + "  ".join(cells))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
