"""A finished LAVA job's log (lavacli jobs logs --raw ID) -> the project's results JSON, for
scripts/report (scripts/lava results). What the board printed is the evidence, never the job's
configuration: a handshake counts as verified because the firmware's line says every handshake
verified both peers.
- firmware: each case line ({"library": ..., "verified_handshakes": ...}) becomes a row of the
  schema mcu_bench.py writes (named as the host's mtls-bench names the case), with the plugin's
  instruction counts where qemu printed them, cycles and the clock where the firmware reports
  them; flash and RAM from the firmware's link map. One file per firmware build.
- Linux: each results JSON that run.sh wrote, printed between marker lines with its MD5, as it
  was, its context telling the board, the clock cpufreq reported and the LAVA job."""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import unquote, urlparse

from lava_boards import FIRMWARE, Board
from lava_jobs import MARKER
from lava_yaml import LogEntry, YamlError, read_job_log, target_text
from mcu_bench import FROM_FIRMWARE, footprint
from results import Description, ResultsError, case_names, headline, rows_description, write_json

DATAGRAM_COUNTERS = ("datagrams_c2s", "datagrams_s2c")  # DTLS lines only
BENCHMARK_CASES = ("mtls", "psk")  # the others are verdicts (conformance), not figures
PSK_GROUP = "X25519"  # the host names its PSK rows (no key exchange) by its default group


class LogError(ValueError):
    """A log that is not what the board should have printed (one line, names the file)."""


@dataclass
class CaseLine:
    """One firmware case: its JSON line, the plugin's counts of the same qemu run (if any), the
    qemu machine that ran it (if emulated) and when."""
    line: dict[str, Any]
    dt: str
    machine: Optional[str] = None
    counts: Optional[dict[str, int]] = None


@dataclass
class Job:
    """What a job log holds for the results."""
    entries: list[LogEntry]
    job_id: Optional[str] = None
    outcome: Optional[str] = None  # LAVA's result for the job: pass or fail
    errors: list[str] = field(default_factory=list)  # LAVA's own error messages
    images: list[str] = field(default_factory=list)  # the URLs it deployed

    def targets(self) -> list[tuple[LogEntry, str]]:
        return [(entry, target_text(entry.msg)) for entry in self.entries
                if entry.lvl == "target" and isinstance(entry.msg, str)]


def read_job(path: str) -> Job:
    try:
        with open(path, encoding="utf-8") as f:
            entries = read_job_log(f.read())
    except (OSError, UnicodeDecodeError) as error:
        raise LogError(f"{path}: cannot read: {error}") from error
    except YamlError as error:
        raise LogError(f"{path}: {error} (the raw job log: lavacli jobs logs --raw JOB_ID)"
                       ) from error
    job = Job(entries)
    for entry in entries:
        if isinstance(entry.msg, str):
            found = re.search(r"/var/lib/lava/dispatcher/tmp/(\d+)/", entry.msg)
            if found and job.job_id is None:
                job.job_id = found.group(1)
            if entry.lvl in ("error", "exception"):
                job.errors.append(entry.msg)
            if entry.msg.startswith("downloading "):
                job.images.append(entry.msg[len("downloading "):].strip())
        elif (entry.lvl == "results" and isinstance(entry.msg, dict)
              and entry.msg.get("definition") == "lava" and entry.msg.get("case") == "job"):
            job.outcome = str(entry.msg.get("result"))
    return job


def read_serial(path: str) -> Job:
    """A board's serial output captured by hand (picocom, cat /dev/ttyACM0 ...), as if LAVA had
    logged it: every line the device's, dated by the file's time."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        when = datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc)
    except OSError as error:
        raise LogError(f"{path}: cannot read: {error}") from error
    dt = when.strftime("%Y-%m-%dT%H:%M:%S")
    return Job([LogEntry(number, dt, "target", line.replace('"', '\\"'))
                for number, line in enumerate(lines, 1)], outcome="pass")


def case_lines(job: Job) -> list[CaseLine]:
    """The firmware's case lines in order, each with the qemu run it came from: a boot command
    starts a run, and the plugin's line at qemu's exit belongs to that run's case."""
    found: list[CaseLine] = []
    machine: Optional[str] = None
    open_case: Optional[CaseLine] = None  # the current run's case, until its counts come
    for entry in job.entries:
        if entry.lvl == "info" and isinstance(entry.msg, str) and entry.msg.startswith("Boot command:"):
            flag = re.search(r"(?:-machine|-M) (\S+)", entry.msg)
            machine, open_case = (flag.group(1) if flag else None), None
        if entry.lvl != "target" or not isinstance(entry.msg, str):
            continue
        text = target_text(entry.msg).strip()
        if text.startswith('{"library": '):
            open_case = CaseLine(_json_line(text, entry), entry.dt, machine)
            found.append(open_case)
        elif text.startswith('{"none": ') and open_case is not None:
            counts = _json_line(text, entry)
            open_case.counts = {side: int(counts[side]) for side in ("client", "server")}
            open_case = None
    return found


