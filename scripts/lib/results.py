"""The one reader of what the binaries write, for every script: mtls-bench results JSON (rows with
their case fields and the counters' descriptions), scripts/footprint JSON, mtls-conformance JSON
(the capability manifest) and `mtls-bench --describe`.

Case fields (suite, auth, scheme, depth, version, group, resumption, contexts; see
`mtls-bench --describe`) come from the file's "description" block, which mtls-bench writes with
its --benchmark_out JSON (the committed results carry it too: `results.py describe FILE...`
adds it). A user's own files written before then get them from a built mtls-bench's --describe.
Benchmark names are only keys here: nothing splits them (registered_name() removes Google
Benchmark's own suffixes, not ours). `results.py case-name FIELD=VALUE...` gives a case's name;
`results.py case-name --headline [FIELD=VALUE...]` the headline case's (HEADLINE, overridden).
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import typing
from typing import Any, Callable, NoReturn, NotRequired, Optional, TypedDict, Union, cast

Row = dict[str, Any]
Fields = dict[str, Any]


class Counter(TypedDict):
    """One counter of `mtls-bench --describe`."""
    name: str
    unit: str
    better: str  # "lower" or "higher"
    clock: bool  # depends on the machine's speed
    source: str
    description: str
    link: NotRequired[str]  # time-to-authenticate counters: the link profile's name


class SrpAccount(TypedDict):
    user: str
    password: str


class TestAccounts(TypedDict):
    """The accounts the test PKI's peers know (TLS-SRP, external PSK)."""
    srp: SrpAccount
    psk_identity: str


class Description(TypedDict, total=False):
    """`mtls-bench --describe`, or the "description" block of its JSON (which may hold only
    "cases")."""
    schemes: list[str]
    certificate_schemes: list[str]
    groups: list[str]
    versions: list[str]
    suites: list[str]
    case_fields: list[str]
    counters: list[Counter]
    test_accounts: TestAccounts
    default_cases: list[str]
    headline_case: str  # the name of the C++ HandshakeCase{}: HEADLINE's case
    cases: dict[str, Fields]

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class ManifestRow(TypedDict):
    """One capability of a backend build (a row of `backend.manifest` in mtls-conformance --json)."""
    feature: str
    supported: bool
    reason: str


class ConformanceBackend(TypedDict):
    id: str
    name: NotRequired[str]
    version: NotRequired[str]
    manifest: list[ManifestRow]


class ConformanceCase(TypedDict):
    name: str
    kind: str  # positive, negative, hostile, resumption, baseline (server-auth only)
    features: list[str]  # the manifest features the case needs (RequiredFeatures)
    verdict: str  # pass, rejected-as-expected, deviation, finding, unsupported, FAIL
    detail: str


class Conformance(TypedDict):
    """mtls-conformance --json: the build, its manifest and the cases it ran."""
    backend: ConformanceBackend
    cases: list[ConformanceCase]


# The headline case by its fields: the defaults of the C++ HandshakeCase{} (a full mutual-auth
# handshake, ECDSA P-256 root -> leaf, TLS 1.3, X25519, one context pair shared by all
# connections). report_ctest.sh checks it names mtls-bench --describe's "headline_case".
HEADLINE: Fields = {"suite": "handshake", "auth": "mtls", "scheme": "ecdsa-p256", "depth": 1,
                    "version": "TLSv1.3", "group": "X25519", "cert_compression": "none",
                    "resumption": "full", "contexts": "shared-ctx"}
# Its version where a build has it, else the next: TLS 1.3, else TLS 1.2.
HEADLINE_VERSIONS = ("TLSv1.3", "TLSv1.2")


def with_defaults(fields: Fields) -> Fields:
    """A handshake case's fields with those its run predates: no certificate compression before
    cert_compression was a field."""
    if "resumption" in fields and "cert_compression" not in fields:
        return {**fields, "cert_compression": "none"}
    return fields


def headline(**overrides: Any) -> Fields:
    """HEADLINE with some fields changed, e.g. headline(version="TLSv1.2")."""
    return {**HEADLINE, **overrides}


