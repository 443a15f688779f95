#!/usr/bin/python3
"""Writes a performance report from mtls-bench JSON files (any backends, versions and arches):
report.md with SVG plots for GitHub and report.html, one self-contained page for a browser, both
from one document (report_doc.py). For every certificate scheme, the backends side by side on the
full mutual-auth handshake (TLS 1.3 where the backend has it, X25519, chain depth 1): client and
server CPU, bytes each way, heap, retained memory, executed instructions per arch; the extra cost
of client authentication, lightweight schemes, time to authenticate per link and on device
profiles, certificate compression against none, thread scaling per machine, footprint, and a
summary naming the cheapest build per metric and arch. Times come only from runs that were not
emulated.

Runs with Debian's python3-matplotlib (/usr/bin/python3).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from typing import Any, NoReturn, Optional

import device_model
import report_charts as charts
from report_compression import compression_section
from report_doc import Chart, Report, Section, Table, write_markdown
from report_dtls import dtls_sections
import report_fuzz
from report_fuzz import is_yardstick, load_yardsticks, yardstick_section
from report_html import write_html
from results import ResultsError, Run, headline, load_runs
from scaling import scaling_sections

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
# Per scheme, each side's figure drawn side by side: (client counter, server counter, title,
# divisor, unit, names of the two bars).
SIDE_BY_SIDE = [
    ("client_cpu_us", "server_cpu_us", "CPU time per side", 1, "µs", ("client", "server")),
    ("client_instructions", "server_instructions", "executed instructions per side", 1e6, "M",
     ("client", "server")),
    ("bytes_c2s", "bytes_s2c", "bytes on the wire", 1, "B", ("client → server", "server → client")),
    ("client_heap_peak", "server_heap_peak", "heap peak per side", 1024, "KiB",
     ("client", "server")),
]
SINGLE = [("conn_retained_bytes", 1024, "KiB"), ("handshake_floor_ratio", 1, "×")]

def label_of(runs: list[Run], counter: str) -> str:
    for run in runs:
        described = run.counter_descriptions().get(counter)
        if described:
            return str(described["description"])
    return counter


TTA_PREFIX = "tta_ms_"


def link_counters(runs: list[Run]) -> list[tuple[str, str]]:
    """(counter, label) of the modelled time to authenticate per link profile: tta_ms_<link>
    (mtls-bench models one per link it has a profile for), labelled with the link's name."""
    for run in runs:
        found = [(name, c.get("link", name[len(TTA_PREFIX):]))
                 for name, c in run.counter_descriptions().items()
                 if c["unit"] == "ms" and name.startswith(TTA_PREFIX)]
        if found:
            return found
    return []


def schemes_of(runs: list[Run]) -> list[str]:
    for run in runs:
        if run.description and "certificate_schemes" in run.description:
            return list(run.description["certificate_schemes"])
    return []


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