def _json_line(text: str, entry: LogEntry) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise LogError(f"log line {entry.line}: a garbled line from the board ({error}): "
                       f"{text[:80]}") from error
    if not isinstance(value, dict):
        raise LogError(f"log line {entry.line}: not a JSON object: {text[:80]}")
    return value


def build_id(line: dict[str, Any]) -> str:
    """<library>-<series>-<configuration>, as scripts/deps --mcu names the build."""
    series = ".".join(str(line["version"]).split(".")[:2])
    return f"{line['library']}-{series}-{line['configuration']}"


def case_fields(line: dict[str, Any]) -> dict[str, Any]:
    """The host case's fields for a firmware case line (results.case_names)."""
    overrides: dict[str, Any] = {"version": line.get("tls_version", "TLSv1.3"),
                                 "group": line["group"]}
    if line["case"] == "psk":
        overrides.update(scheme="psk", depth=0, group=PSK_GROUP)
    return headline(**overrides)


def case_label(line: dict[str, Any]) -> str:
    return f"{line['case']} {line.get('tls_version', 'TLSv1.3')} {line['group']}"


def firmware_row(found: CaseLine, name: str, clock_hz: Optional[float]) -> dict[str, Any]:
    """One row in mcu_bench.py's schema: figures per handshake."""
    line, n = found.line, int(found.line["handshakes"])
    row: dict[str, Any] = {"name": name, "run_name": name, "run_type": "iteration",
                           "repetitions": 1, "repetition_index": 0, "threads": 1, "iterations": n}
    verified = line.get("verified_handshakes")
    if verified != n or line.get("finished") is not True:
        return {**row, "error_occurred": True, "error_message":
                f"{verified} of {n} handshakes verified both peers"
                + ("" if line.get("finished") is True else "; an endpoint got stuck")}
    if found.counts is not None:
        row.update(client_instructions=found.counts["client"] / n,
                   server_instructions=found.counts["server"] / n,
                   handshake_instructions=(found.counts["client"] + found.counts["server"]) / n)
    # The board's cycle counter over the run's handshakes; 0 is a counter that did not count
    # (qemu has none): left out, never invented.
    for side in ("client", "server"):
        cycles = line.get(f"{side}_cycles")
        if isinstance(cycles, (int, float)) and cycles > 0:
            row[f"{side}_cycles"] = cycles / n
            if clock_hz:
                row[f"{side}_cpu_us"] = cycles / n / clock_hz * 1e6
    row.update(bytes_c2s=line["bytes_c2s"], bytes_s2c=line["bytes_s2c"], flights=line["flights"],
               peak_stack_bytes=max(line["client_stack_peak"], line["server_stack_peak"]),
               mutual_auth_verified=verified / n)
    row.update({key: line[key] for key in FROM_FIRMWARE[3:]})
    row.update({key: line[key] for key in DATAGRAM_COUNTERS if key in line})
    return row


def local_map(job: Job) -> Optional[str]:
    """The link map beside the ELF that the job deployed from this machine (file://), if any."""
    for url in job.images:
        parsed = urlparse(url)
        if parsed.scheme == "file" and parsed.path.endswith(".elf"):
            candidate = unquote(parsed.path)[:-len(".elf")] + ".map"
            if os.path.isfile(candidate):
                return candidate
    return None


@dataclass
class Converted:
    """What a conversion wrote and what it has to say."""
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: bool = False  # a case that did not verify both peers


