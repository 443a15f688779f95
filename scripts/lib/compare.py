#!/usr/bin/python3
"""Compares two benchmark runs (scripts/report compare A B): two builds, versions, commits or
machines. A and B are mtls-bench JSON files, or directories of them (files paired by name; a
footprint.json of scripts/footprint compares flash, RAM and stack per endpoint).

Times (client_cpu_us / server_cpu_us of a handshake, cpu_time or real_time of the other suites)
are compared over the repetitions with a two-sided Mann-Whitney U test, as Google Benchmark's
compare.py does; a change counts when it is significant (p < alpha) and larger than the time
threshold. Counts that do not depend on the clock (instructions, bytes, flights, allocations, heap,
retained memory, stack, flash) are compared exactly when every repetition agrees, and with the same
test as times when they vary: a change counts when it is larger than the count threshold. A case
that verified in A and fails in B is a regression too.

Prints a Markdown table of the changes; exit status 1 when any regression counts (a CI gate),
2 on bad input, else 0. Runs with Debian's python3-scipy (/usr/bin/python3).
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from typing import Any, Optional

from scipy.stats import mannwhitneyu

from results import ResultsError, Run, exact_counters, uses_real_time

# The family of benchmarks that only measures the harness itself (not a property of the backend).
SKIPPED_SUITES = ("harness-overhead",)
HANDSHAKE_TIMES = ["client_cpu_us", "server_cpu_us"]

Row = tuple[str, str, float, float, float, Optional[float], str]


def load(path: str) -> Run:
    run = Run(path)
    for case in [c for c in run.names(with_errors=True) if run.suite(c) in SKIPPED_SUITES]:
        run.repetitions.pop(case, None)
        run.means.pop(case, None)
        run.errors.pop(case, None)
    return run


def label(run: Run) -> tuple[str, str, str, str]:
    c = run.context
    build = f"{c.get('backend_id', '?')} ({c.get('backend_version', '?')})"
    cpu = c.get("emulated_cpu", c.get("cpu", "?"))
    return build, f"{c.get('arch', '?')}, {cpu}", c.get("date", "?"), c.get("commit", "?")


def count_metrics(run_a: Run, run_b: Run) -> list[str]:
    """The clock-independent counters of the runs' description; the figures of a footprint or of
    microcontroller firmware (described by no binary) are all counts."""
    for run in (run_a, run_b):
        if run.description is not None and run.counter_descriptions():
            return exact_counters(run.description)
    figures = [k for r in run_a.rows().values() for k, v in r.items() if isinstance(v, (int, float))]
    return list(dict.fromkeys(figures))


def time_metrics(run: Run, case: str) -> list[str]:
    if run.suite(case) == "handshake":
        return HANDSHAKE_TIMES
    row = run.row(case)
    return ["real_time" if row is not None and uses_real_time(row) else "cpu_time"]


def min_p_value(n_a: int, n_b: int) -> float:
    """The smallest two-sided p the U test can give for these sample sizes."""
    return min(1.0, 2 / math.comb(n_a + n_b, n_a)) if n_a and n_b else 1.0


def relative_change(a: float, b: float) -> float:
    if a == 0:
        return 0.0 if b == 0 else math.inf
    return b / a - 1


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def compare_pair(run_a: Run, run_b: Run, args: argparse.Namespace
                 ) -> tuple[list[Row], list[str], int]:
    """Rows (case, metric, a, b, change, p, verdict) for every metric both runs have."""
    rows: list[Row] = []
    notes: list[str] = []
    p: Optional[float]
    timed = not (run_a.emulated or run_b.emulated)
    if not timed:
        notes.append("emulated run: times are not compared, only counts")
    smallest_p = 1.0
    common = [c for c in run_a.names() if c in run_b.names()]
    exact = count_metrics(run_a, run_b)
    for case in common:
        if timed:
            for metric in time_metrics(run_a, case):
                a, b = run_a.samples(case, metric), run_b.samples(case, metric)
                if not a or not b:
                    continue
                change = relative_change(mean(a), mean(b))
                if len(a) > 1 and len(b) > 1:
                    p = mannwhitneyu(a, b, alternative="two-sided").pvalue
                    smallest_p = min(smallest_p, min_p_value(len(a), len(b)))
                else:
                    p = math.nan
                verdict = judge(change, args.time_threshold, significant=p < args.alpha)
                rows.append((case, metric, mean(a), mean(b), change, p, verdict))
        for metric in exact:
            a, b = run_a.samples(case, metric), run_b.samples(case, metric)
            if not a or not b:
                continue
            change = relative_change(mean(a), mean(b))
            if len(set(a)) > 1 or len(set(b)) > 1:
                # Varies between repetitions (e.g. heap with a library's caches): not exact, so
                # tested like a time.
                p = mannwhitneyu(a, b, alternative="two-sided").pvalue
                verdict = judge(change, args.count_threshold, significant=p < args.alpha)
            else:
                p, verdict = None, judge(change, args.count_threshold, significant=change != 0)
            rows.append((case, metric, mean(a), mean(b), change, p, verdict))
    for case, reason in run_b.errors.items():
        if case in run_a.repetitions or case in run_a.means:
            rows.append((case, "verified", 1, 0, -1.0, None, f"regression: now fails: {reason}"))
    for case, reason in run_a.errors.items():
        if case in run_b.repetitions or case in run_b.means:
            rows.append((case, "verified", 0, 1, math.inf, None, "improvement: now verifies"))
    if timed and smallest_p >= args.alpha:
        notes.append(f"too few repetitions for a time change to reach p < {args.alpha}: times are "
                     "not judged (scripts/bench keeps 9 repetitions by default)")
    only_a = len([c for c in run_a.names() if c not in run_b.names() and c not in run_b.errors])
    only_b = len([c for c in run_b.names() if c not in run_a.names() and c not in run_a.errors])
    if only_a or only_b:
        notes.append(f"{only_a} cases only in A, {only_b} only in B (not compared)")
    return rows, notes, len(common)


def judge(change: float, threshold_pct: float, significant: bool) -> str:
    """'regression' / 'improvement' past the threshold, 'small change' below it."""
    if not significant:
        return "no change"
    if abs(change) * 100 < threshold_pct:
        return "small change"
    return "regression" if change > 0 else "improvement"


def pair_inputs(a: str, b: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(A file, B file) pairs: two files, or the files of two directories with the same name."""
    if os.path.isfile(a) and os.path.isfile(b):
        return [(a, b)], []
    if os.path.isdir(a) and os.path.isdir(b):
        names_a = {n for n in os.listdir(a) if n.endswith(".json")}
        names_b = {n for n in os.listdir(b) if n.endswith(".json")}
        pairs = [(os.path.join(a, n), os.path.join(b, n)) for n in sorted(names_a & names_b)]
        if not pairs:
            raise ResultsError(f"{a} and {b} have no result file name in common")
        unpaired = sorted(names_a ^ names_b)
        return pairs, [f"not compared (in one run only): {', '.join(unpaired)}"] if unpaired else []
    for path in (a, b):
        if not os.path.exists(path):
            raise ResultsError(f"{path}: no such file or directory")
    raise ResultsError("compare two files or two directories, not one of each")


