#!/usr/bin/python3
"""Time to authenticate on a device: a device profile (CPU, clock, cycles per instruction, link;
bench/device_profiles.json) turns the exact instruction counts of a run on the device's arch and
the link model of a host run into an estimate, split into device CPU, server CPU and network.

The device is the client (it authenticates with its certificate to a server). Per build and
certificate scheme, on the headline full mTLS handshake (results.Run.find_headline):
- device CPU = client_instructions x cpi / clock_hz, from the run of the profile's arch; where that
  run was made on the profile's own board (not emulated, and its context "cpu" is the profile's
  measured_cpu) its measured client_cpu_us, or client_cycles / clock_hz where a firmware row has
  cycles, replaces the model (labelled "measured"); a real run on any other CPU is modelled, and a
  note names it;
- server CPU = server_cpu_us measured by a host (non-emulated) run of the same build;
- network = that host run's tta_ms_<link> less its CPU part (client and server CPU times the
  slow-downs in its context, 1 where it has none), on the same repetition: the link model's
  (core/src/link_model.cc) network share, exact, not re-derived here.

`device_model.py [--profiles FILE] [--links FILE] [--devices NAME,...] RESULTS...` prints the
estimates; report.py adds device_section() to the report. Bad input: one line, exit 2.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, NoReturn, Optional

from report_doc import Chart, Section, Table, markdown_table
from results import HEADLINE, REPO, ResultsError, Run, load_runs
from scaling import version_label

DEFAULT_PROFILES = os.path.join(REPO, "bench", "device_profiles.json")
DEFAULT_LINKS = os.path.join(REPO, "bench", "link_profiles.json")
# A profile's fields and the type each must have (numbers: int or float, never bool).
FIELDS: dict[str, type] = {"name": str, "cpu": str, "arch": str, "clock_hz": float, "cpi": float,
                           "cpi_source": str, "link": str}
# Optional: the context "cpu" of a real run on the profile's own board, whose measured time then
# replaces the model (a real run on another CPU measured nothing about this device).
OPTIONAL: dict[str, type] = {"measured_cpu": str}
TITLE = "Time to authenticate on a device (model)"
HEADER = ["build", "scheme", "TLS", "device CPU ms", "server CPU ms", "network ms", "total ms",
          "CPU share"]
NOTES = "Left out or worth knowing: "
BYTES_APART = 0.02  # a device build's bytes this far from its host build's get a note
MEASURED = "measured"
MODEL = "model"


class DeviceProfileError(Exception):
    """A profile file, a profile name or a link that is not what the model needs (one line)."""


@dataclass(frozen=True)
class Link:
    """What the text says of a link profile (bench/link_profiles.json); the model is the C++'s."""
    name: str
    bandwidth_bps: float
    rtt_ms: float
    frame_payload_bytes: int = 0
    frame_overhead_bytes: int = 0

    def describe(self) -> str:
        rate = (f"{self.bandwidth_bps / 1e6:g} Mbit/s" if self.bandwidth_bps >= 1e6
                else f"{self.bandwidth_bps / 1e3:g} kbit/s")
        frames = (f", frames of {self.frame_payload_bytes} B + {self.frame_overhead_bytes} B"
                  if self.frame_payload_bytes else "")
        return f"{self.name}: {rate}, {self.rtt_ms:g} ms RTT{frames}"


@dataclass(frozen=True)
class Profile:
    name: str
    cpu: str
    arch: str
    clock_hz: float
    cpi: float
    cpi_source: str
    link: Link
    measured_cpu: Optional[str] = None

    def measures(self, run: Run) -> bool:
        """Whether `run` was made on this profile's board: its time replaces the model."""
        return (not run.emulated and self.measured_cpu is not None
                and run.context.get("cpu") == self.measured_cpu)

    def device(self) -> tuple[str, str, float, float]:
        """What profiles of one CPU share (they differ by link): one chart per device."""
        return self.cpu, self.arch, self.clock_hz, self.cpi

    def title(self) -> str:
        return f"{self.cpu}, {self.link.name}"

    def describe(self) -> str:
        return (f"Profile {self.name}: {self.arch} client instructions × CPI {self.cpi:g} "
                f"[{self.cpi_source}] ÷ {self.clock_hz / 1e6:g} MHz; link "
                f"{self.link.describe()}" + (f"; measured on {code(self.measured_cpu)}"
                                             if self.measured_cpu else ""))


