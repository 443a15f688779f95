"""The YAML that LAVA speaks, through Debian's python3-yaml (PyYAML): dump() writes a job
definition as block YAML; read_job_log() reads a job's log as `lavacli jobs logs --raw ID` (or the
web page's "download") gives it, one flow mapping per line: - {"dt": "...", "lvl": "target",
"msg": "..."}, each line read on its own so that an error names its line."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

# libyaml's loader where python3-yaml has it (Debian's does), the pure-Python one otherwise.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(ValueError):
    """Text that is not a LAVA job log (the message says where)."""


def dump(value: dict[str, Any]) -> str:
    """Block YAML in the mapping's own order, lines unwrapped (regular expressions stay whole)."""
    return yaml.safe_dump(value, sort_keys=False, default_flow_style=False, allow_unicode=True,
                          width=1 << 16)


@dataclass(frozen=True)
class LogEntry:
    """One line of a LAVA job log: when, its level (target = the device's output, results,
    info, debug, ...) and its message (a string, or a mapping for results)."""
    line: int
    dt: str
    lvl: str
    msg: Any


def target_text(message: str) -> str:
    """A target line as the device wrote it: LAVA escapes every '"' with a backslash (and nothing
    else) before logging the device's output."""
    return message.replace('\\"', '"')


def read_job_log(text: str) -> list[LogEntry]:
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if not line.startswith("- {"):
            raise YamlError(f"line {number}: not a LAVA job log entry ('- {{\"dt\": ...}}')")
        try:
            entry = yaml.load(line[2:], Loader=_LOADER)
        except yaml.YAMLError as error:
            problem = getattr(error, "problem", None) or "not YAML"
            raise YamlError(f"line {number}: {problem}") from error
        if not isinstance(entry, dict) or not {"dt", "lvl", "msg"} <= entry.keys():
            raise YamlError(f"line {number}: an entry without dt, lvl and msg")
        entries.append(LogEntry(number, str(entry["dt"]), str(entry["lvl"]), entry["msg"]))
    if not entries:
        raise YamlError("no log entries")
    return entries