def firmware_results(job: Job, path: str, board: Board, out_dir: str, description: Description,
                     map_path: Optional[str], clock_hz: Optional[float]) -> Converted:
    lines = case_lines(job)
    if not lines:
        raise LogError(f"{path}: no case line of the firmware ('{{\"library\": ...}}') in the log"
                       + _lava_says(job))
    done = Converted()
    builds: dict[str, list[tuple[CaseLine, str]]] = {}
    for found in lines:
        line, label = found.line, case_label(found.line)
        if board.emulated and found.machine not in (None, board.qemu and board.qemu.machine):
            raise LogError(f"{path}: the log's qemu ran -machine {found.machine}, board "
                           f"'{board.name}' is {board.qemu and board.qemu.machine}")
        if "skipped" in line:
            done.notes.append(f"{label}: skipped by the firmware: {line['skipped']}")
            continue
        if line.get("case") not in BENCHMARK_CASES:
            done.notes.append(f"{label}: a conformance case (no figures): "
                              f"{'as expected' if line.get('finished') else 'NOT finished'}")
            continue
        names = case_names(description, **case_fields(line))
        if not names:  # e.g. DTLS 1.2 over P-256, which the firmware runs and the host does not
            failure = firmware_row(found, label, None).get("error_message")
            done.failed = done.failed or failure is not None
            done.notes.append(f"{label}: not written: the host's mtls-bench has no such case to "
                              f"name the row after{f'; FAILED: {failure}' if failure else ''}")
            continue
        if len(names) != 1:
            raise LogError(f"{path}: {label}: {len(names)} host cases match (the rows take the "
                           "names of a host build's mtls-bench --describe)")
        if board.emulated and found.counts is None:
            raise LogError(f"{path}: {label}: no instruction counts from qemu in the log "
                           "(generate the job with --plugin)")
        builds.setdefault(build_id(line), []).append((found, names[0]))
    for build, cases in builds.items():
        line = cases[0][0].line
        clock = line.get("clock_hz") or clock_hz
        rows = [firmware_row(found, name, clock) for found, name in cases]
        failed = [f"{case_label(found.line)}: {row['error_message']}"
                  for (found, _), row in zip(cases, rows) if row.get("error_occurred")]
        done.notes += failed
        done.failed = done.failed or bool(failed)
        map_file = map_path or local_map(job)
        if map_file is None:
            raise LogError(f"{path}: {build}: the firmware's flash and RAM come from its link map:"
                           " --map mtls-mcu-<id>.map (beside the ELF the job flashed)")
        sizes = footprint(map_file, str(line["library"]))
        for row in rows:
            if not row.get("error_occurred"):
                row.update(sizes)
        context = firmware_context(job, path, board, cases[0][0], clock)
        cases_fields = {row["run_name"]: description["cases"][row["run_name"]] for row in rows}
        out = os.path.join(out_dir, f"{build}-{board.arch}-{board.name}.json")
        write_json(out, {"context": context, "benchmarks": rows,
                         "description": rows_description(description, cases_fields)})
        done.files.append(out)
    return done


def firmware_context(job: Job, path: str, board: Board, first: CaseLine,
                     clock: Optional[float]) -> dict[str, Any]:
    line = first.line
    context: dict[str, Any] = {
        "date": first.dt[:19] + "+00:00", "arch": board.arch, "backend": line["library"],
        "backend_id": build_id(line), "backend_version": line["version"],
        "configuration": line["configuration"], "compiler": "arm-none-eabi-gcc -Os",
        "instructions_per": "handshake, per side", "board": board.name, "lava_board": board.name,
        "lava_job": job.job_id or "?", "lava_log": os.path.basename(path)}
    if board.qemu is not None:
        # "board": the qemu machine, as mcu_bench.py writes it (the report's microcontroller
        # table lists each board).
        context.update(board=board.qemu.machine, cpu=f"{board.arch} (emulated by qemu-system-arm -M {board.qemu.machine})",
                       emulated_cpu=board.arch, times="none: instructions are not cycles",
                       instruction_counter="qemu-system TCG plugin (executed guest instructions)",
                       memory_note="heap and stack as used; the emulated board has more RAM "
                       "than a real part")
        return context
    cycles = any(isinstance(line.get(f"{side}_cycles"), (int, float)) and line[f"{side}_cycles"] > 0
                 for side in ("client", "server"))
    context.update(cpu=board.chip, memory_note="heap and stack as used",
                   times=("client_cpu_us, server_cpu_us: the board's cycle counter ÷ clock_hz"
                          if cycles and clock else "client_cycles, server_cycles: the board's "
                          "cycle counter" if cycles else "none: the firmware reported no cycles"))
    if clock:
        context["clock_hz"] = clock
    return context


@dataclass
class ResultBlock:
    name: str
    md5: str
    lines: list[str]