NOT_RESULTS = "not a Google Benchmark JSON file of mtls-bench, nor a footprint"


class ResultsError(Exception):
    """An input that is not what its reader expects (names the file)."""


def read_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as error:
        raise ResultsError(f"{path}: {error}") from error


def write_json(path: str, data: Any) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")


_described: dict[str, Description] = {}


def bench_binaries() -> list[str]:
    """$MTLS_BENCH, else the host builds' mtls-bench under $MTLS_BUILD_ROOT (or build/), newest
    first."""
    if os.environ.get("MTLS_BENCH"):
        return [os.environ["MTLS_BENCH"]]
    root = os.environ.get("MTLS_BUILD_ROOT", os.path.join(REPO, "build"))
    return sorted(glob.glob(os.path.join(root, "*", "bench", "mtls-bench")), key=os.path.getmtime,
                  reverse=True)


def emulator(binary: str) -> list[str]:
    """The command a cross tree runs its programs under (<tree>/emulator.txt, split on blanks as
    the bash scripts read it), or nothing on the host."""
    tree = os.path.dirname(os.path.dirname(os.path.abspath(binary)))
    path = os.path.join(tree, "emulator.txt")
    if not os.path.isfile(path):
        return []
    with open(path, encoding="utf-8") as f:
        return f.read().split()


def describe(binary: Optional[str] = None) -> Description:
    """`mtls-bench --describe` of `binary`, else of the first of bench_binaries() that has it."""
    candidates = [binary] if binary else bench_binaries()
    errors = []
    for candidate in candidates:
        if candidate not in _described:
            try:
                out = subprocess.run([*emulator(candidate), candidate, "--describe"],
                                     capture_output=True, text=True, check=True,
                                     timeout=120).stdout
                _described[candidate] = json.loads(out)
            except (OSError, subprocess.SubprocessError, ValueError) as error:
                errors.append(f"{candidate}: {error}")
                continue
        return _described[candidate]
    raise ResultsError("no mtls-bench --describe (build one with scripts/bench, or set "
                       f"MTLS_BENCH){': ' if errors else ''}"
                       + "; ".join(errors))


def counters(description: Description) -> dict[str, Counter]:
    """Counter name -> its description (unit, better, clock, source, description)."""
    return {c["name"]: c for c in description.get("counters", [])}


def clock_counters(description: Description) -> set[str]:
    """Counters that depend on the machine's speed: meaningless for an emulated run."""
    return {name for name, c in counters(description).items() if c["clock"]}


def exact_counters(description: Description) -> list[str]:
    """Counters that do not depend on the clock and that a regression raises."""
    return [name for name, c in counters(description).items()
            if not c["clock"] and c["better"] == "lower"]


def matches(fields: Optional[Fields], wanted: Fields) -> bool:
    if fields is None:
        return False
    fields = with_defaults(fields)
    return all(fields.get(k) == v for k, v in wanted.items())


def case_names(description: Description, **wanted: Any) -> list[str]:
    """Every described case whose fields have these values, in the description's order."""
    return [name for name, fields in description["cases"].items() if matches(fields, wanted)]


def case_name(description: Description, **wanted: Any) -> str:
    """The one described case with these field values (an error on none or several): what a
    script passes to --case_name or a filter, never spelling the name itself."""
    found = case_names(description, **wanted)
    if len(found) != 1:
        wanted_text = ", ".join(f"{k}={v}" for k, v in wanted.items())
        raise ResultsError(f"{len(found)} described cases have {wanted_text}"
                           + (f": {', '.join(found[:4])}" if found else ""))
    return found[0]


# Google Benchmark's own suffixes of a run name (its format, not ours): what it appends to the
# registered name for Iterations, Repetitions, MinTime, MinWarmUpTime, UseRealTime /
# UseManualTime / MeasureProcessCPUTime and Threads.
_GOOGLE_BENCHMARK_SUFFIX = re.compile(
    r"(/(iterations|repeats|threads):\d+|/(min_time|min_warmup_time):[0-9.e+-]+s?"
    r"|/(real_time|manual_time|process_time))+$")


