#!/usr/bin/python3
"""Runs libFuzzer targets of fuzz trees for a time budget each and checks them against floors.

scripts/fuzz drives it, one run at a time (it shows the progress):
  fuzz_runner.py targets [LIST]   the targets a --targets list names, one a line (exit 2 on an
                                  unknown one, before anything is built);
  fuzz_runner.py run ... ID=TREE_DIR=INSTRUMENTED TARGET [-- LIBFUZZER_FLAGS]
                                  fuzzes one target of one build into a working corpus seeded from
                                  corpora/<target>/, libFuzzer's stream on stdout (scripts/fuzz logs
                                  it to <out>/<id>/<target>/fuzz.log); reads exec/s and coverage from
                                  it, checks the floors in fuzz/floors.txt (exec/s, coverage, and the
                                  library functions a target must reach), and on a crash minimises the
                                  input and names the command that reproduces it; writes result.json
                                  and result.txt (the run's line) beside the log;
  fuzz_runner.py summary --out DIR RESULT_JSON...
                                  summary.txt (a table) and summary.json in DIR; prints every
                                  problem again; exit status 1 when a run had one.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Optional, TypedDict

TARGETS = ["x509_der", "x509_pem", "client_chain", "server_mtls", "client_mtls", "server_hostile",
           "client_hostile", "pem_loader", "link_profile"]
DICTIONARIES = {"x509_der": "asn1", "client_chain": "asn1", "x509_pem": "pem", "pem_loader": "pem",
                "server_mtls": "tls", "client_mtls": "tls", "link_profile": "json"}
ARTIFACT_KINDS = ("crash-", "leak-", "timeout-", "oom-", "slow-unit-")
# Targets that exercise only this project's code: their coverage is meaningful in every build.
PROJECT_ONLY = {"pem_loader", "link_profile"}

# A row of fuzz/floors.txt: (build pattern, min exec/s, min cov, [functions], reason).
Floor = tuple[str, float, int, list[str], str]
Floors = dict[str, list[Floor]]


class Stats(TypedDict):
    """What libFuzzer's output says about a run."""
    exec_per_s: float
    cov: int
    ft: int
    units: int


class FuzzError(Exception):
    """Bad input: one line, exit status 2."""


def load_floors(path: Path) -> Floors:
    """target -> list of (build pattern, min exec/s, min cov, [functions], reason)."""
    floors: Floors = {}
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        text, _, reason = line.partition("#")
        fields = text.split()
        if not fields:
            continue
        if len(fields) not in (4, 5):
            raise FuzzError(f"{path}:{number}: expected 'target build exec/s cov [func|func...]'")
        target, build, execs, cov = fields[:4]
        functions = fields[4].split("|") if len(fields) == 5 else []
        floors.setdefault(target, []).append(
            (build, float(execs), int(cov), functions, reason.strip()))
    return floors


def parse_targets(listed: str) -> list[str]:
    """The targets a comma-separated list names ("" or "all": every one)."""
    if listed in ("", "all"):
        return list(TARGETS)
    targets = listed.split(",")
    for target in targets:
        if target not in TARGETS:
            raise FuzzError(f"unknown target '{target}' (targets: {', '.join(TARGETS)})")
    return targets


def floor_for(floors: Floors, target: str, build_id: str) -> Optional[Floor]:
    """The most specific row: the exact build, then the library name, then '*'."""
    library = build_id.split("-")[0]
    rows = floors.get(target, [])
    for pattern in (build_id, library, "*"):
        for row in rows:
            if row[0] == pattern:
                return row
    return None


def target_flags(repo: Path, target: str) -> list[str]:
    """libFuzzer flags from fuzz/<target>_fuzzer.options ([libfuzzer] `name = value` lines, the
    OSS-Fuzz convention; none without the file)."""
    path = repo / "fuzz" / f"{target}_fuzzer.options"
    if not path.exists():
        return []
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise FuzzError(f"{path}: cannot read ({error.strerror})") from error
    flags, section = [], ""
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if line.startswith("["):
            section = line
        if not line or line.startswith(("#", "[")) or section != "[libfuzzer]":
            continue
        name, equals, value = line.partition("=")
        if not equals or not name.strip():
            raise FuzzError(f"{path}:{number}: expected 'name = value'")
        flags.append(f"-{name.strip()}={value.strip()}")
    return flags