def result_blocks(job: Job, path: str) -> tuple[list[ResultBlock], dict[str, str]]:
    """The results JSON files the Linux test printed, and its CPUFREQ line (cur_khz, governor)."""
    blocks: list[ResultBlock] = []
    cpufreq: dict[str, str] = {}
    current: Optional[ResultBlock] = None
    begin = re.compile(rf"^{MARKER}-RESULT-BEGIN (\S+) (\S+)$")
    for entry, text in job.targets():
        text = text.rstrip()
        if current is not None:
            if text == f"{MARKER}-RESULT-END {current.name}":
                blocks.append(current)
                current = None
            else:
                current.lines.append(text)
            continue
        opened = begin.match(text)
        if opened:
            current = ResultBlock(opened.group(1), opened.group(2), [])
        elif text.startswith(f"{MARKER}-CPUFREQ "):
            cur, _, governor = text.split(" ", 1)[1].partition(" ")
            cpufreq = {"cur_khz": cur, "governor": governor}
    if current is not None:
        raise LogError(f"{path}: {current.name}: the log ends inside its results (no "
                       f"{MARKER}-RESULT-END)" + _lava_says(job))
    return blocks, cpufreq


def block_json(block: ResultBlock, path: str) -> dict[str, Any]:
    """The file as the board wrote it: LAVA logs each line (it drops blank lines and \\r); the
    file may or may not have ended with a newline, the MD5 tells."""
    lines = list(block.lines)
    while lines and not lines[-1]:
        lines.pop()
    text = "\n".join(lines)
    if block.md5 != "-":
        sums = {hashlib.md5(candidate.encode()).hexdigest() for candidate in (text, text + "\n")}
        if block.md5 not in sums:
            raise LogError(f"{path}: {block.name}: its MD5 differs from the board's: the serial "
                           "line changed it (kernel messages on the console?)")
    try:
        data = json.loads(text)
    except ValueError as error:
        raise LogError(f"{path}: {block.name}: not JSON ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("context"), dict):
        raise LogError(f"{path}: {block.name}: not mtls-bench results (no context)")
    return data


def linux_results(job: Job, path: str, board: Board, out_dir: str) -> Converted:
    blocks, cpufreq = result_blocks(job, path)
    if not blocks:
        raise LogError(f"{path}: no results JSON between {MARKER}-RESULT-BEGIN and -END lines"
                       + _lava_says(job))
    done = Converted()
    for block in blocks:
        data = block_json(block, path)
        context = data["context"]
        if context.get("arch") != board.arch:
            raise LogError(f"{path}: {block.name}: results for {context.get('arch')}, board "
                           f"'{board.name}' is {board.arch}")
        # Not "board": the report reads that as a microcontroller run's.
        context.update(lava_board=board.name, lava_job=job.job_id or "?",
                       lava_log=os.path.basename(path))
        if board.qemu is not None:
            context["emulated_cpu"] = board.qemu.cpu  # times under TCG say nothing
        if cpufreq.get("cur_khz", "-").isdigit():
            context["clock_hz"] = int(cpufreq["cur_khz"]) * 1000
            context["cpufreq_governor"] = cpufreq.get("governor", "-")
        if any(row.get("error_occurred") for row in data.get("benchmarks", [])):
            done.failed = True
        out = os.path.join(out_dir, f"{block.name.removesuffix('.json')}-{board.name}.json")
        write_json(out, data)
        done.files.append(out)
    return done


def _lava_says(job: Job) -> str:
    said = "; ".join(job.errors[-2:])
    return f" (LAVA: job {job.outcome or '?'}{': ' + said if said else ''})"


def convert(path: str, board: Board, out_dir: str, description: Optional[Description] = None,
            map_path: Optional[str] = None, clock_hz: Optional[float] = None,
            serial: bool = False) -> Converted:
    """Reads the log (serial: a plain capture of the board's output), writes the results into
    out_dir. `description`: the host mtls-bench's --describe (read from a host build when None
    and the log is a firmware job's)."""
    job = read_serial(path) if serial else read_job(path)
    os.makedirs(out_dir, exist_ok=True)
    if board.kind != FIRMWARE:
        done = linux_results(job, path, board, out_dir)
    else:
        if description is None:
            from results import describe
            try:
                description = describe()
            except ResultsError as error:
                raise LogError(f"the rows take their names from a host build's mtls-bench: "
                               f"{error}") from error
        done = firmware_results(job, path, board, out_dir, description, map_path, clock_hz)
    if job.outcome != "pass":
        done.notes.append(f"LAVA's verdict on the job: {job.outcome or 'none (unfinished log?)'}"
                          + (f": {job.errors[-1]}" if job.errors else ""))
    return done