def _read(path: str, what: str) -> list[Any]:
    """The "profiles" array of a JSON file, or a DeviceProfileError naming the file."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as error:
        raise DeviceProfileError(f"{path}: cannot read the {what} ({error.strerror})") from error
    except ValueError as error:
        raise DeviceProfileError(f"{path}: not JSON ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
        raise DeviceProfileError(f'{path}: not a {what} file (JSON with a "profiles" array)')
    return list(data["profiles"])


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load_links(path: str) -> dict[str, Link]:
    links: dict[str, Link] = {}
    for i, entry in enumerate(_read(path, "link profiles"), 1):
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str)
                and _number(entry.get("bandwidth_bps")) and _number(entry.get("rtt_ms"))):
            raise DeviceProfileError(f"{path}: link profile {i} needs name, bandwidth_bps and "
                                     "rtt_ms")
        links[entry["name"]] = Link(entry["name"], float(entry["bandwidth_bps"]),
                                    float(entry["rtt_ms"]), int(entry.get("frame_payload_bytes", 0)),
                                    int(entry.get("frame_overhead_bytes", 0)))
    return links


def _profile(path: str, i: int, entry: Any, links: dict[str, Link], links_path: str) -> Profile:
    if not isinstance(entry, dict):
        raise DeviceProfileError(f"{path}: profile {i} is not an object")
    label = f"{path}: profile {i}" + (f" '{entry['name']}'" if isinstance(entry.get("name"), str)
                                      else "")
    for key, kind in {**FIELDS, **OPTIONAL}.items():
        if key not in entry:
            if key in OPTIONAL:
                continue
            raise DeviceProfileError(f"{label}: no {key} (a profile needs {', '.join(FIELDS)})")
        value = entry[key]
        if kind is str and (not isinstance(value, str) or not value.strip()):
            raise DeviceProfileError(f"{label}: {key} must be a non-empty string")
        if kind is float and not (_number(value) and math.isfinite(value) and value > 0):
            raise DeviceProfileError(f"{label}: {key} must be a number > 0 (is {value!r})")
    unknown = [k for k in entry if k not in FIELDS and k not in OPTIONAL and not k.startswith("_")]
    if unknown:
        raise DeviceProfileError(f"{label}: unknown field {unknown[0]} (fields: "
                                 f"{', '.join([*FIELDS, *OPTIONAL])})")
    if entry["link"] not in links:
        raise DeviceProfileError(f"{label}: link '{entry['link']}' is not in {links_path} "
                                 f"(links: {', '.join(links)})")
    return Profile(entry["name"], entry["cpu"], entry["arch"], float(entry["clock_hz"]),
                   float(entry["cpi"]), entry["cpi_source"], links[entry["link"]],
                   entry.get("measured_cpu"))


def load_profiles(path: str = DEFAULT_PROFILES, links_path: str = DEFAULT_LINKS,
                  names: Optional[list[str]] = None) -> list[Profile]:
    """The profiles of `path` (those named, in the order named), checked: every field there and
    of its type, clock_hz and cpi numbers > 0, the link in `links_path`, names unique. Anything
    else raises DeviceProfileError with one line naming the file and what is wrong."""
    links = load_links(links_path)
    profiles: dict[str, Profile] = {}
    for i, entry in enumerate(_read(path, "device profiles"), 1):
        profile = _profile(path, i, entry, links, links_path)
        if profile.name in profiles:
            raise DeviceProfileError(f"{path}: profile {i}: a second profile named "
                                     f"'{profile.name}'")
        profiles[profile.name] = profile
    if names is None:
        return list(profiles.values())
    for name in names:
        if name not in profiles:
            raise DeviceProfileError(f"{path}: no device profile named '{name}' (known: "
                                     f"{', '.join(profiles)})")
    return [profiles[name] for name in dict.fromkeys(names)]


@dataclass
class Estimate:
    profile: Profile
    device: Run
    device_case: str
    host: Run
    host_case: str
    device_cpu_ms: float
    source: str  # MODEL or MEASURED
    server_cpu_ms: float
    network_ms: float

    @property
    def build(self) -> str:
        return self.device.backend

    @property
    def fields(self) -> dict[str, Any]:
        return self.device.fields[self.device_case]

    @property
    def total_ms(self) -> float:
        return self.device_cpu_ms + self.server_cpu_ms + self.network_ms

    @property
    def cpu_share(self) -> float:
        return (self.device_cpu_ms + self.server_cpu_ms) / self.total_ms

    def tls(self) -> str:
        """TLS version, and the group where it is not the headline's (firmware rows: P-256)."""
        group = self.fields["group"]
        return version_label(self.fields["version"]) + (
            "" if group == HEADLINE["group"] else f", {group}")


