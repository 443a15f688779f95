#!/usr/bin/python3
"""Writes a performance report (report.md + SVG plots) from mtls-bench JSON files: any backends,
versions and arches. For every certificate scheme, the backends side by side on the full mutual-auth
handshake (TLS 1.3 where the backend has it, X25519, chain depth 1): client and server CPU, bytes each
way, heap, retained memory, executed instructions per arch, the extra cost of client
authentication, time to authenticate per link profile, thread scaling per machine, and a summary
naming the cheapest build per metric and arch. Times come only from runs that were not emulated.

Runs with Debian's python3-matplotlib (/usr/bin/python3).
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from typing import Any, NoReturn, Optional

import matplotlib

matplotlib.use("svg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: small, searchable files
matplotlib.rcParams["svg.hashsalt"] = "mtls-bench"  # same input, same file: reviewable diffs
import matplotlib.pyplot as plt  # noqa: E402

from results import ResultsError, Run, headline, load_runs  # noqa: E402
from scaling import scaling_section  # noqa: E402

# The figures the report shows, in order: (counter, unit divisor, unit); labels and direction come
# from the results' description of the counters.
METRICS = [
    ("client_cpu_us", 1, "µs"),
    ("server_cpu_us", 1, "µs"),
    ("client_instructions", 1e6, "M"),
    ("server_instructions", 1e6, "M"),
    ("bytes_c2s", 1, "B"),
    ("bytes_s2c", 1, "B"),
    ("flights", 1, ""),
    ("client_heap_peak", 1024, "KiB"),
    ("server_heap_peak", 1024, "KiB"),
    ("conn_retained_bytes", 1024, "KiB"),
    ("handshake_floor_ratio", 1, "×"),
]


def label_of(runs: list[Run], counter: str) -> str:
    for run in runs:
        described = run.counter_descriptions().get(counter)
        if described:
            return str(described["description"])
    return counter


def link_counters(runs: list[Run]) -> list[tuple[str, str]]:
    """(counter, label) of the modelled time to authenticate per link profile: the counters the
    description gives in ms (mtls-bench models one per link it has a profile for), labelled with
    the link's name where the description names it."""
    for run in runs:
        found = [(name, c.get("link", c["description"]))
                 for name, c in run.counter_descriptions().items() if c["unit"] == "ms"]
        if found:
            return found
    return []


def value_or_nan(run: Run, case: Optional[str], counter: str) -> float:
    """A figure for a plot: NaN (no bar) where it is missing, never a zero."""
    value = run.value(case, counter)
    return math.nan if value is None else value


def schemes_of(runs: list[Run]) -> list[str]:
    for run in runs:
        if run.description and "certificate_schemes" in run.description:
            return list(run.description["certificate_schemes"])
    return []


def footprint_section(plots: str, footprints: dict[str, Run]) -> list[str]:
    """Flash and RAM of the statically linked minimal client per build, TLS library share apart."""
    out = []
    for arch, footprint in sorted(footprints.items()):
        data = footprint.data
        rows = [e for e in data["footprint"] if e["role"] == "client"]
        if not rows:
            continue
        labels = [e["backend_id"] for e in rows]
        fig, axes = plt.subplots(1, 2, figsize=(max(6.0, 0.9 * len(rows) + 2), 3.4))
        for ax, total, tls, title in (
                (axes[0], "flash_bytes", "tls_flash_bytes", "flash (code + constants)"),
                (axes[1], "ram_bytes", "tls_ram_bytes", "static RAM (data + bss)")):
            library = [e[tls] / 1024 for e in rows]
            rest = [(e[total] - e[tls]) / 1024 for e in rows]
            ax.bar(labels, library, color="#4472c4", label="TLS + crypto libraries")
            ax.bar(labels, rest, bottom=library, color="#a5a5a5", label="harness + C/C++ runtime")
            ax.set_title(f"{arch}: {title}", fontsize=9)
            ax.set_ylabel("KiB")
            ax.tick_params(axis="x", rotation=35, labelsize=7)
            ax.spines[["top", "right"]].set_visible(False)
        axes[0].legend(fontsize=6)
        fig.suptitle("Statically linked minimal mTLS client", fontsize=10)
        fig.tight_layout()
        file = f"footprint-{arch}.svg"
        fig.savefig(os.path.join(plots, file), metadata={"Date": None})
        plt.close(fig)
        out += [f"![footprint on {arch}](plots/{file})", ""]
        missing = [f"{m['backend_id']} ({m['reason']})" for m in data.get("not_linkable", [])]
        if missing:
            out += [f"Not statically linkable on {arch}: {'; '.join(missing)}.", ""]
    return out