def registered_name(run_name: str) -> str:
    """A row's run name without Google Benchmark's suffixes (".../real_time/threads:2" -> "..."):
    the name the benchmark was registered under."""
    return _GOOGLE_BENCHMARK_SUFFIX.sub("", run_name)


def registered_with_threads(run_name: str) -> bool:
    """A run of a benchmark registered with Google Benchmark's Threads(): its run name's suffix
    has /threads:N (N = 1 too), which the same case registered without it lacks."""
    return "/threads:" in run_name[len(registered_name(run_name)):]


def uses_real_time(row: Row) -> bool:
    """Google Benchmark's UseRealTime() rows say so in their run name's suffix."""
    return "/real_time" in row.get("run_name", row.get("name", ""))


class Run:
    """One results file: its context, the rows of every case (repetitions, aggregates, errors) and
    their case fields. A scripts/footprint file becomes one row per endpoint."""

    def __init__(self, path: str, description: Optional[Description] = None) -> None:
        try:
            data = read_json(path)
        except ResultsError as error:
            raise ResultsError(f"{path}: {NOT_RESULTS} ({error.__cause__})") from error
        if not isinstance(data, dict) or "context" not in data:
            raise ResultsError(f"{path}: {NOT_RESULTS} (no context)")
        self.path = path
        self.context: dict[str, Any] = data["context"]
        self.is_footprint = "footprint" in data
        self.backend: str = self.context.get("backend_id", "?")
        self.arch: str = self.context.get("arch", "?")
        self.emulated = "emulated_cpu" in self.context
        self.data = data
        self.description: Optional[Description] = None
        self.repetitions: dict[str, list[Row]] = {}
        self.means: dict[str, Row] = {}
        self.cvs: dict[str, Row] = {}
        self.errors: dict[str, str] = {}
        self.fields: dict[str, Fields] = {}
        try:
            if self.is_footprint:
                self._read_footprint(data)
            else:
                self._read_benchmarks(data, description)
        except (KeyError, TypeError, AttributeError) as error:
            raise ResultsError(f"{path}: {NOT_RESULTS} ({error!r})") from error

    def _read_footprint(self, data: Any) -> None:
        for entry in data["footprint"]:
            name = f"footprint/{entry['backend_id']}/{entry['role']}"
            self.repetitions[name] = [entry]
            self.fields[name] = {"suite": "footprint", "backend_id": entry["backend_id"],
                                 "role": entry["role"]}
        self.not_linkable: list[dict[str, str]] = data.get("not_linkable", [])

    def _read_benchmarks(self, data: Any, description: Optional[Description]) -> None:
        own = data.get("description")
        self.description = own if own is not None else description
        for row in data["benchmarks"]:
            name = row.get("run_name", row["name"])
            if row.get("error_occurred"):
                self.errors[name] = row.get("error_message", "error")
            elif row.get("run_type") == "aggregate":
                if row.get("aggregate_name") == "mean":
                    self.means[name] = row
                elif row.get("aggregate_name") == "cv":
                    self.cvs[name] = row
            else:
                self.repetitions.setdefault(name, []).append(row)
        cases = (own or {}).get("cases")
        if cases is None:  # written before mtls-bench described its rows
            if self.description is None:
                self.description = describe()
            cases = self.description["cases"]
        for name in self.names(with_errors=True):
            fields = cases.get(name) or cases.get(registered_name(name))
            if fields is not None:
                self.fields[name] = with_defaults(fields)

    def names(self, with_errors: bool = False) -> list[str]:
        """Every case with figures (and, asked, those that failed), in file order."""
        names = [*self.repetitions, *self.means]
        return list(dict.fromkeys(names + list(self.errors) if with_errors else names))

    def row(self, case: str) -> Optional[Row]:
        """The mean over repetitions, else the one run."""
        if case in self.means:
            return self.means[case]
        runs = self.repetitions.get(case)
        return runs[0] if runs else None

    def rows(self) -> dict[str, Row]:
        return {name: row for name in self.names() if (row := self.row(name)) is not None}

    def samples(self, case: str, metric: str) -> list[float]:
        """Every repetition's value of `metric`, else the mean's (files of aggregates only)."""
        values = [r[metric] for r in self.repetitions.get(case, []) if metric in r]
        if not values and metric in self.means.get(case, {}):
            values = [self.means[case][metric]]
        return values

    def find(self, **wanted: Any) -> Optional[str]:
        """The first case with figures whose fields have these values."""
        for name in self.names():
            if matches(self.fields.get(name), wanted):
                return name
        return None

    def find_headline(self, **overrides: Any) -> Optional[str]:
        """The headline case (these fields changed) in the first of HEADLINE_VERSIONS the run
        has figures for."""
        for version in HEADLINE_VERSIONS:
            found = self.find(**headline(**{**overrides, "version": version}))
            if found:
                return found
        return None

    def select(self, predicate: Callable[[Fields], bool], with_errors: bool = False) -> list[str]:
        return [n for n in self.names(with_errors) if n in self.fields and predicate(self.fields[n])]

    def counter_descriptions(self) -> dict[str, Counter]:
        return counters(self.description) if self.description else {}

    def clock_counters(self) -> set[str]:
        return clock_counters(self.description) if self.description else set()

    def value(self, case: Optional[str], counter: str) -> Optional[float]:
        """A case's figure: None where missing, or where it depends on the clock and the run was
        emulated."""
        if case is None or (self.emulated and counter in self.clock_counters()):
            return None
        row = self.row(case)
        return None if row is None else row.get(counter)

    def suite(self, case: str) -> Optional[str]:
        fields = self.fields.get(case)
        return None if fields is None else fields.get("suite")