def hosts_of(device: Run, runs: list[Run]) -> list[Run]:
    """Non-emulated runs of the same build, which measured the server: the same backend_id, or one
    the device's extends (mbedtls-3.6-tls13-p256 -> mbedtls-3.6); exact first, then the longest
    prefix; runs of another arch before the device's own (a real board measures its own server);
    of equals, the newest (context date) first."""
    found = [run for run in runs if not run.emulated and not run.is_footprint and (
        run.backend == device.backend or device.backend.startswith(run.backend + "-"))]
    found.sort(key=lambda run: str(run.context.get("date", "")), reverse=True)
    return sorted(found, key=lambda run: (run.arch == device.arch, -len(run.backend)))


def mean(values: list[float]) -> Optional[float]:
    """Over the repetitions (Run.row is the first where a file has no mean aggregate)."""
    return sum(values) / len(values) if values else None


SIDES = ("client", "server")


def slowdown(run: Run, side: str) -> Optional[float]:
    """The CPU factor of `side` that the run's link model multiplied its CPU time by: the context's
    "<side>_slowdown" (mtls-bench writes it as text). A run without it was made before it was
    recorded, when scripts/bench never passed --<side>_slowdown and it defaulted to 1: 1. None
    where it is there but not a number > 0."""
    value = run.context.get(f"{side}_slowdown", 1.0)
    if isinstance(value, bool):
        return None
    try:
        factor = float(value)
    except (TypeError, ValueError):
        return None
    return factor if math.isfinite(factor) and factor > 0 else None


def network_ms(host: Run, case: str, link: str) -> Optional[float]:
    """The host's tta_ms_<link> less its CPU part (times the slow-downs), per repetition (exact),
    averaged; None where the run has no such counter, its repetitions lack the CPU figures or
    its slow-downs are not numbers."""
    total = host.samples(case, f"tta_ms_{link}")
    client = host.samples(case, "client_cpu_us")
    server = host.samples(case, "server_cpu_us")
    cs, ss = (slowdown(host, side) for side in SIDES)
    if not total or not len(total) == len(client) == len(server) or cs is None or ss is None:
        return None
    return mean([t - (c * cs + s * ss) / 1000 for t, c, s in zip(total, client, server)])


def device_cpu_ms(profile: Profile, device: Run, case: str) -> Optional[tuple[float, str]]:
    """(ms, MEASURED or MODEL) for the device's side of `case`: measured only on the profile's
    board."""
    if profile.measures(device):
        cycles = mean(device.samples(case, "client_cycles"))
        if cycles is not None and cycles > 0:
            return cycles / profile.clock_hz * 1000, MEASURED
        measured = mean(device.samples(case, "client_cpu_us"))
        if measured is not None and measured > 0:
            return measured / 1000, MEASURED
    instructions = mean(device.samples(case, "client_instructions"))
    if instructions is None or instructions <= 0:
        return None
    return instructions * profile.cpi / profile.clock_hz * 1000, MODEL


def _schemes(run: Run) -> list[str]:
    described = (run.description or {}).get("certificate_schemes")
    if described:
        return list(described)
    return list(dict.fromkeys(f["scheme"] for f in run.fields.values() if "scheme" in f))


def _groups(run: Run, scheme: str) -> list[str]:
    """The headline group first, then the others the run has for the scheme (the firmware's
    minimal build has only P-256)."""
    with_figures = set(run.names())
    others = [f["group"] for n, f in run.fields.items()
              if f.get("scheme") == scheme and "group" in f and n in with_figures]
    return list(dict.fromkeys([HEADLINE["group"], *others]))


def estimates(runs: list[Run], profile: Profile) -> tuple[list[Estimate], list[str]]:
    """Every (build, certificate scheme) estimate for the profile, and a note per device build or
    row left out (no host run, no such case on the host, no counts)."""
    found: list[Estimate] = []
    notes: list[str] = _other_boards(runs, profile)
    for device in (r for r in runs if r.arch == profile.arch and not r.is_footprint):
        if _twin(device, runs, profile):
            continue
        hosts = hosts_of(device, runs)
        if not hosts:
            notes.append(f"no host run of {device.backend} to take the server and link from")
            continue
        for scheme in _schemes(device):
            estimate, why = _estimate(profile, device, hosts, scheme)
            if estimate:
                found.append(estimate)
            elif why:
                notes.append(f"{device.backend} ({device.arch}), {scheme}: {why}")
    return found, notes


