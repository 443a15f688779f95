"""The report's scaling section: handshake pairs per second of the threads/ suite against the number
of threads, the efficiency (pairs/s ÷ (threads × one-thread pairs/s); 1 = linear) and, where the
run has them, the harness ÷ bare-loop ratio of harness-overhead/ at the same thread counts.

One section per machine (core count and CPU model from the runs' context), since thread scaling
says nothing across machines. Emulated runs have no meaningful time and are left out.
"""
from __future__ import annotations

from typing import Optional

from report_doc import Chart, Section, Table, anchor
from results import HEADLINE, HEADLINE_VERSIONS, Run

# A threads/ row's handshake: (version, resumption, contexts) from its case fields.
Handshake = tuple[str, str, str]
Curve = dict[int, float]  # threads -> value


def machine_of(run: Run) -> tuple[int, str]:
    return int(run.context.get("num_cpus", 0)), str(run.context.get("cpu", "unknown CPU"))


def curves(run: Run, suite: str, counter: str) -> dict[Handshake, Curve]:
    """Per handshake of `suite`, the counter's value (mean over repetitions) per thread count."""
    found: dict[Handshake, Curve] = {}
    for name in run.select(lambda fields: fields.get("suite") == suite):
        row, value = run.row(name), run.value(name, counter)
        if row is None or value is None:
            continue
        fields = run.fields[name]
        handshake = (fields["version"], fields["resumption"], fields["contexts"])
        found.setdefault(handshake, {})[int(row.get("threads", 1))] = float(value)
    return found


def efficiency(curve: Curve, threads: int) -> Optional[float]:
    if 1 not in curve or threads not in curve or curve[1] <= 0:
        return None
    return curve[threads] / (threads * curve[1])


def version_label(version: str) -> str:
    return version.replace("TLSv", "")


def thread_columns(counts: list[int]) -> list[str]:
    return [f"{t} thr." for t in counts]


def throughput_table(runs: list[Run], counts: list[int]) -> Table:
    rows = []
    for run in runs:
        for (version, resumption, contexts), curve in sorted(
                curves(run, "threads", "items_per_second").items()):
            cells = []
            for t in counts:
                if t not in curve:
                    cells.append("–")
                    continue
                eff = efficiency(curve, t)
                cells.append(f"{curve[t]:,.0f}" + (f" ({eff:.2f})" if eff is not None else ""))
            rows.append([run.backend, version_label(version), resumption, contexts] + cells)
    return Table(["build", "TLS", "handshake", "contexts"] + thread_columns(counts), rows,
                 [False] * 4 + [True] * len(counts))


def overhead_table(runs: list[Run], counts: list[int]) -> Optional[Table]:
    rows = []
    for run in runs:
        for (version, _, _), curve in sorted(curves(run, "harness-overhead",
                                                    "harness_per_bare").items()):
            rows.append([run.backend, version_label(version)] +
                        [f"{curve[t]:.2f}" if t in curve else "–" for t in counts])
    if not rows:
        return None
    return Table(["build", "TLS"] + thread_columns(counts), rows,
                 [False] * 2 + [True] * len(counts))


OVERHEAD_TEXT = (
    "Harness ÷ bare loop (`harness-overhead/…/threads:N`, counter `harness_per_bare`): the"
    " harness's handshakes per second over the library's own bare loop, each run on every thread"
    " at once (wall time less run-queue wait); 1 means the harness adds nothing, below 1 it costs,"
    " and a ratio that falls as threads grow would mean contention the harness adds.")


def headline_curves(run: Run, contexts: tuple[str, ...] = (HEADLINE["contexts"],)
                    ) -> Optional[tuple[str, list[Curve]]]:
    """The version and pairs/s curves of the headline's handshake (full) in each of these
    context modes: TLS 1.3 where the build has them all, else TLS 1.2."""
    found = curves(run, "threads", "items_per_second")
    for version in HEADLINE_VERSIONS:
        chosen = [found.get((version, HEADLINE["resumption"], c)) for c in contexts]
        if all(chosen):
            return version, [curve for curve in chosen if curve]
    return None


def efficiency_chart(cores: int, cpu: str, runs: list[Run]) -> Optional[Chart]:
    import report_charts as charts  # only for charts: readme_figures uses the tables alone

    series = []
    for run in runs:
        found = headline_curves(run)
        if found is None or 1 not in found[1][0]:
            continue
        version, (curve,) = found
        series.append((f"{run.backend} ({version_label(version)})",
                       {t: e for t in curve if (e := efficiency(curve, t)) is not None}))
    if not series:
        return None
    return Chart(f"scaling-{cores}-cores-{anchor(cpu)}", f"scaling on {cores} cores ({cpu})",
                 charts.lines(f"Full handshakes, shared context: efficiency on {cores} cores",
                              "threads", "efficiency (1 = linear)", series, reference=1.0))


def scaling_sections(runs: list[Run]) -> list[Section]:
    """One section per machine, for the runs that have threads/ rows."""
    by_machine: dict[tuple[int, str], list[Run]] = {}
    for run in runs:
        if not run.emulated and curves(run, "threads", "items_per_second"):
            by_machine.setdefault(machine_of(run), []).append(run)
    sections = []
    for (cores, cpu), machine_runs in sorted(by_machine.items()):
        counts = sorted({t for run in machine_runs
                         for curve in curves(run, "threads", "items_per_second").values()
                         for t in curve})
        section = Section(
            f"Scaling on {cores} cores ({cpu})",
            "Verified mutual-auth handshake pairs per second with client and server of each pair"
            " on one thread (ECDSA P-256, depth 1, X25519), and in brackets the efficiency:"
            " pairs/s ÷ (threads × one-thread pairs/s), 1 = linear; higher is better."
            " `shared-ctx`: one context pair shared by all threads, as a server holds one (resumed"
            " handshakes then share its session cache and ticket keys); `ctx-per-conn`: contexts"
            " created for every connection. A machine with fewer cores than threads shows the"
            " scheduler, not the library.",
            [throughput_table(machine_runs, counts)])
        overhead = overhead_table(machine_runs, counts)
        if overhead:
            section.blocks += [OVERHEAD_TEXT, overhead]
        chart = efficiency_chart(cores, cpu, machine_runs)
        if chart:
            section.blocks.append(chart)
        sections.append(section)
    return sections