def headline_case(run: Run, scheme: str, mutual: bool = True, **fields: Any) -> Optional[str]:
    """The headline handshake in `scheme`: TLS 1.3 where the build has it, else TLS 1.2."""
    return run.find_headline(auth="mtls" if mutual else "server-auth", scheme=scheme, **fields)


def bar_plot(path: str, title: str, unit: str, labels: list[str], values: list[float]) -> None:
    fig, ax = plt.subplots(figsize=(max(4.0, 0.55 * len(labels) + 1.5), 3.2))
    bars = ax.bar(range(len(labels)), values, color="#4472c4")
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right", fontsize=8)
    ax.set_ylabel(unit)
    ax.set_title(title, fontsize=10)
    ax.bar_label(bars, fmt="%.3g", fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)


def metric_section(out: list[str], plots: str, runs: list[Run], scheme: str) -> None:
    lines = []
    for counter, divisor, unit in METRICS:
        label = label_of(runs, counter)
        labels, values = [], []
        for run in runs:
            case = headline_case(run, scheme)
            v = run.value(case, counter)
            if case and v is not None:
                tls13 = run.fields[case]["version"] == "TLSv1.3"
                labels.append(f"{run.backend} {run.arch}" + ("" if tls13 else " (1.2)"))
                values.append(v / divisor)
        if not values:
            continue
        file = f"{scheme}-{counter}.svg"
        bar_plot(os.path.join(plots, file), f"{scheme}: {label} per mTLS handshake", unit, labels,
                 values)
        lines.append(f"![{scheme} {label}](plots/{file})")
    if lines:
        out.append(f"### {scheme}\n")
        out.extend(lines)
        out.append("")


def client_auth_cost(runs: list[Run]) -> list[str]:
    out = ["| build | arch | scheme | server cost, mTLS / server-auth | extra bytes c2s |",
           "|---|---|---|---:|---:|"]
    for run in runs:
        for scheme in schemes_of(runs):
            mtls, baseline = headline_case(run, scheme), headline_case(run, scheme, mutual=False)
            if not mtls or not baseline:
                continue
            counter = "server_instructions" if run.emulated else "server_cpu_us"
            a, b = run.value(mtls, counter), run.value(baseline, counter)
            with_auth, without = run.value(mtls, "bytes_c2s"), run.value(baseline, "bytes_c2s")
            extra = ("–" if with_auth is None or without is None
                     else f"{with_auth - without:+.0f}")
            if a and b:
                unit = "instructions" if run.emulated else "CPU"
                out.append(f"| {run.backend} | {run.arch} | {scheme} | {a / b:.2f}× ({unit}) | "
                           f"{extra} |")
    return out if len(out) > 2 else []


# Lightweight and post-quantum mutual authentication against certificates: (label, case name).
_LIGHTWEIGHT_FIELDS: list[tuple[str, dict[str, Any]]] = [
    ("ECDSA P-256 certificates, 1.3", {"scheme": "ecdsa-p256"}),
    ("ECDSA P-256 certificates, 1.2", {"scheme": "ecdsa-p256", "version": "TLSv1.2"}),
    ("resumed (tickets), 1.3", {"scheme": "ecdsa-p256", "resumption": "tickets"}),
    ("external PSK psk_dhe_ke, 1.3", {"scheme": "psk-dhe", "depth": 0}),
    ("external PSK psk_ke, 1.3", {"scheme": "psk", "depth": 0}),
    ("external PSK ECDHE-PSK, 1.2", {"scheme": "psk-dhe", "depth": 0, "version": "TLSv1.2"}),
    ("external PSK PSK, 1.2", {"scheme": "psk", "depth": 0, "version": "TLSv1.2"}),
    ("raw public keys (P-256), 1.3", {"scheme": "rpk", "depth": 0}),
    ("raw public keys (P-256), 1.2", {"scheme": "rpk", "depth": 0, "version": "TLSv1.2"}),
    ("password (TLS-SRP), 1.2", {"scheme": "srp", "depth": 0, "version": "TLSv1.2"}),
    ("ECDSA P-256 + X25519MLKEM768, 1.3", {"scheme": "ecdsa-p256", "group": "X25519MLKEM768"}),
    ("ML-DSA-44 certificates, 1.3", {"scheme": "mldsa44"}),
    ("ML-DSA-44 + X25519MLKEM768, 1.3", {"scheme": "mldsa44", "group": "X25519MLKEM768"}),
    ("ML-DSA-65 certificates, 1.3", {"scheme": "mldsa65"}),
    ("ML-DSA-65 + X25519MLKEM768, 1.3", {"scheme": "mldsa65", "group": "X25519MLKEM768"}),
    # wolfSSL 5.7's pre-standard counterparts (only wolfSSL speaks them).
    ("ECDSA P-256 + Kyber768 (round 3), 1.3", {"scheme": "ecdsa-p256", "group": "Kyber768"}),
    ("ECDSA P-256 + P384Kyber768 (round 3), 1.3",
     {"scheme": "ecdsa-p256", "group": "P384Kyber768"}),
    ("Dilithium2 certificates, 1.3", {"scheme": "dilithium2"}),
    ("Dilithium2 + P384Kyber768, 1.3", {"scheme": "dilithium2", "group": "P384Kyber768"}),
    ("Dilithium3 certificates, 1.3", {"scheme": "dilithium3"}),
    ("Dilithium3 + P384Kyber768, 1.3", {"scheme": "dilithium3", "group": "P384Kyber768"}),
]
LIGHTWEIGHT = [(label, headline(**fields))
               for label, fields in _LIGHTWEIGHT_FIELDS]