def _other_board(run: Run, profile: Profile) -> bool:
    """A real (not emulated) run of the profile's arch on a CPU that is not the profile's board."""
    return (run.arch == profile.arch and not run.is_footprint and not run.emulated
            and not profile.measures(run))


def _twin(run: Run, runs: list[Run], profile: Profile) -> bool:
    """Another board's run of a build that also has an emulated run of the arch: the emulated run
    gives the model (one estimate per build)."""
    return _other_board(run, profile) and any(
        r.emulated and r.arch == run.arch and r.backend == run.backend and not r.is_footprint
        for r in runs)


def _other_boards(runs: list[Run], profile: Profile) -> list[str]:
    """A note per CPU and folder of real runs that are not the profile's board: their time says
    nothing of this device, so they are modelled (or their emulated twin is)."""
    found: dict[tuple[str, str], list[str]] = {}
    for run in runs:
        if _other_board(run, profile):
            where = (str(run.context.get("cpu", "?")), os.path.dirname(run.path) or ".")
            found.setdefault(where, []).append(run.backend)
    board = (f"measured_cpu {code(profile.measured_cpu)}" if profile.measured_cpu
             else "no measured_cpu")
    return [f"the {profile.arch} runs on {code(cpu)} in {folder} ({', '.join(builds)}) were not "
            f"made on the profile's board ({board}): their measured time is not used, the device "
            "CPU is modelled from instruction counts (the emulated run's where there is one)"
            for (cpu, folder), builds in found.items()]


def _estimate(profile: Profile, device: Run, hosts: list[Run], scheme: str
              ) -> tuple[Optional[Estimate], str]:
    why = ""
    for group in _groups(device, scheme):
        case = device.find_headline(scheme=scheme, group=group)
        if case is None:
            continue
        for host in hosts:
            host_case = host.find(**device.fields[case])
            if host_case is None:
                why = why or f"the host run {host.path} has no {case}"
                continue
            bad = [side for side in SIDES if slowdown(host, side) is None]
            if bad:
                key = f"{bad[0]}_slowdown"
                why = why or (f"{key} {host.context[key]!r} in the context of {host.path} is not a "
                              "number > 0")
                continue
            server = mean(host.samples(host_case, "server_cpu_us"))
            network = network_ms(host, host_case, profile.link.name)
            cpu = device_cpu_ms(profile, device, case)
            if server is None or network is None or cpu is None:
                missing = ("server_cpu_us" if server is None else
                           f"tta_ms_{profile.link.name}" if network is None else
                           "client_instructions")
                why = why or f"no {missing} for {case} ({(device if cpu is None else host).path})"
                continue
            return Estimate(profile, device, case, host, host_case, cpu[0], cpu[1],
                            server / 1000, network), ""
    return None, why


def ms(value: float) -> str:
    """Three significant figures at most, thousands separated."""
    digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:,.{digits}f}"


def row(estimate: Estimate) -> list[str]:
    device = ms(estimate.device_cpu_ms) + (" measured" if estimate.source == MEASURED else "")
    return [estimate.build, estimate.fields["scheme"], estimate.tls(), device,
            ms(estimate.server_cpu_ms), ms(estimate.network_ms), ms(estimate.total_ms),
            percent(estimate.cpu_share)]


def table(found: list[Estimate]) -> Table:
    return Table(HEADER, [row(e) for e in found], [False, False, False] + [True] * 5)


def _hosts_text(found: list[Estimate]) -> str:
    hosts = dict.fromkeys(f"{code(str(e.host.context.get('cpu', '?')))} ({e.host.arch}, "
                          f"{os.path.dirname(e.host.path) or '.'})" for e in found)
    return "; ".join(hosts)


def _sources(found: list[Estimate]) -> str:
    devices = dict.fromkeys(os.path.dirname(e.device.path) or "." for e in found)
    kinds = dict.fromkeys(
        f"measured on {code(str(e.device.context.get('cpu')))} (`client_cpu_us` or "
        "`client_cycles`)" if e.source == MEASURED
        else "`client_instructions` × CPI ÷ clock" for e in found)
    return (f"Device CPU: {' and '.join(kinds)} from {', '.join(devices)}; server CPU "
            f"(`server_cpu_us`) and network (`tta_ms_{found[0].profile.link.name}` less its CPU, "
            f"per repetition) from {_hosts_text(found)}.")


