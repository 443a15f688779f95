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
import argparse
import json
import math
import os
import sys

from scipy.stats import mannwhitneyu

# Counters that do not depend on the clock, and the family of benchmarks that only measures the
# harness itself (not a property of the backend).
COUNT_METRICS = ["client_instructions", "server_instructions", "peak_stack_bytes", "bytes_c2s",
                 "bytes_s2c", "flights", "client_allocs", "server_allocs", "client_heap_peak",
                 "server_heap_peak", "conn_retained_bytes", "flash_bytes", "ram_bytes",
                 "tls_flash_bytes", "tls_ram_bytes"]
HANDSHAKE_TIMES = ["client_cpu_us", "server_cpu_us"]
SKIPPED_FAMILIES = ("harness-overhead/",)


class InputError(Exception):
    pass


class Run:
    """One mtls-bench JSON: context, per-case repetitions and errors."""

    def __init__(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            self.context = data["context"]
            if "footprint" in data:  # scripts/footprint --out: one entry per endpoint
                entries = [{**e, "run_name": f"footprint/{e['backend_id']}/{e['role']}"}
                           for e in data["footprint"]]
            else:
                entries = data["benchmarks"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(f"{path}: not a Google Benchmark JSON file ({e})") from e
        self.path = path
        self.emulated = "emulated_cpu" in self.context
        self.repetitions = {}  # case -> [entry per repetition]
        self.means = {}  # case -> mean aggregate (files written with aggregates only)
        self.errors = {}
        for e in entries:
            name = e.get("run_name", e.get("name", "?"))
            if name.startswith(SKIPPED_FAMILIES):
                continue
            if e.get("error_occurred"):
                self.errors[name] = e.get("error_message", "error")
            elif e.get("run_type") == "aggregate":
                if e.get("aggregate_name") == "mean":
                    self.means[name] = e
            else:
                self.repetitions.setdefault(name, []).append(e)

    def cases(self):
        return list(dict.fromkeys([*self.repetitions, *self.means]))

    def samples(self, case, metric):
        values = [e[metric] for e in self.repetitions.get(case, []) if metric in e]
        if not values and metric in self.means.get(case, {}):
            values = [self.means[case][metric]]
        return values

    def label(self):
        c = self.context
        build = f"{c.get('backend_id', '?')} ({c.get('backend_version', '?')})"
        cpu = c.get("emulated_cpu", c.get("cpu", "?"))
        return build, f"{c.get('arch', '?')}, {cpu}", c.get("date", "?"), c.get("commit", "?")


def time_metrics(case):
    if case.startswith("handshake/"):
        return HANDSHAKE_TIMES
    return ["real_time" if "/real_time" in case else "cpu_time"]


def min_p_value(n_a, n_b):
    """The smallest two-sided p the U test can give for these sample sizes."""
    return min(1.0, 2 / math.comb(n_a + n_b, n_a)) if n_a and n_b else 1.0


def relative_change(a, b):
    if a == 0:
        return 0.0 if b == 0 else math.inf
    return b / a - 1


def mean(values):
    return sum(values) / len(values)


def compare_pair(run_a, run_b, args):
    """Rows (case, metric, a, b, change, p, verdict) for every metric both runs have."""
    rows, notes = [], []
    timed = not (run_a.emulated or run_b.emulated)
    if not timed:
        notes.append("emulated run: times are not compared, only counts")
    smallest_p = 1.0
    common = [c for c in run_a.cases() if c in run_b.cases()]
    for case in common:
        if timed:
            for metric in time_metrics(case):
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
        for metric in COUNT_METRICS:
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
    only_a = len([c for c in run_a.cases() if c not in run_b.cases() and c not in run_b.errors])
    only_b = len([c for c in run_b.cases() if c not in run_a.cases() and c not in run_a.errors])
    if only_a or only_b:
        notes.append(f"{only_a} cases only in A, {only_b} only in B (not compared)")
    return rows, notes, len(common)


def judge(change, threshold_pct, significant):
    """'regression' / 'improvement' past the threshold, 'small change' below it."""
    if not significant:
        return "no change"
    if abs(change) * 100 < threshold_pct:
        return "small change"
    return "regression" if change > 0 else "improvement"


def pair_inputs(a, b):
    """(A file, B file) pairs: two files, or the files of two directories with the same name."""
    if os.path.isfile(a) and os.path.isfile(b):
        return [(a, b)], []
    if os.path.isdir(a) and os.path.isdir(b):
        names_a = {n for n in os.listdir(a) if n.endswith(".json")}
        names_b = {n for n in os.listdir(b) if n.endswith(".json")}
        pairs = [(os.path.join(a, n), os.path.join(b, n)) for n in sorted(names_a & names_b)]
        if not pairs:
            raise InputError(f"{a} and {b} have no result file name in common")
        unpaired = sorted(names_a ^ names_b)
        return pairs, [f"not compared (in one run only): {', '.join(unpaired)}"] if unpaired else []
    for path in (a, b):
        if not os.path.exists(path):
            raise InputError(f"{path}: no such file or directory")
    raise InputError("compare two files or two directories, not one of each")


def fmt(value, metric):
    if isinstance(value, (int, float)) and metric in ("client_instructions", "server_instructions"):
        return f"{value / 1e6:.3f} M"
    if metric in ("client_cpu_us", "server_cpu_us"):
        return f"{value:.1f} µs"
    if metric in ("cpu_time", "real_time"):
        return f"{value:.2f}"
    return f"{value:,.0f}"


def fmt_change(change):
    return "new" if math.isinf(change) else f"{change * 100:+.1f}%"


def main():
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
        runs = [(Run(a), Run(b)) for a, b in pairs]
    except InputError as e:
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
        for field, va, vb in zip(("build", "arch, CPU", "date", "commit"), run_a.label(),
                                 run_b.label()):
            print(f"| {field} | {va} | {vb} |")
        print()
        for note in notes:
            print(f"- {note}")
        found = {"regression": 0, "improvement": 0, "small change": 0}
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
