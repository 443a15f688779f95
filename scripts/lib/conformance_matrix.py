#!/usr/bin/python3
"""Merges per-backend mtls-conformance JSON files into the case x backend matrix.

Prints the matrix (pass / rejected-as-expected / deviation / FINDING / unsupported / FAIL, with
the reasons for everything that is not a plain pass or rejection underneath) and optionally writes
it as JSON. FINDING: a hostile client the backend accepts, as its manifest documents.
Exit status 1 when any cell FAILs, 2 (one line on stderr) when an input is not mtls-conformance
JSON.
"""
from __future__ import annotations

import argparse
import json
import sys

from results import ConformanceBackend, read_conformance, ResultsError

# Case name -> backend build id -> its verdict and detail.
Cells = dict[str, dict[str, dict[str, str]]]

SHORT = {
    "pass": "pass",
    "rejected-as-expected": "rejected",
    "deviation": "deviation",
    "finding": "FINDING",
    "unsupported": "unsupported",
    "FAIL": "FAIL",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="+", help="mtls-conformance --json files, one per backend build")
    parser.add_argument("--json", help="write the merged matrix here")
    args = parser.parse_args()

    backends: list[ConformanceBackend] = []
    cells: Cells = {}
    order: list[str] = []
    for path in args.inputs:
        try:
            run = read_conformance(path)
        except ResultsError as error:
            print(f"conformance_matrix: {error}", file=sys.stderr)
            return 2
        backend = run["backend"]
        backends.append(backend)
        for case in run["cases"]:
            if case["name"] not in cells:
                cells[case["name"]] = {}
                order.append(case["name"])
            cells[case["name"]][backend["id"]] = {"verdict": case["verdict"], "detail": case["detail"]}

    ids = [b["id"] for b in backends]
    name_width = max(len(n) for n in order)
    col_width = max(12, *(len(i) for i in ids))
    print(f"{'case':<{name_width}}  " + "  ".join(f"{i:<{col_width}}" for i in ids))
    notes: list[str] = []
    failures = 0
    for name in order:
        row = []
        for backend_id in ids:
            cell = cells[name].get(backend_id)
            if cell is None:
                row.append("-")
                continue
            text = SHORT.get(cell["verdict"], cell["verdict"])
            if cell["verdict"] == "FAIL":
                failures += 1
            if cell["verdict"] in ("deviation", "finding", "unsupported", "FAIL"):
                notes.append(f"[{len(notes) + 1}] {backend_id} {name}: {cell['detail']}")
                text += f" [{len(notes)}]"
            row.append(text)
        print(f"{name:<{name_width}}  " + "  ".join(f"{c:<{col_width}}" for c in row))
    if notes:
        print()
        print("\n".join(notes))
    total = sum(len(v) for v in cells.values())
    print(f"\n{len(order)} cases x {len(ids)} backend builds: {total} cells, {failures} FAIL")

    if args.json:
        merged = {
            "backends": backends,
            "cases": [{"name": n, "results": cells[n]} for n in order],
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(merged, f, indent=2)
            f.write("\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