def _version_notes(found: list[Estimate]) -> list[str]:
    pairs = dict.fromkeys(
        (e.build, e.device.context.get("backend_version"), e.host.context.get("backend_version"))
        for e in found)
    return [f"{build}: the device run has {mine}, the host {theirs} (same series)"
            for build, mine, theirs in pairs if mine and theirs and mine != theirs]


def wire_bytes(run: Run, case: str) -> Optional[float]:
    both = [run.value(case, counter) for counter in ("bytes_c2s", "bytes_s2c")]
    return None if None in both else sum(v for v in both if v is not None)


def _bytes_notes(found: list[Estimate]) -> list[str]:
    """Builds whose bytes on the wire differ from their host build's by more than BYTES_APART:
    the network share, the host's, is off by that difference's transfer time."""
    notes = []
    for e in found:
        mine, theirs = wire_bytes(e.device, e.device_case), wire_bytes(e.host, e.host_case)
        if mine and theirs and abs(mine - theirs) > BYTES_APART * theirs:
            notes.append(f"{e.build} ({e.device.arch}) sends {mine:,.0f} bytes a handshake, its "
                         f"host build {e.host.backend} {theirs:,.0f}: the network share is the "
                         "host's")
    return list(dict.fromkeys(notes))


def percent(fraction: float) -> str:
    value = fraction * 100
    return f"{value:.1f} %" if value < 10 else f"{value:.0f} %"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def code(text: str) -> str:
    """Text from a run or profile as inline code: shown as written, never taken as markup."""
    return "`" + text.replace("`", "'") + "`"


LABEL_ROOM = 1.6  # the axis runs this far past the longest bar: room for its label


def device_chart(profiles: list[Profile], found: dict[str, list[Estimate]]) -> Optional[Chart]:
    """One figure per CPU: a panel per link, per build (headline scheme) a horizontal bar of
    device CPU, server CPU and network. The axis stays linear, never log (a segment's length is
    its share); each bar is labelled with its total and CPU share, which keeps the short bars and
    thin segments readable where the totals span more than 10×."""
    panels = [(p, [e for e in found[p.name] if e.fields["scheme"] == HEADLINE["scheme"]])
              for p in profiles]
    panels = [(p, rows) for p, rows in panels if rows]
    if not panels:
        return None
    import report_charts as charts  # matplotlib only where a chart is drawn

    height = 0.32 * max(len(rows) for _, rows in panels) + 1.6
    fig, axes = charts.plt.subplots(1, len(panels), figsize=(4.2 * len(panels) + 1, height),
                                    squeeze=False)
    for ax, (profile, rows) in zip(axes[0], panels):
        labels = [e.build + (" (measured)" if e.source == MEASURED else "") for e in rows]
        left = [0.0] * len(rows)
        for name, color, values in (
                ("device CPU", charts.CLIENT, [e.device_cpu_ms for e in rows]),
                ("server CPU", charts.SERVER, [e.server_cpu_ms for e in rows]),
                ("network", charts.SERIES[2], [e.network_ms for e in rows])):
            ax.barh(range(len(rows)), values, left=left, color=color, label=name)
            left = [a + b for a, b in zip(left, values)]
        for y, e in enumerate(rows):
            ax.text(e.total_ms, y, f" {ms(e.total_ms)} ms, CPU {percent(e.cpu_share)}",
                    va="center", fontsize=6)
        ax.set_xlim(0, max(left) * LABEL_ROOM)
        ax.set_yticks(range(len(rows)), labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("ms")
        ax.set_title(profile.link.describe(), fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
    axes[0][0].legend(fontsize=7)
    first = panels[0][0]
    fig.suptitle(f"{first.cpu}, CPI {first.cpi:g}: time to authenticate ({HEADLINE['scheme']})",
                 fontsize=10)
    fig.tight_layout()
    # Everything that sets one chart apart from another (Profile.device): unique file names.
    name = "device-" + slug(f"{first.cpu}-{first.arch}-{first.clock_hz / 1e6:g}mhz-"
                            f"cpi{first.cpi:g}")
    return Chart(name, f"{first.cpu}: device CPU, server CPU and network per build and link",
                 fig)


HOW_TO_READ = (
    "A model, not a measurement: how long a device, the client, takes to authenticate with its "
    "certificate to a server over a link, split into device CPU, server CPU and network; lower is "
    "better.")
MODEL_TEXT = (
    "Device CPU = the device build's executed client instructions (exact counts, from the run of "
    "the profile's arch) × the profile's cycles per instruction ÷ its clock. The CPI is an "
    "assumption: 1 is what a single-issue core such as the Cortex-M4 cannot beat (loads, taken "
    "branches and flash wait states cost more), while the dual-issue Cortex-A7 and A53 can go "
    "below it; a run on the profile's own board (its `measured_cpu`) replaces the model by its "
    "measured time, marked \"measured\" in the device CPU column. Server CPU = `server_cpu_us` "
    "measured on the host named. Network = the host run's modelled link time (`tta_ms_<link>` "
    "less its CPU part, client and server CPU times the run's slow-downs, 1 where its context has "
    "none; on the same repetition), with the bandwidth, RTT and framing of "
    "bench/link_profiles.json and the host build's bytes "
    "per flight. CPU share = (device + server CPU) ÷ total. Profiles: bench/device_profiles.json "
    "(docs/devices.md).")


def device_section(runs: list[Run], profiles: list[Profile], charts: bool = True) -> Section:
    """The report's section: a chart per CPU (unless charts=False), a table per profile; empty
    where no run matches."""
    section = Section(TITLE, HOW_TO_READ)
    found: dict[str, list[Estimate]] = {}
    notes: list[str] = []
    for profile in profiles:
        rows, left_out = estimates(runs, profile)
        found[profile.name] = rows
        notes += [n for n in left_out + _version_notes(rows) + _bytes_notes(rows)
                  if n not in notes]
        if rows:
            section.subsections.append(Section(
                profile.title(), f"{profile.describe()}. {_sources(rows)}", [table(rows)]))
    if section.subsections:
        section.blocks.append(MODEL_TEXT)
    names: set[str] = set()
    for device in dict.fromkeys(p.device() for p in profiles if charts):
        chart = device_chart([p for p in profiles if p.device() == device], found)
        if chart:
            # CPU texts whose slugs agree ("Cortex A7", "cortex-a7"): one file each all the same.
            base, n = chart.name, 1
            while chart.name in names:
                n += 1
                chart.name = f"{base}-{n}"
            names.add(chart.name)
            section.blocks.append(chart)
    if notes:  # a section with notes only is still empty: the writers leave it out
        section.blocks.append(NOTES + "; ".join(notes) + ".")
    return section


def result_files(paths: list[str]) -> list[str]:
    """Files as given; a directory gives its *.json (footprints too: load_runs sets them apart)."""
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            files += sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".json"))
        else:
            files.append(path)
    return files


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        print(f"device_model: {message} (see --help)", file=sys.stderr)
        sys.exit(2)