def load_runs(paths: list[str], with_footprints_beside: bool = False
              ) -> tuple[list[Run], dict[str, Run]]:
    """Benchmark runs and footprints (by arch) from the given files; with_footprints_beside also
    reads a footprint.json lying beside any of them."""
    candidates = list(paths)
    if with_footprints_beside:
        candidates += [os.path.join(os.path.dirname(p), "footprint.json") for p in paths]
    runs: list[Run] = []
    footprints: dict[str, Run] = {}
    for path in dict.fromkeys(candidates):
        if path not in paths and not os.path.exists(path):
            continue
        run = Run(path)
        if run.is_footprint:
            footprints[run.arch] = run
        else:
            runs.append(run)
    return runs, footprints


NOT_CONFORMANCE = "not mtls-conformance --json output"


def _keys(shape: Any) -> list[tuple[str, type]]:
    """(key, the type its value must have) of a TypedDict whose keys are all required."""
    return [(key, typing.get_origin(kind) or kind)
            for key, kind in typing.get_type_hints(shape).items()]


def read_conformance(path: str) -> Conformance:
    """An mtls-conformance --json (or --manifest --json) file, its shape checked: the keys the
    scripts read (backend.id, backend.manifest rows, cases). Anything else is a ResultsError
    naming the file and the first key missing or of another type."""
    data = read_json(path)

    def need(obj: Any, key: str, kind: type, where: str) -> Any:
        if not isinstance(obj, dict) or key not in obj:
            raise ResultsError(f'{path}: {NOT_CONFORMANCE} (no "{key}" in {where})')
        if not isinstance(obj[key], kind):
            raise ResultsError(f'{path}: {NOT_CONFORMANCE} ("{key}" in {where} is not a '
                               f"{kind.__name__})")
        return obj[key]

    backend = need(data, "backend", dict, "the file")
    need(backend, "id", str, "backend")
    for i, row in enumerate(need(backend, "manifest", list, "backend")):
        for key, kind in _keys(ManifestRow):
            need(row, key, kind, f"backend.manifest[{i}]")
    for i, case in enumerate(need(data, "cases", list, "the file")):
        for key, kind in _keys(ConformanceCase):
            need(case, key, kind, f"cases[{i}]")
    return cast(Conformance, data)