def lightweight_section(plots: str, runs: list[Run]) -> list[str]:
    """Per build: each lightweight scheme next to certificate mTLS, with a plot of the cost."""
    out = ["| build | arch | scheme | client | server | bytes c2s / s2c | flights | NB-IoT ms |"
           " 6LoWPAN ms |", "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    plotted = []
    for run in runs:
        # Per side: instructions on emulated CPUs, CPU time elsewhere.
        metric, scale, digits, unit = (("instructions", 1e6, 2, " M") if run.emulated
                                       else ("cpu_us", 1, 0, " µs"))
        found = [(label, run.find(**fields)) for label, fields in LIGHTWEIGHT]
        present = [(label, case) for label, case in found if case]
        if len(present) < 2:
            continue
        for label, case in present:
            def fmt(counter: str, scale: float = 1, digits: int = 0) -> str:
                v = run.value(case, counter)
                return "–" if v is None else f"{v / scale:,.{digits}f}"
            sides = [fmt(f"{side}_{metric}", scale, digits) + unit for side in ("client", "server")]
            out.append(f"| {run.backend} | {run.arch} | {label} | {sides[0]} | {sides[1]} | "
                       f"{fmt('bytes_c2s')} / {fmt('bytes_s2c')} | {fmt('flights')} | "
                       f"{fmt('tta_ms_nb-iot')} | {fmt('tta_ms_6lowpan')} |")
        if not run.emulated:
            base = run.value(present[0][1], "server_cpu_us")
            values = [value_or_nan(run, case, "server_cpu_us") / base if base else math.nan
                      for _, case in present]
            plotted.append((f"{run.backend} {run.arch}", [label for label, _ in present], values))
    if len(out) == 2:
        return []
    if plotted:
        labels = [label for label, _ in LIGHTWEIGHT]
        width = 0.8 / len(plotted)
        for i, (build, present_labels, values) in enumerate(plotted):
            xs = [labels.index(label) + i * width for label in present_labels]
            ax.bar(xs, values, width, label=build)
        ax.set_xticks([x + 0.4 - width / 2 for x in range(len(labels))], labels, rotation=25,
                      ha="right", fontsize=7)
        ax.set_ylabel("server CPU / certificate mTLS 1.3")
        ax.set_title("Lightweight and post-quantum mutual authentication: server CPU relative"
                     " to ECDSA P-256 certificates", fontsize=9)
        ax.legend(fontsize=6, ncol=3)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        fig.savefig(os.path.join(plots, "lightweight-schemes.svg"), metadata={"Date": None})
        out += ["", "![lightweight schemes](plots/lightweight-schemes.svg)"]
    plt.close(fig)
    return out + [""]


def link_section(plots: str, runs: list[Run]) -> list[str]:
    cases = [(run, headline_case(run, "ecdsa-p256")) for run in runs if not run.emulated]
    cases = [(run, case) for run, case in cases if case]
    links = link_counters(runs)
    if not cases or not links:
        return []
    fig, ax = plt.subplots(figsize=(7, 3.8))
    width = 0.8 / max(1, len(cases))
    for i, (run, case) in enumerate(cases):
        values = [value_or_nan(run, case, counter) for counter, _ in links]
        ax.bar([x + i * width for x in range(len(links))], values, width,
               label=f"{run.backend} {run.arch}")
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(links))],
                  [label for _, label in links], rotation=20, ha="right", fontsize=7)
    ax.set_ylabel("ms")
    ax.set_title("ecdsa-p256 mTLS: modelled time to authenticate per link", fontsize=10)
    ax.legend(fontsize=6, ncol=2)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(os.path.join(plots, "time-to-authenticate.svg"), metadata={"Date": None})
    plt.close(fig)
    return ["![time to authenticate per link](plots/time-to-authenticate.svg)", ""]