def main(argv: Optional[list[str]] = None) -> int:
    parser = _Parser(description="Time to authenticate on device profiles (a model): device CPU "
                     "from instruction counts, server CPU and network from a host run.")
    parser.add_argument("--profiles", default=DEFAULT_PROFILES, metavar="FILE",
                        help="device profiles (default: bench/device_profiles.json)")
    parser.add_argument("--links", default=DEFAULT_LINKS, metavar="FILE",
                        help="link profiles (default: bench/link_profiles.json)")
    parser.add_argument("--devices", metavar="NAME,...", help="only these profiles")
    parser.add_argument("results", nargs="+", metavar="RESULTS",
                        help="mtls-bench JSON files or folders: runs of the profiles' arches and "
                        "a host run of the same builds")
    args = parser.parse_args(argv)
    try:
        names = [n for n in args.devices.split(",") if n] if args.devices is not None else None
        if names == []:
            raise DeviceProfileError("--devices names no profile")
        profiles = load_profiles(args.profiles, args.links, names)
        runs, _ = load_runs(result_files(args.results))
    except (DeviceProfileError, ResultsError) as error:
        print(f"device_model: {error}", file=sys.stderr)
        return 2
    section = device_section(runs, profiles, charts=False)
    if section.empty():
        arches = ", ".join(dict.fromkeys(p.arch for p in profiles))
        notes = [b for b in section.blocks if isinstance(b, str)]
        print(f"device_model: no estimate: the results hold no run of {arches} (the profiles' "
              "arches) with a host run of the same build" + (f" ({notes[0]})" if notes else ""),
              file=sys.stderr)
        return 2
    print(f"# {section.title}\n\n{section.how_to_read}\n")
    for sub in section.subsections:
        print(f"## {sub.title}\n\n{sub.how_to_read}\n")
        for block in sub.blocks:
            if isinstance(block, Table):
                print("\n".join(markdown_table(block)) + "\n")
    for block in section.blocks:
        if isinstance(block, str):
            print(block + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