def footprint_section(footprints: dict[str, Run]) -> Section:
    """Flash and RAM of the statically linked minimal client per build, TLS library share apart."""
    section = Section("Code and static memory footprint",
                      "Flash (code + constants) and static RAM (data + bss) of a statically"
                      " linked minimal mTLS client per build (scripts/footprint); the blue part is"
                      " the TLS and crypto libraries, the grey part the harness and the C/C++"
                      " runtime. Lower is better.")
    for arch, footprint in sorted(footprints.items()):
        rows = [e for e in footprint.data["footprint"] if e["role"] == "client"]
        if not rows:
            continue
        labels = [e["backend_id"] for e in rows]
        fig, axes = charts.plt.subplots(1, 2, figsize=(max(6.0, 0.9 * len(rows) + 2), 3.4))
        for ax, total, tls, title in (
                (axes[0], "flash_bytes", "tls_flash_bytes", "flash (code + constants)"),
                (axes[1], "ram_bytes", "tls_ram_bytes", "static RAM (data + bss)")):
            library = [e[tls] / 1024 for e in rows]
            rest = [(e[total] - e[tls]) / 1024 for e in rows]
            ax.bar(labels, library, color=charts.CLIENT, label="TLS + crypto libraries")
            ax.bar(labels, rest, bottom=library, color="#a5a5a5", label="harness + C/C++ runtime")
            ax.set_title(f"{arch}: {title}", fontsize=9)
            ax.set_ylabel("KiB")
            ax.tick_params(axis="x", rotation=35, labelsize=7)
            ax.spines[["top", "right"]].set_visible(False)
        axes[0].legend(fontsize=6)
        fig.suptitle("Statically linked minimal mTLS client", fontsize=10)
        fig.tight_layout()
        section.blocks.append(Chart(f"footprint-{arch}", f"footprint on {arch}", fig))
        section.blocks.append(Table(
            ["build", "arch", "flash KiB", "of it TLS + crypto", "RAM KiB", "of it TLS + crypto"],
            [[e["backend_id"], arch, f"{e['flash_bytes'] / 1024:,.1f}",
              f"{e['tls_flash_bytes'] / 1024:,.1f}", f"{e['ram_bytes'] / 1024:,.1f}",
              f"{e['tls_ram_bytes'] / 1024:,.1f}"] for e in rows],
            [False, False, True, True, True, True]))
        missing = [f"{m['backend_id']} ({m['reason']})" for m in footprint.not_linkable]
        if missing:
            section.blocks.append(f"Not statically linkable on {arch}: {'; '.join(missing)}.")
    return section


def headline_case(run: Run, scheme: str, mutual: bool = True, **fields: Any) -> Optional[str]:
    """The headline handshake in `scheme`: TLS 1.3 where the build has it, else TLS 1.2."""
    return run.find_headline(auth="mtls" if mutual else "server-auth", scheme=scheme, **fields)


def version_mark(run: Run, case: str) -> str:
    """" (1.2)" where a build's headline fell back to TLS 1.2: never compared unmarked."""
    return "" if run.fields[case]["version"] == "TLSv1.3" else " (1.2)"


def build_label(run: Run, case: str) -> str:
    return f"{run.backend} {run.arch}{version_mark(run, case)}"


def measured(run: Run, case: str, counter: str, divisor: float) -> Optional[tuple[float, float]]:
    """(mean, one standard deviation over the repetitions), in the unit; None where missing."""
    value = run.value(case, counter)
    if value is None:
        return None
    samples = [v / divisor for v in run.samples(case, counter)]
    return (statistics.mean(samples) if samples else value / divisor), charts.spread(samples)