# With -fork, a crashing job's whole log follows this line: its figures are not the run's.
INNER_LOG = "INFO: log from the inner process:"


def parse_stats(log: str) -> Stats:
    stats: Stats = {"exec_per_s": 0.0, "cov": 0, "ft": 0, "units": 0}
    for line in log.splitlines():
        if line.startswith(INNER_LOG):
            break
        if m := re.search(r"\bcov: (\d+) ft: (\d+)", line):
            stats["cov"], stats["ft"] = int(m.group(1)), int(m.group(2))
        if m := re.search(r"exec/s:? (\d+)", line):  # "exec/s 300" in -fork lines
            stats["exec_per_s"] = float(m.group(1))
        if m := re.match(r"stat::average_exec_per_sec:\s+(\d+)", line):
            stats["exec_per_s"] = float(m.group(1))
        if m := re.match(r"stat::number_of_executed_units:\s+(\d+)", line):
            stats["units"] = int(m.group(1))
    return stats


def covered_functions(fuzzer: str, corpora: list[str], env: dict[str, str]) -> set[str]:
    """Functions the corpora reach, from libFuzzer's -print_coverage=1."""
    run = subprocess.run([fuzzer, "-runs=0", "-print_coverage=1", *corpora], env=env,
                         capture_output=True, text=True, errors="replace")
    names: set[str] = set()
    for line in (run.stdout + run.stderr).splitlines():
        if m := re.match(r"COVERED_FUNC: hits: \d+ edges: \d+/\d+ (\S+)", line):
            names.add(m.group(1))
    return names


# libFuzzer's progress lines: "#4096 pulse cov: 812 ft: 1290 corp: 51/9Kb ..." and, with -fork,
# "#20000: cov: 812 ft: 1290 corp: 51 exec/s 300 ... time: 60s ...".
PROGRESS = re.compile(r"^#(\d+)(?::|\s+\w+)\s+cov: (\d+) ft: (\d+) corp: (\d+)")
SERIES_POINTS = 240  # at most, evenly thinned: a campaign's curve, not its every line


def coverage_series(timed: list[tuple[float, str]]) -> list[list[float]]:
    """[seconds since the start, executions, cov, ft, corpus] per progress line, thinned."""
    inner = next((i for i, (_, line) in enumerate(timed) if line.startswith(INNER_LOG)),
                 len(timed))
    points = [[round(seconds, 1), *map(float, m.groups())]
              for seconds, line in timed[:inner] if (m := PROGRESS.match(line))]
    if len(points) <= SERIES_POINTS:
        return points
    step = len(points) / SERIES_POINTS
    return [points[int(i * step)] for i in range(SERIES_POINTS - 1)] + [points[-1]]


def newest_artifact(directory: Path) -> Optional[Path]:
    found = [p for p in directory.iterdir() if p.name.startswith(ARTIFACT_KINDS)
             and not p.name.endswith(".min")]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def streamed(command: list[str], env: dict[str, str],
             timed: Optional[list[tuple[float, str]]] = None) -> tuple[int, str]:
    """Runs a command with its output passed on to stdout as it comes (scripts/fuzz logs it, and
    shows it with --verbose) and kept for reading: (exit status, output). `timed` receives each
    line with the seconds since the start."""
    kept: list[str] = []
    start = time.monotonic()
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace") as process:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()  # live in the log and with --verbose, not in 8 KiB bursts
            kept.append(line)
            if timed is not None:
                timed.append((time.monotonic() - start, line))
    return process.returncode, "".join(kept)


def crash_report(log: str, most: int = 60) -> list[str]:
    """The sanitizer's or libFuzzer's report of a finding, from its first line to the input's
    Base64 line (at most `most` lines): CI keeps what is printed, not the log."""
    lines = log.splitlines()
    start = next((i for i, line in enumerate(lines) if re.search(
        r"^==\d+==\s*ERROR|runtime error:|^==\d+== ERROR: libFuzzer|ERROR: libFuzzer", line)), None)
    if start is None:
        return lines[-most:]
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("Base64:")),
               len(lines) - 1)
    return lines[start:min(end + 1, start + most)]


