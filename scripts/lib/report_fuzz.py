"""The fuzzing yardstick in the report: our fuzz targets beside the libraries' own fuzzers, from
the fuzz-yardstick.json files scripts/fuzz --upstream writes."""
from __future__ import annotations

import json
from typing import Any

import fuzz_yardstick
import report_charts as charts
from report_doc import Chart, Section, Table
from results import ResultsError

KIND = "fuzz-yardstick"


def is_yardstick(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return False  # results.py names what is wrong with it
    return isinstance(data, dict) and data.get("kind") == KIND


def load_yardsticks(paths: list[str]) -> list[dict[str, Any]]:
    """Every pair's run of the files, their shape checked."""
    runs: list[dict[str, Any]] = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        for run in data.get("runs", []):
            try:
                fuzz_yardstick.table([run])
            except (KeyError, TypeError) as error:
                raise ResultsError(f"{path}: a run lacks {error} (not scripts/fuzz --upstream "
                                   "output)") from error
            runs.append(run)
    return runs


def context_table(runs: list[dict[str, Any]]) -> Table:
    """The builds the yardstick ran on, with the machine and commit of their first pair (runs
    from before the context was recorded show "?")."""
    rows: dict[str, list[str]] = {}
    for run in runs:
        c = run.get("context", {})
        rows.setdefault(run["build"], [
            run["build"], str(c.get("backend_version", "?")), str(c.get("arch", "?")),
            str(c.get("cpu", "?")), str(c.get("num_cpus", "?")), str(c.get("date", "?")),
            str(c.get("commit", "?"))])
    return Table(["build", "version", "arch", "CPU", "cores", "date", "commit"],
                 list(rows.values()))


def yardstick_section(runs: list[dict[str, Any]]) -> Section:
    section = Section(
        "Fuzzing throughput: ours beside the libraries' own fuzzers",
        "Each pair ran for the same time at the same time, one core each, from its own seeds,"
        " on the same instrumented library build unless the note says otherwise. Higher is"
        " better; ours/theirs above 1 is ours ahead. Library edges count only the library's code"
        " the final corpus covers (libFuzzer's `cov` includes each harness's own code, so it is"
        " not comparable between harnesses).")
    if not runs:
        return section
    section.blocks.append(Table(fuzz_yardstick.HEADER, fuzz_yardstick.table(runs),
                                [False] * 3 + [True] * 6 + [False]))
    labels = [f"{r['build']} {r['fuzzer']} / {r['target']}" for r in runs]
    seconds = sorted({r["seconds"] for r in runs})
    note = f"{', '.join(map(str, seconds))} s per pair"
    for key, title, unit, name in (
            ("exec_per_s", "executions per second", "exec/s", "fuzz-yardstick-exec"),
            ("library_edges", "library edges covered", "edges", "fuzz-yardstick-edges")):
        figure = charts.client_server_bars(
            title, unit, labels, [(float(r["theirs"][key]), 0.0) for r in runs],
            [(float(r["ours"][key]), 0.0) for r in runs], note, sides=("theirs", "ours"))
        section.blocks.append(Chart(name, f"{title}: upstream's fuzzer and ours per pair",
                                    figure))
    return section