def fmt(value: Any, metric: str) -> str:
    if isinstance(value, (int, float)) and metric in ("client_instructions", "server_instructions"):
        return f"{value / 1e6:.3f} M"
    if metric in ("client_cpu_us", "server_cpu_us"):
        return f"{value:.1f} µs"
    if metric in ("cpu_time", "real_time"):
        return f"{value:.2f}"
    return f"{value:,.0f}"


def fmt_change(change: float) -> str:
    return "new" if math.isinf(change) else f"{change * 100:+.1f}%"


def main() -> int:
    parser = argparse.ArgumentParser(prog="scripts/report compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", help="baseline: mtls-bench JSON or a directory of them")
    parser.add_argument("b", help="contender: the same kind as A")
    parser.add_argument("--alpha", type=float, default=0.05, help="significance level (0.05)")
    parser.add_argument("--time-threshold", type=float, default=5.0,
                        help="smallest time change in %% that counts (5)")
    parser.add_argument("--count-threshold", type=float, default=1.0,
                        help="smallest change of instructions, bytes or memory in %% that "
                        "counts (1)")
    parser.add_argument("--all", action="store_true",
                        help="list every metric, also changes below the thresholds")
    args = parser.parse_args()
    if not 0 < args.alpha < 1 or args.time_threshold < 0 or args.count_threshold < 0:
        parser.error("--alpha must lie in (0, 1) and the thresholds must not be negative")
    try:
        pairs, unpaired = pair_inputs(args.a, args.b)
        runs = [(load(a), load(b)) for a, b in pairs]
    except ResultsError as e:
        print(f"report compare: {e}", file=sys.stderr)
        return 2

    regressions = improvements = 0
    print(f"# Comparison: A = {args.a}, B = {args.b}\n")
    print(f"Times: Mann-Whitney U over repetitions, p < {args.alpha} and change ≥ "
          f"{args.time_threshold:g}%; counts: exact, change ≥ {args.count_threshold:g}%. "
          "Lower is better for every metric.\n")
    for note in unpaired:
        print(f"- {note}")
    for run_a, run_b in runs:
        rows, notes, compared = compare_pair(run_a, run_b, args)
        print(f"\n## {os.path.basename(run_a.path)} → {os.path.basename(run_b.path)}\n")
        print("| | A | B |\n|---|---|---|")
        for field, va, vb in zip(("build", "arch, CPU", "date", "commit"), label(run_a),
                                 label(run_b)):
            print(f"| {field} | {va} | {vb} |")
        print()
        for note in notes:
            print(f"- {note}")
        found: dict[str, int] = {"regression": 0, "improvement": 0, "small change": 0}
        for row in rows:
            kind = row[-1].split(":")[0]
            found[kind] = found.get(kind, 0) + 1
        rows = [row for row in rows if args.all or row[-1].split(":")[0] in
                ("regression", "improvement")]
        if rows:
            print("\n| case | metric | A | B | change | p | verdict |")
            print("|---|---|---|---|---|---|---|")
        for case, metric, a, b, change, p, verdict in rows:
            p_text = "" if p is None else "-" if math.isnan(p) else \
                f"{p:.3f}" if p >= 0.001 else "<0.001"
            print(f"| {case} | {metric} | {fmt(a, metric)} | {fmt(b, metric)} | "
                  f"{fmt_change(change)} | {p_text} | {verdict} |")
        print(f"\n{compared} cases compared: {found['regression']} regressions, "
              f"{found['improvement']} improvements, {found['small change']} changes below the "
              "threshold.")
        regressions += found["regression"]
        improvements += found["improvement"]
    verdict = "FAIL" if regressions else "ok"
    print(f"\n**{verdict}**: {regressions} regressions, {improvements} improvements in total.")
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