def mcu_section(plots: str, runs: list[Run]) -> list[str]:
    """Microcontroller firmware (scripts/bench --arch cortex-m4 …): its figures per library
    configuration, and the same handshake's instructions on every CPU measured."""
    mcu_runs = [run for run in runs if "board" in run.context]
    if not mcu_runs:
        return []
    out = ["TLS 1.3 mTLS, ECDSA P-256 certificates (root → leaf), per handshake, on qemu-system-arm's"
           " boards. Instructions are executed instructions, not cycles; heap is the peak during a"
           " handshake beyond what the side's context holds (in brackets); the boards have 4 MiB of"
           " RAM, real parts far less. Flash is text + rodata + initial data, RAM is data + bss,"
           " of the TLS library as linked into the firmware.", "",
           "| build | arch | group | client M insn | server M insn | heap client / server KiB |"
           " stack client / server KiB | bytes c2s / s2c | library flash KiB | library RAM KiB |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for run in mcu_runs:
        for group in ("P-256", "X25519"):
            case = run.find(**headline(group=group))  # the firmware runs each group
            row = run.row(case) if case else None
            if row is None:
                continue
            kib = lambda key: row[key] / 1024  # noqa: E731
            out.append(
                f"| {run.backend} | {run.arch} | {group} | {row['client_instructions'] / 1e6:.2f} | "
                f"{row['server_instructions'] / 1e6:.2f} | {kib('client_heap_peak'):.1f}"
                f" ({kib('client_context_heap'):.1f}) / {kib('server_heap_peak'):.1f}"
                f" ({kib('server_context_heap'):.1f}) | {kib('client_stack_peak'):.1f} / "
                f"{kib('server_stack_peak'):.1f} | {row['bytes_c2s']:.0f} / {row['bytes_s2c']:.0f} | "
                f"{kib('library_flash_bytes'):.1f} | {kib('library_ram_bytes'):.1f} |")
    # The same case on every CPU, for the libraries the microcontrollers run.
    libraries = {run.context.get("backend") for run in mcu_runs}
    out += ["", "The same handshake on every CPU with instruction counts, for the libraries the"
            " microcontrollers run: instructions per side (x86-64: callgrind; the others: the"
            " qemu plugin).", "", "| arch | build | group | client M insn | server M insn |",
            "|---|---|---|---:|---:|"]
    labels, values = [], []
    for run in sorted(runs, key=lambda r: (r.arch, r.backend)):
        for group in ("P-256", "X25519"):
            case = run.find(**headline(group=group))  # the firmware runs each group
            client = run.value(case, "client_instructions")
            server = run.value(case, "server_instructions")
            if run.context.get("backend") not in libraries or client is None or server is None:
                continue
            out.append(f"| {run.arch} | {run.backend} | {group} | {client / 1e6:.2f} | "
                       f"{server / 1e6:.2f} |")
            if group == "P-256":
                labels.append(f"{run.backend} {run.arch}")
                values.append((client + server) / 1e6)
    bar_plot(os.path.join(plots, "mcu-instructions.svg"),
             "TLS 1.3 mTLS, ECDSA P-256 + P-256: instructions per handshake pair", "M instructions",
             labels, values)
    return out + ["", "![instructions per handshake on every CPU](plots/mcu-instructions.svg)", ""]


def summary(runs: list[Run]) -> list[str]:
    out = ["| arch | metric | cheapest build + scheme | value |", "|---|---|---|---:|"]
    for arch in sorted({run.arch for run in runs}):
        for counter, divisor, unit in METRICS:
            label = label_of(runs, counter)
            best: Optional[tuple[float, str]] = None
            for run in (r for r in runs if r.arch == arch):
                for scheme in schemes_of(runs):
                    case = headline_case(run, scheme)
                    v = run.value(case, counter)
                    if v is not None and (best is None or v < best[0]):
                        best = (v, f"{run.backend} {scheme}")
            if best:
                out.append(f"| {arch} | {label} | {best[1]} | {best[0] / divisor:,.2f} {unit} |")
    return out


class Arguments(argparse.Namespace):
    inputs: list[str]
    out: str


class BadInput(Exception):
    """Input the report cannot use: one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadInput(f"{message} (see --help)")


def json_files(path: str) -> list[str]:
    """A file as it is; a directory as the JSON files in it (a footprint.json among them is read
    as the footprint of its arch)."""
    if not os.path.isdir(path):
        return [path]
    files = sorted(os.path.join(path, name) for name in os.listdir(path) if name.endswith(".json"))
    if not files:
        raise BadInput(f"{path}: no .json results in it")
    return files


def parse_arguments(argv: list[str]) -> Arguments:
    """The one parser of scripts/report's flags: checks the inputs can be read and creates the
    output directory (default: the first input's directory)."""
    parser = _Parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", help="mtls-bench JSON files (any builds and arches), "
                        "or directories of them (a scripts/bench --out)")
    parser.add_argument("--out", help="directory for report.md and plots/ (default: the first "
                        "input if it is a directory, else the directory of the first JSON)")
    args = Arguments()
    _, unknown = parser.parse_known_intermixed_args(argv, namespace=args)
    if unknown:
        raise BadInput(f"unknown argument '{unknown[0]}' (see --help)")
    if not args.inputs:
        raise BadInput("no results given (see --help)")
    for path in args.inputs:
        if not os.access(path, os.R_OK):
            raise BadInput(f"{path}: cannot read")
    first = args.inputs[0]
    args.out = args.out or (first if os.path.isdir(first) else os.path.dirname(first)) or "."
    args.inputs = [file for path in args.inputs for file in json_files(path)]
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        raise BadInput(f"{args.out}: cannot create") from error
    return args


def main() -> int:
    try:
        args = parse_arguments(sys.argv[1:])
        runs, footprints = load_runs(args.inputs, with_footprints_beside=True)
    except (BadInput, ResultsError) as error:
        print(f"report: {error}", file=sys.stderr)
        return 2
    runs.sort(key=lambda r: (r.arch, r.backend))
    plots = os.path.join(args.out, "plots")
    os.makedirs(plots, exist_ok=True)

    out = ["# mTLS performance report", "",
           "Full mutual-auth handshakes (TLS 1.3 where the build has it, else 1.2; X25519; chain"
           " root → leaf), both peers verified in every counted handshake. Lower is better"
           " except where a section says otherwise (scaling: pairs/s and efficiency are better"
           " higher). CPU times are omitted for emulated runs (their instruction counts are"
           " exact).", "", "## Runs", "",
           "| build | version | arch | CPU | date | commit |", "|---|---|---|---|---|---|"]
    for run in runs:
        c = run.context
        out.append(f"| {run.backend} | {c.get('backend_version', '?')} | {run.arch} | "
                   f"{c.get('emulated_cpu', c.get('cpu', '?'))} | {c.get('date', '?')} | "
                   f"{c.get('commit', c.get('project_commit', '?'))} |")
    cheapest = summary(runs)
    if len(cheapest) > 2:  # more than the table's header
        out += ["", "## Cheapest per metric", ""] + cheapest + [""]
    cost = client_auth_cost(runs)
    if cost:
        out += ["## What client authentication adds (mTLS against the server-auth baseline)", ""]
        out += cost + [""]
    lightweight = lightweight_section(plots, runs)
    if lightweight:
        out += ["## Lightweight and post-quantum schemes against certificate mTLS",
                "", "CPU per side (instructions on emulated CPUs), bytes, flights and modelled time"
                " to authenticate of external PSK, raw public keys, resumption and post-quantum"
                " key exchange and certificates, next to ECDSA P-256 certificate mTLS on the same"
                " build.", ""] + lightweight
    mcu = mcu_section(plots, runs)
    if mcu:
        out += ["## Microcontrollers", ""] + mcu
    links = link_section(plots, runs)
    if links:
        out += ["## Time to authenticate per link (host runs)", ""] + links
    out += scaling_section(plots, runs)
    footprint = footprint_section(plots, footprints)
    if footprint:
        out += ["## Code and static memory footprint", ""] + footprint
    per_scheme: list[str] = []
    for scheme in schemes_of(runs):
        metric_section(per_scheme, plots, runs, scheme)
    if per_scheme:
        out += ["## Per scheme", ""] + per_scheme
    report = os.path.join(args.out, "report.md")
    with open(report, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"report: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