def fmt(value: Optional[float], digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def scheme_section(runs: list[Run], scheme: str) -> Section:
    """One scheme's headline handshake on every build: a table and each side's figures."""
    section = Section(scheme, "")
    cases = [(run, case) for run in runs if (case := headline_case(run, scheme))]
    if not cases:
        return section
    repetitions = max(len(run.samples(case, "client_cpu_us")) or 1 for run, case in cases)
    section.how_to_read = (
        f"The full mutual-auth handshake with {scheme} certificates on each build (TLS 1.3, or"
        f" 1.2 where marked). Lower is better. Bars are the mean over the repetitions (up to"
        f" {repetitions}); the error bars one standard deviation. Instruction counts are exact"
        f" (no error bar); an axis marked log spans more than ten times.")
    rows = []
    for run, case in cases:
        def v(counter: str, divisor: float = 1, digits: int = 0) -> str:
            value = run.value(case, counter)
            return fmt(None if value is None else value / divisor, digits)
        rows.append([build_label(run, case), v("client_cpu_us"), v("server_cpu_us"),
                     v("client_instructions", 1e6, 2), v("server_instructions", 1e6, 2),
                     v("bytes_c2s"), v("bytes_s2c"), v("flights"),
                     v("client_heap_peak", 1024, 1), v("server_heap_peak", 1024, 1),
                     v("conn_retained_bytes", 1024, 1)])
    section.blocks.append(Table(
        ["build", "client µs", "server µs", "client M insn", "server M insn", "bytes c2s",
         "bytes s2c", "flights", "client heap KiB", "server heap KiB", "retained KiB"],
        rows, [False] + [True] * 10))
    for client, server, title, divisor, unit, sides in SIDE_BY_SIDE:
        drawn = [(build_label(run, case), c, s) for run, case in cases
                 if (c := measured(run, case, client, divisor))
                 and (s := measured(run, case, server, divisor))]
        if drawn:
            section.blocks.append(Chart(
                f"{scheme}-{client}", f"{scheme}: {title}",
                charts.client_server_bars(f"{scheme}: {title} per mTLS handshake", unit,
                                          [label for label, _, _ in drawn],
                                          [c for _, c, _ in drawn], [s for _, _, s in drawn],
                                          sides=sides)))
    for counter, divisor, unit in SINGLE:
        drawn_one = [(build_label(run, case), m) for run, case in cases
                     if (m := measured(run, case, counter, divisor))]
        if drawn_one:
            label = label_of(runs, counter)
            section.blocks.append(Chart(
                f"{scheme}-{counter}", f"{scheme}: {label}",
                charts.bars(f"{scheme}: {label} per mTLS handshake", unit,
                            [label for label, _ in drawn_one], [m[0] for _, m in drawn_one],
                            [m[1] for _, m in drawn_one])))
    return section


def client_auth_cost(runs: list[Run]) -> Section:
    section = Section("What client authentication adds",
                      "The server's cost of the mutual-auth handshake over the server-auth"
                      " baseline of the same build and scheme (CPU, or instructions on emulated"
                      " CPUs; 1.00× = free), and the bytes the client's certificate flight adds.")
    rows = []
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
                rows.append([run.backend, run.arch, scheme, f"{a / b:.2f}× ({unit})", extra])
    if rows:
        section.blocks.append(Table(
            ["build", "arch", "scheme", "server cost, mTLS / server-auth", "extra bytes c2s"],
            rows, [False, False, False, True, True]))
    return section


def lightweight_section(runs: list[Run]) -> Section:
    """Per build: each lightweight scheme next to certificate mTLS, with a chart of the cost."""
    section = Section("Lightweight and post-quantum schemes against certificate mTLS",
                      "CPU per side (instructions on emulated CPUs), bytes, flights and modelled"
                      " time to authenticate of external PSK, raw public keys, resumption and"
                      " post-quantum key exchange and certificates, next to ECDSA P-256 certificate"
                      " mTLS on the same build. Lower is better; the chart shows each scheme's"
                      " server CPU relative to certificate mTLS 1.3 on the same build (1 = the"
                      " same cost).")
    rows = []
    plotted: list[tuple[str, dict[str, float]]] = []
    for run in runs:
        # Per side: instructions on emulated CPUs, CPU time elsewhere.
        metric, scale, digits, unit = (("instructions", 1e6, 2, " M") if run.emulated
                                       else ("cpu_us", 1, 0, " µs"))
        present = [(label, case) for label, fields in LIGHTWEIGHT
                   if (case := run.find(**fields))]
        if len(present) < 2:
            continue
        for label, case in present:
            def v(counter: str, scale: float = 1, digits: int = 0) -> str:
                value = run.value(case, counter)
                return fmt(None if value is None else value / scale, digits)
            rows.append([run.backend, run.arch, label,
                         v(f"client_{metric}", scale, digits) + unit,
                         v(f"server_{metric}", scale, digits) + unit,
                         f"{v('bytes_c2s')} / {v('bytes_s2c')}", v("flights"),
                         v("tta_ms_nb-iot"), v("tta_ms_6lowpan")])
        # The base is certificate mTLS 1.3 itself: a build without it (TLS 1.2 only) is not drawn.
        base = run.value(run.find(**headline()), "server_cpu_us")
        if not run.emulated and base:
            plotted.append((f"{run.backend} {run.arch}",
                            {label: value / base for label, case in present
                             if (value := run.value(case, "server_cpu_us")) is not None}))
    if not rows:
        return section
    section.blocks.append(Table(
        ["build", "arch", "scheme", "client", "server", "bytes c2s / s2c", "flights",
         "NB-IoT ms", "6LoWPAN ms"], rows, [False] * 3 + [True] * 6))
    if plotted:
        section.blocks.append(Chart(
            "lightweight-schemes", "lightweight schemes",
            charts.grouped_bars("Server CPU relative to ECDSA P-256 certificates (TLS 1.3)",
                                "server CPU / certificate mTLS 1.3",
                                [label for label, _ in LIGHTWEIGHT], plotted)))
    return section


def link_section(runs: list[Run]) -> Section:
    section = Section("Time to authenticate per link (host runs)",
                      "The modelled time from the first byte to both peers authenticated for the"
                      " ecdsa-p256 mTLS handshake on each link of bench/link_profiles.json: the"
                      " measured CPU of both sides plus, per flight, half a round trip and the"
                      " flight's bytes (with each frame's overhead) at the link's bandwidth."
                      " Lower is better; the axis is logarithmic where the links span more than"
                      " ten times.")
    cases = [(run, case) for run in runs if not run.emulated
             if (case := headline_case(run, "ecdsa-p256"))]
    links = link_counters(runs)
    if not cases or not links:
        return section
    series = [(build_label(run, case),
               {label: value for counter, label in links
                if (value := run.value(case, counter)) is not None}) for run, case in cases]
    section.blocks.append(Table(
        ["build"] + [f"{label} ms" for _, label in links],
        [[name] + [fmt(values.get(label), 1) for _, label in links] for name, values in series],
        [False] + [True] * len(links)))
    section.blocks.append(Chart(
        "time-to-authenticate", "time to authenticate per link",
        charts.grouped_bars("ecdsa-p256 mTLS: modelled time to authenticate per link", "ms",
                            [label for _, label in links], series)))
    return section


def mcu_pair(row: dict[str, float], client: str, server: str, scale: float, digits: int) -> str:
    """"client / server" of two per-side figures, or "–" where the run has none (a real board
    counts cycles, not instructions; qemu the reverse)."""
    if client not in row or server not in row:
        return "–"
    return f"{row[client] / scale:.{digits}f} / {row[server] / scale:.{digits}f}"


def mcu_section(runs: list[Run]) -> Section:
    """Microcontroller firmware (scripts/bench --arch cortex-m4 …, and real boards' results of
    scripts/lava results): its figures per library configuration, and the same handshake's
    instructions on every CPU measured."""
    section = Section("Microcontrollers",
                      "TLS 1.3 mTLS, ECDSA P-256 certificates (root → leaf), per handshake, on"
                      " qemu-system-arm's boards and on real boards. Instructions are executed"
                      " instructions (qemu), not cycles; times are a real board's cycle counter"
                      " over its clock; heap is the peak during a handshake beyond what the side's"
                      " context holds (in brackets), as used: the emulated boards have more RAM"
                      " than real parts. Flash is text + rodata + initial data, RAM is data + bss,"
                      " of the TLS library as linked into the firmware. Lower is better.")
    mcu_runs = [run for run in runs if "board" in run.context]
    if not mcu_runs:
        return section
    rows = []
    for run in mcu_runs:
        for group in ("P-256", "X25519"):
            case = run.find(**headline(group=group))  # the firmware runs each group
            row = run.row(case) if case else None
            if row is None:
                continue
            kib = lambda key: row[key] / 1024  # noqa: E731
            rows.append([run.backend, f"{run.context['board']} ({run.arch})", group,
                         mcu_pair(row, "client_instructions", "server_instructions", 1e6, 2),
                         mcu_pair(row, "client_cpu_us", "server_cpu_us", 1e3, 1),
                         f"{kib('client_heap_peak'):.1f} ({kib('client_context_heap'):.1f}) / "
                         f"{kib('server_heap_peak'):.1f} ({kib('server_context_heap'):.1f})",
                         f"{kib('client_stack_peak'):.1f} / {kib('server_stack_peak'):.1f}",
                         f"{row['bytes_c2s']:.0f} / {row['bytes_s2c']:.0f}",
                         f"{kib('library_flash_bytes'):.1f}", f"{kib('library_ram_bytes'):.1f}"])
    section.blocks.append(Table(
        ["build", "board (CPU)", "group", "client / server M insn", "client / server ms",
         "heap client / server KiB", "stack client / server KiB", "bytes c2s / s2c",
         "library flash KiB", "library RAM KiB"],
        rows, [False] * 3 + [True] * 7))
    # The same case on every CPU, for the libraries the microcontrollers run.
    libraries = {run.context.get("backend") for run in mcu_runs}
    every_cpu, labels, values = [], [], []
    for run in sorted(runs, key=lambda r: (r.arch, r.backend)):
        for group in ("P-256", "X25519"):
            case = run.find(**headline(group=group))  # the firmware runs each group
            client = run.value(case, "client_instructions")
            server = run.value(case, "server_instructions")
            if run.context.get("backend") not in libraries or client is None or server is None:
                continue
            every_cpu.append([run.arch, run.backend, group, f"{client / 1e6:.2f}",
                              f"{server / 1e6:.2f}"])
            if group == "P-256":
                labels.append(f"{run.backend} {run.arch}")
                values.append((client + server) / 1e6)
    section.blocks += [
        "The same handshake on every CPU with instruction counts, for the libraries the"
        " microcontrollers run: instructions per side (x86-64: callgrind; the others: the"
        " qemu plugin).",
        Table(["arch", "build", "group", "client M insn", "server M insn"], every_cpu,
              [False] * 3 + [True] * 2),
        Chart("mcu-instructions", "instructions per handshake on every CPU",
              charts.bars("TLS 1.3 mTLS, ECDSA P-256 + P-256: instructions per handshake pair",
                          "M instructions", labels, values))]
    return section


def failures_section(runs: list[Run]) -> Section:
    """The cases that failed, with the reason the run gave: a build missing from a table above
    is explained here, never silently left out."""
    section = Section("Cases that failed",
                      "Cases a build ran and that did not complete as required (for a handshake:"
                      " both peers verified); they have no figures in the tables above.")
    rows = [[run.backend, run.arch, name, message]
            for run in runs for name, message in run.errors.items()]
    if rows:
        section.blocks.append(Table(["build", "arch", "case", "error"], rows))
    return section


def summary(runs: list[Run]) -> Section:
    section = Section("Cheapest per metric",
                      "Per arch and metric, the build and certificate scheme with the lowest"
                      " figure on the headline mutual-auth handshake (lower is better for every"
                      " metric here).")
    rows = []
    for arch in sorted({run.arch for run in runs}):
        for counter, divisor, unit in METRICS:
            label = label_of(runs, counter)
            best: Optional[tuple[float, str]] = None
            for run in (r for r in runs if r.arch == arch):
                for scheme in schemes_of(runs):
                    case = headline_case(run, scheme)
                    v = run.value(case, counter)
                    if case and v is not None and (best is None or v < best[0]):
                        best = (v, f"{run.backend}{version_mark(run, case)} {scheme}")
            if best:
                rows.append([arch, label, best[1], f"{best[0] / divisor:,.2f} {unit}".rstrip()])
    if rows:
        section.blocks.append(Table(["arch", "metric", "cheapest build + scheme", "value"], rows,
                                    [False, False, False, True]))
    return section


class Arguments(argparse.Namespace):
    inputs: list[str]
    out: str
    device_profiles: str
    devices: Optional[str]
    profiles: list[device_model.Profile]


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
    parser.add_argument("--out", help="directory for report.md, report.html and plots/ (default: "
                        "the first input if it is a directory, else the directory of the first "
                        "JSON)")
    parser.add_argument("--device-profiles", metavar="FILE", default=device_model.DEFAULT_PROFILES,
                        help="device profiles for the time-to-authenticate model (default: "
                        "bench/device_profiles.json; docs/devices.md)")
    parser.add_argument("--devices", metavar="NAME,...",
                        help="only these profiles of the file (default: all)")
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
    names = None if args.devices is None else [n for n in args.devices.split(",") if n]
    if names == []:
        raise BadInput("--devices names no profile (see --help)")
    try:
        args.profiles = device_model.load_profiles(args.device_profiles, device_model.DEFAULT_LINKS,
                                                   names)
    except device_model.DeviceProfileError as error:
        raise BadInput(str(error)) from error
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        raise BadInput(f"{args.out}: cannot create") from error
    return args


def context_table(runs: list[Run]) -> Table:
    """The runs the report is made of (footprint files among them)."""
    rows = []
    for run in runs:
        c = run.context
        rows.append(["footprint" if run.is_footprint else run.backend,
                     str(c.get("backend_version", "–")), run.arch,
                     str(c.get("emulated_cpu", c.get("cpu", "?"))),
                     str(c.get("num_cpus", "–")), str(c.get("date", "?")),
                     str(c.get("commit", c.get("project_commit", "?")))])
    return Table(["build", "version", "arch", "CPU", "cores", "date", "commit"], rows)


def build_report(runs: list[Run], footprints: dict[str, Run],
                 profiles: list[device_model.Profile],
                 yardsticks: Optional[list[dict[str, Any]]] = None) -> Report:
    per_scheme = Section("Per scheme",
                         "Each certificate scheme's headline handshake on every build that has"
                         " it: client and server side by side.",
                         subsections=[scheme_section(runs, s) for s in schemes_of(runs)])
    if not runs and not footprints:
        return Report("mTLS fuzzing report", "This project's fuzz targets beside the libraries' own "
                      "fuzzers (`scripts/fuzz --upstream`).",
                      report_fuzz.context_table(yardsticks or []),
                      [yardstick_section(yardsticks or [])])
    return Report(
        "mTLS performance report",
        "Full mutual-auth handshakes (TLS 1.3 where the build has it, else 1.2; X25519; chain"
        " root → leaf), both peers verified in every counted handshake. Lower is better except"
        " where a section says otherwise (scaling: pairs/s and efficiency are better higher)."
        " CPU times are omitted for emulated runs (their instruction counts are exact).",
        context_table(runs + sorted(footprints.values(), key=lambda r: r.arch)),
        [summary(runs), failures_section(runs), client_auth_cost(runs), lightweight_section(runs), mcu_section(runs),
         link_section(runs), *dtls_sections(runs), compression_section(runs), device_model.device_section(runs, profiles), *scaling_sections(runs), footprint_section(footprints),
         yardstick_section(yardsticks or []), per_scheme])


def main() -> int:
    try:
        args = parse_arguments(sys.argv[1:])
        yardstick_files = [path for path in args.inputs if is_yardstick(path)]
        benchmark_files = [path for path in args.inputs if path not in yardstick_files]
        runs, footprints = load_runs(benchmark_files, with_footprints_beside=True)
        yardsticks = load_yardsticks(yardstick_files)
    except (BadInput, ResultsError) as error:
        print(f"report: {error}", file=sys.stderr)
        return 2
    if not yardsticks and not any(run.names(with_errors=True)
                                  for run in [*runs, *footprints.values()]):
        print(f"report: no benchmark rows in {', '.join(args.inputs)}", file=sys.stderr)
        return 2
    runs.sort(key=lambda r: (r.arch, r.backend))
    report = build_report(runs, footprints, args.profiles, yardsticks)
    for path in (write_markdown(report, args.out), write_html(report, args.out)):  # html closes
        print(f"report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