def run_one(build_id: str, tree: Path, instrumented: bool, target: str, args: argparse.Namespace,
            floors: Floors, repo: Path) -> dict[str, Any]:
    fuzzer = tree / "fuzz" / f"{target}_fuzzer"
    if not fuzzer.is_file():
        raise FuzzError(f"{fuzzer}: no such fuzzer (is {tree} a fuzz tree?)")
    seeds = repo / "corpora" / target
    work = args.out / build_id / target
    corpus, artifacts = work / "corpus", work / "artifacts"
    if args.fresh:  # a campaign's runs all start from the committed seeds alone
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(artifacts, ignore_errors=True)
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    command = [str(fuzzer), f"-max_total_time={args.seconds}", "-print_final_stats=1",
               f"-artifact_prefix={artifacts}/", "-timeout=20", "-rss_limit_mb=3072"]
    if target in DICTIONARIES:  # the *_hostile targets' inputs are edit lists: no dictionary fits
        dictionary = repo / "corpora" / "dict" / (DICTIONARIES[target] + ".dict")
        command.append(f"-dict={dictionary}")
    command += target_flags(repo, target)
    if args.fork:  # forked jobs' timeouts and OOMs are findings too, as without -fork
        command += [f"-fork={args.fork}", "-ignore_timeouts=0", "-ignore_ooms=0"]
    command += [*args.libfuzzer, str(corpus), str(seeds)]
    print(f"$ {shlex.join(command)}", flush=True)
    timed: list[tuple[float, str]] = []
    returncode, log = streamed(command, env, timed)
    plain = env.get("MTLS_FUZZ_PLAIN_MUTATOR", "0") != "0"
    result: dict[str, Any] = {"build": build_id, "target": target, "instrumented": instrumented,
              "seconds": args.seconds, "fork": args.fork,
              "mutator": "libFuzzer's own" if plain else "structure-aware", **parse_stats(log),
              "corpus": len(list(corpus.iterdir())), "series": coverage_series(timed),
              "problems": []}
    if returncode != 0:
        result["report"] = crash_report(log)
        artifact = newest_artifact(artifacts)
        if artifact is None:
            result["problems"].append(f"libFuzzer exited {returncode} (see {work}/fuzz.log)")
        else:
            minimised = artifact.with_name(artifact.name + ".min")
            streamed([str(fuzzer), "-minimize_crash=1", "-max_total_time=60",
                      f"-exact_artifact_path={minimised}", str(artifact)], env)
            reproducer = minimised if minimised.exists() else artifact
            kind = artifact.name.split("-")[0].upper()
            sanitizer_env = " ".join(f"{name}={shlex.quote(env[name])}" for name in
                                     ("UBSAN_OPTIONS", "ASAN_OPTIONS", "LSAN_OPTIONS")
                                     if name in env)
            result["problems"].append(
                f"{kind}: reproduce with: {sanitizer_env} {fuzzer} {reproducer}")
    floor = None if args.no_floors else floor_for(floors, target, build_id)
    if floor is not None:
        _, min_execs, min_cov, functions, reason = floor
        if result["exec_per_s"] < min_execs:
            result["problems"].append(
                f"exec/s {result['exec_per_s']:.0f} below the floor {min_execs:.0f} ({reason})")
        if (instrumented or target in PROJECT_ONLY) and result["cov"] < min_cov:
            result["problems"].append(
                f"coverage {result['cov']} below the floor {min_cov} ({reason})")
        if instrumented and functions:
            reached = covered_functions(str(fuzzer), [str(corpus), str(seeds)], env)
            result["reached"] = [f for f in functions if any(f in name for name in reached)]
            if not result["reached"]:
                result["problems"].append(f"reaches none of {', '.join(functions)} ({reason})")
    if args.merge and instrumented and returncode == 0:
        streamed([str(fuzzer), "-merge=1", str(seeds), str(corpus)], env)
    return result


def verdict(result: dict[str, Any]) -> str:
    """"ok (reaches f)", or the problems joined."""
    text = "; ".join(result["problems"]) or "ok"
    if result.get("reached"):
        text += f" (reaches {', '.join(result['reached'])})"
    return text


def run_line(result: dict[str, Any]) -> str:
    """A run's line as scripts/fuzz prints it: its figures, its verdict, each problem on a line of
    its own (a crash's reproducer is a whole command)."""
    figures = (f"{result['exec_per_s']:,.0f} exec/s, cov {result['cov']}, ft {result['ft']}, "
               f"corpus {result['corpus']}"
               f"{'' if result['instrumented'] else ' (backend not instrumented)'}")
    if not result["problems"]:
        return f"{figures}: {verdict(result)}"
    return "\n".join([f"{figures}: {len(result['problems'])} problem(s)",
                      *(f"  {problem}" for problem in result["problems"]),
                      *(f"  | {line}" for line in result.get("report", []))])


