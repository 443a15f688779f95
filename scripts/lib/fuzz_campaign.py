#!/usr/bin/python3
"""A fuzzing campaign's outcome from scripts/fuzz --campaign's runs (fuzz_runner result.json files,
each with its coverage series): campaign.json (every run's figures and curve), campaign.txt (per
build and target, the structure-aware mutator against libFuzzer's own: final coverage, features,
corpus, exec/s, and the time each needed to reach the other's final coverage) and one SVG per
build and target, coverage over time with a line per mutator.

  fuzz_campaign.py --out DIR RESULT_JSON...

A RESULT_JSON may also be an earlier campaign.json: its runs join the new ones (a campaign on
another build added to a committed set; a run of the same build, target and mutator replaces it).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Optional

import matplotlib

matplotlib.use("svg")
matplotlib.rcParams["svg.fonttype"] = "none"
import matplotlib.pyplot as plt  # noqa: E402

SECONDS, EXECUTIONS, COV, FT, CORPUS = range(5)  # columns of a series point


def time_to_reach(series: list[list[float]], coverage: float) -> Optional[float]:
    """Seconds until the run's coverage first reached `coverage` (None: never)."""
    return next((point[SECONDS] for point in series if point[COV] >= coverage), None)


def when_reached(seconds: Optional[float]) -> str:
    return "not reached" if seconds is None else f"after {seconds / 60:.1f} min"


def by_build_and_target(runs: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for run in runs:
        groups.setdefault((run["build"], run["target"]), []).append(run)
    return groups


def compare(runs: list[dict[str, Any]]) -> list[str]:
    """Lines of campaign.txt: each run's final figures, and per pair of mutators on one build and
    target, when each reached the other's final coverage."""
    lines = [f"{'build':<14} {'target':<14} {'mutator':<16} {'cov':>6} {'ft':>7} {'corpus':>6} "
             f"{'exec/s':>7}  reached the other's final cov"]
    for (build, target), group in by_build_and_target(runs).items():
        for run in group:
            others = [o for o in group if o is not run]
            reached = "; ".join(
                f"{o['mutator']}'s {o['cov']}: {when_reached(time_to_reach(run['series'], o['cov']))}"
                for o in others)
            lines.append(f"{build:<14} {target:<14} {run['mutator']:<16} {run['cov']:>6} "
                         f"{run['ft']:>7} {run['corpus']:>6} {run['exec_per_s']:>7.0f}  {reached}")
    return lines


def plot(build: str, target: str, group: list[dict[str, Any]], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(7, 4))
    for run in group:
        series = run["series"]
        ax.plot([p[SECONDS] / 60 for p in series], [p[COV] for p in series],
                label=f"{run['mutator']} mutator ({run['exec_per_s']:,.0f} exec/s)")
    ax.set_xlabel("minutes")
    ax.set_ylabel("coverage (edges, libFuzzer's cov)")
    jobs = group[0].get("fork") or 1
    ax.set_title(f"{build} {target}: coverage over time ({jobs} job{'s' * (jobs > 1)})",
                 fontsize=10)
    ax.legend(fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("results", nargs="+", metavar="RESULT_JSON")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for path in args.results:
        try:
            loaded = json.loads(Path(path).read_text())
        except (OSError, ValueError) as error:
            print(f"campaign: {path}: {error}", file=sys.stderr)
            return 2
        is_campaign = isinstance(loaded, dict) and loaded.get("kind") == "fuzz-campaign"
        for run in loaded.get("runs", []) if is_campaign else [loaded]:
            missing = [key for key in ("build", "target", "mutator", "series", "cov")
                       if not isinstance(run, dict) or key not in run]
            if missing:
                print(f"campaign: {path}: not a fuzz_runner result (no {', '.join(missing)})",
                      file=sys.stderr)
                return 2
            found[(run["build"], run["target"], run["mutator"])] = run
    runs = list(found.values())
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "campaign.json").write_text(json.dumps(
        {"kind": "fuzz-campaign", "runs": runs}, indent=1) + "\n")
    text = "\n".join(compare(runs))
    (args.out / "campaign.txt").write_text(text + "\n")
    print(text)
    for (build, target), group in by_build_and_target(runs).items():
        plot(build, target, group, args.out / f"coverage-{build}-{target}.svg")
    print(f"campaign: {args.out / 'campaign.txt'}, coverage-<build>-<target>.svg", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