def manifest(conformance: Union[Conformance, list[ManifestRow]]) -> dict[str, tuple[bool, str]]:
    """Feature -> (supported, reason) from an mtls-conformance --json object, or its
    `backend.manifest` rows."""
    rows = conformance["backend"]["manifest"] if isinstance(conformance, dict) else conformance
    return {r["feature"]: (r["supported"], r["reason"]) for r in rows}


def row_cases(names: list[str], binary: Optional[str] = None) -> dict[str, Fields]:
    """Each row name's fields as mtls-bench --describe lists its case (by the name the benchmark
    was registered under); an error names the rows it has no case for."""
    described = describe(binary)["cases"]
    found = {name: described.get(name) or described.get(registered_name(name))
             for name in names}
    unknown = [name for name, fields in found.items() if fields is None]
    if unknown:
        raise ResultsError(f"no mtls-bench case for {len(unknown)} rows: {', '.join(unknown)}")
    return {name: fields for name, fields in found.items() if fields is not None}


def rows_description(description: Description, cases: dict[str, Fields]) -> Description:
    """The "description" block of a results file as mtls-bench writes it: its --describe without
    default_cases, the cases those of the file's rows."""
    block = cast(Description, {k: v for k, v in description.items() if k != "default_cases"})
    block["cases"] = cases
    return block


def add_description(path: str, binary: Optional[str] = None) -> bool:
    """Adds to a results file written before mtls-bench described its rows the "description"
    mtls-bench writes now (--describe without default_cases; cases: those of the rows). False
    when the file has one already."""
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise ResultsError(f"{path}: not a Google Benchmark JSON file of mtls-bench")
    if "description" in data:
        return False
    names = list(dict.fromkeys(row.get("run_name", row["name"]) for row in data["benchmarks"]))
    try:
        cases = row_cases(names, binary)
    except ResultsError as error:
        raise ResultsError(f"{path}: {error}") from error
    data["description"] = rows_description(describe(binary), cases)
    write_json(path, data)
    return True


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        print(f"results: {message} (see --help)", file=sys.stderr)
        sys.exit(2)


def _field_value(text: str) -> Any:
    return int(text) if text.isdigit() else text


def main(argv: Optional[list[str]] = None) -> int:
    parser = _Parser(description="Results files and case names from mtls-bench's description.")
    parser.add_argument("--bench", help="the mtls-bench to ask (default: $MTLS_BENCH, else the "
                        "newest build/*/bench/mtls-bench); a cross tree's runs under its emulator")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("describe", help="add the description block to results files "
                              "written without one (rows with no described case: exit 2)")
    add.add_argument("files", nargs="+", metavar="FILE")
    name = commands.add_parser("case-name", help="print the one described case with these fields "
                               "(exit 2 on none or several)")
    name.add_argument("--all", action="store_true", help="every match, one a line (at least one)")
    name.add_argument("--headline", action="store_true", help="the headline case's fields (the "
                      "C++ HandshakeCase{}'s defaults), the FIELD=VALUEs replacing some")
    name.add_argument("fields", nargs="*", metavar="FIELD=VALUE", help="e.g. scheme=ecdsa-p256")
    args = parser.parse_args(argv)
    try:
        if args.command == "describe":
            for path in args.files:
                added = add_description(path, args.bench)
                print(f"{path}: {'described' if added else 'has a description already'}")
            return 0
        if any("=" not in item for item in args.fields) or not (args.fields or args.headline):
            parser.error("fields are FIELD=VALUE (at least one, or --headline)")
        wanted = {k: _field_value(v) for k, _, v in (f.partition("=") for f in args.fields)}
        if args.headline:
            wanted = headline(**wanted)
        description = describe(args.bench)
        found = case_names(description, **wanted) if args.all else [
            case_name(description, **wanted)]
        if not found:
            raise ResultsError("no described case has "
                               + " ".join(f"{k}={v}" for k, v in wanted.items()))
        print("\n".join(found))
        return 0
    except ResultsError as error:
        print(f"results: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
