"""The YAML that LAVA speaks, without a YAML library (Debian's python3-yaml is not among the
project's packages): dump() writes a job definition as block YAML; read_job_log() reads a job's
log as `lavacli jobs logs --raw ID` (or the web page's "download") gives it, one flow mapping per
line: - {"dt": "...", "lvl": "target", "msg": "..."}. parse_flow() reads that flow subset: mappings,
sequences, double- and single-quoted strings, plain scalars and LAVA's non-specific tag (! "12")."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# Strings that stay plain in dump(): nothing YAML would read as another type or as syntax.
_PLAIN = re.compile(r"^[A-Za-z_./][A-Za-z0-9_./@+-]*$")
_NOT_STRINGS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


class YamlError(ValueError):
    """Text that is not the YAML subset read here (the message says where)."""


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _NOT_STRINGS:
        return text
    if "'" not in text and text.isprintable():
        return f"'{text}'"  # regular expressions stay readable: no escapes in single quotes
    return json.dumps(text, ensure_ascii=False)  # JSON's escapes are YAML's too


def _lines(value: Any, indent: str) -> list[str]:
    """`value` (a non-empty mapping or sequence) as block YAML lines at `indent`."""
    lines: list[str] = []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        lead = f"{indent}{scalar(key)}:" if isinstance(value, dict) else f"{indent}-"
        if isinstance(item, (dict, list)) and item:
            inner = _lines(item, indent + "  ")
            if isinstance(value, list) and isinstance(item, dict):
                inner[0] = f"{lead} {inner[0].lstrip()}"  # "- key: value" on one line
                lines += inner
            else:
                lines += [lead] + inner
        elif isinstance(item, (dict, list)):
            lines.append(f"{lead} {'{}' if isinstance(item, dict) else '[]'}")
        else:
            lines.append(f"{lead} {scalar(item)}")
    return lines


def dump(value: dict[str, Any]) -> str:
    return "\n".join(_lines(value, "")) + "\n"


_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
            "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
            "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}


class _FlowParser:
    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def fail(self, what: str) -> YamlError:
        return YamlError(f"{what} at column {self.pos + 1}")

    def skip_blanks(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def value(self, key: bool = False) -> Any:
        self.skip_blanks()
        if self.text.startswith("! ", self.pos):  # non-specific: typed as if plain, as LAVA reads it
            self.pos += 2
            quoted = self.value()
            return _typed(quoted) if isinstance(quoted, str) else quoted
        char = self.text[self.pos:self.pos + 1]
        if char == "{":
            return self.mapping()
        if char == "[":
            return self.sequence()
        if char == '"':
            return self.double_quoted()
        if char == "'":
            return self.single_quoted()
        return self.plain(key)

    def mapping(self) -> dict[str, Any]:
        self.pos += 1
        result: dict[str, Any] = {}
        while True:
            self.skip_blanks()
            if self.text.startswith("}", self.pos):
                self.pos += 1
                return result
            key = self.value(key=True)
            self.skip_blanks()
            if not self.text.startswith(":", self.pos):
                raise self.fail("':' expected")
            self.pos += 1
            result[str(key)] = self.value()
            self.skip_blanks()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith("}", self.pos):
                raise self.fail("',' or '}' expected")

    def sequence(self) -> list[Any]:
        self.pos += 1
        result: list[Any] = []
        while True:
            self.skip_blanks()
            if self.text.startswith("]", self.pos):
                self.pos += 1
                return result
            result.append(self.value())
            self.skip_blanks()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith("]", self.pos):
                raise self.fail("',' or ']' expected")

    def double_quoted(self) -> str:
        out, pos, text = [], self.pos + 1, self.text
        while pos < len(text) and text[pos] != '"':
            if text[pos] != "\\":
                out.append(text[pos])
                pos += 1
                continue
            code = text[pos + 1:pos + 2]
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
                pos += 2
            elif code in _HEX_DIGITS:
                digits = text[pos + 2:pos + 2 + _HEX_DIGITS[code]]
                if len(digits) != _HEX_DIGITS[code] or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                    self.pos = pos
                    raise self.fail(f"a bad \\{code} escape")
                out.append(chr(int(digits, 16)))
                pos += 2 + len(digits)
            else:
                self.pos = pos
                raise self.fail(f"an unknown escape \\{code}")
        if pos >= len(text):
            raise self.fail("an unterminated string")
        self.pos = pos + 1
        return "".join(out)

    def single_quoted(self) -> str:
        out, pos = [], self.pos + 1
        while True:
            end = self.text.find("'", pos)
            if end < 0:
                raise self.fail("an unterminated string")
            out.append(self.text[pos:end])
            if self.text.startswith("''", end):
                out.append("'")
                pos = end + 2
                continue
            self.pos = end + 1
            return "".join(out)

    def plain(self, key: bool) -> Any:
        stop = re.compile(r":(?=[ ,\]}]|$)|[,\]}]" if key else r"[,\]}]")
        found = stop.search(self.text, self.pos)
        end = found.start() if found else len(self.text)
        word, self.pos = self.text[self.pos:end].strip(), end
        if not word:
            raise self.fail("a value expected")
        return word if key else _typed(word)


def _typed(word: str) -> Any:
    """A plain scalar's value: null, a boolean, a number or the text."""
    if word in ("null", "~"):
        return None
    if word in ("true", "false"):
        return word == "true"
    try:
        return int(word)
    except ValueError:
        pass
    try:
        return float(word)
    except ValueError:
        return word


def parse_flow(text: str) -> Any:
    parser = _FlowParser(text)
    value = parser.value()
    parser.skip_blanks()
    if parser.pos != len(text):
        raise parser.fail("text after the value")
    return value


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
            entry = parse_flow(line[2:])
        except YamlError as error:
            raise YamlError(f"line {number}: {error}") from error
        if not isinstance(entry, dict) or not {"dt", "lvl", "msg"} <= entry.keys():
            raise YamlError(f"line {number}: an entry without dt, lvl and msg")
        entries.append(LogEntry(number, str(entry["dt"]), str(entry["lvl"]), entry["msg"]))
    if not entries:
        raise YamlError("no log entries")
    return entries