def summary_table(results: list[dict[str, Any]]) -> str:
    lines = [f"{'build':<14} {'target':<13} {'instr':<5} {'exec/s':>8} {'cov':>6} {'ft':>7} "
             f"{'corpus':>6}  result"]
    for r in results:
        lines.append(f"{r['build']:<14} {r['target']:<13} {'yes' if r['instrumented'] else 'no':<5} "
                     f"{r['exec_per_s']:>8.0f} {r['cov']:>6} {r['ft']:>7} {r['corpus']:>6}  "
                     f"{verdict(r)}")
    return "\n".join(lines)


def command_run(args: argparse.Namespace) -> int:
    parts = args.tree.split("=")
    if len(parts) != 3 or parts[2] not in ("yes", "no"):
        raise FuzzError(f"'{args.tree}': expected id=tree_dir=instrumented (yes or no)")
    build_id, directory, instrumented = parts
    if args.target not in TARGETS:
        raise FuzzError(f"unknown target '{args.target}' (targets: {', '.join(TARGETS)})")
    target = args.target
    floors = load_floors(args.repo / "fuzz" / "floors.txt")
    result = run_one(build_id, Path(directory), instrumented == "yes", target, args, floors,
                     args.repo)
    work = args.out / build_id / target
    (work / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    (work / "result.txt").write_text(run_line(result) + "\n")
    return 0


def load_results(paths: list[str]) -> list[dict[str, Any]]:
    results = []
    for path in paths:
        try:
            results.append(json.loads(Path(path).read_text()))
        except (OSError, ValueError) as error:
            raise FuzzError(f"{path}: {error}") from error
    return results


def split_libfuzzer_flags(argv: list[str]) -> tuple[list[str], list[str]]:
    """(our arguments, libFuzzer's: everything after --)."""
    if "--" not in argv:
        return argv, []
    return argv[:argv.index("--")], argv[argv.index("--") + 1:]


def command_summary(args: argparse.Namespace) -> int:
    results = load_results(args.results)
    table = summary_table(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.txt").write_text(table + "\n")
    (args.out / "summary.json").write_text(json.dumps(results, indent=2) + "\n")
    failing = [r for r in results if r["problems"]]
    print(f"{len(results)} runs, {len(failing) or 'none'} with a problem", file=sys.stderr)
    for r in failing:
        for problem in r["problems"]:
            print(f"  {r['build']} {r['target']}: {problem}", file=sys.stderr)
    print(f"summary: {args.out / 'summary.txt'}", file=sys.stderr)
    return 1 if failing else 0


def main(argv: Optional[list[str]] = None) -> int:
    argv, libfuzzer = split_libfuzzer_flags(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    targets = commands.add_parser("targets", help="the targets a --targets list names")
    targets.add_argument("list", nargs="?", default="")
    run = commands.add_parser("run", help="one target of one build")
    run.add_argument("--seconds", type=int, default=60)
    run.add_argument("--fork", type=int, default=0)
    run.add_argument("--out", type=Path, required=True)
    run.add_argument("--repo", type=Path, required=True)
    run.add_argument("--merge", action="store_true")
    run.add_argument("--fresh", action="store_true",
                     help="start from the committed seeds alone (no earlier working corpus)")
    run.add_argument("--no-floors", action="store_true",
                     help="no floors (they hold for scripts/fuzz's short runs, not campaigns)")
    run.add_argument("tree", help="id=tree_dir=instrumented(yes|no)")
    run.add_argument("target")
    summary = commands.add_parser("summary", help="the table of the runs and the exit status")
    summary.add_argument("--out", type=Path, required=True)
    summary.add_argument("results", nargs="+", metavar="RESULT_JSON")
    args = parser.parse_args(argv)
    args.libfuzzer = libfuzzer
    try:
        if args.command == "targets":
            print("\n".join(parse_targets(args.list)))
            return 0
        if args.command == "run":
            return command_run(args)
        return command_summary(args)
    except FuzzError as error:
        print(f"fuzz: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
