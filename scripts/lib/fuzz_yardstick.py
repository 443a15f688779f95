#!/usr/bin/python3
"""Our fuzz targets beside the libraries' own: each pair runs for the same time, at the same time,
one process per core, each from its own seeds (ours: corpora/<target>/; theirs: the seeds their
source package ships), on the same instrumented library build where the library allows it.

scripts/fuzz --upstream drives it (scripts/deps --upstream-fuzzers builds theirs):
  fuzz_yardstick.py pairs PREFIX     the pairs PREFIX/pairs.txt lists, "fuzzer target" a line;
  fuzz_yardstick.py run --seconds N --out DIR --repo REPO --build ID --tree TREE --upstream PREFIX
                    FUZZER           runs FUZZER of PREFIX and its pair of TREE side by side;
                                     writes DIR/ID/FUZZER/result.json;
  fuzz_yardstick.py summary --out DIR RESULT_JSON...
                                     DIR/fuzz-yardstick.json (scripts/report reads it) and
                                     DIR/fuzz-yardstick.txt, the table, also printed.

Coverage is counted twice: libFuzzer's own (`cov`: every instrumented edge of the binary, the
harness's included, so not comparable between two harnesses) and the library's edges alone: the
edges of the functions -print_coverage=1 lists as covered after the run, minus the harness's
(theirs: the source paths PREFIX/harness_paths.txt names; ours: this project's tree) and /usr/.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Optional, TypedDict

import fuzz_runner

COVERED = re.compile(r"^COVERED_FUNC: hits: \d+ edges: (\d+)/\d+ (.+) (\S+):\d+$")
ENTRY = "LLVMFuzzerTestOneInput"


class Pair(TypedDict):
    fuzzer: str
    target: str
    flags: list[str]
    note: str


class Side(TypedDict):
    """One fuzzer's run: libFuzzer's figures, the library's edges, what stopped it early."""
    exec_per_s: float
    cov: int
    ft: int
    units: int
    corpus: int
    library_edges: int
    library_functions: int
    problem: str


def load_pairs(prefix: Path) -> list[Pair]:
    path = prefix / "pairs.txt"
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise fuzz_runner.FuzzError(f"{path}: cannot read ({error.strerror})") from error
    pairs: list[Pair] = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("|")
        if len(fields) != 4 or fields[1] not in fuzz_runner.TARGETS:
            raise fuzz_runner.FuzzError(
                f"{path}:{number}: expected 'fuzzer|our target|libFuzzer flags|note'")
        pairs.append({"fuzzer": fields[0], "target": fields[1], "flags": fields[2].split(),
                      "note": fields[3]})
    return pairs


def their_harness(fuzzer: str, coverage: str, harness_paths: list[str]) -> Callable[[str], bool]:
    """Whether a source path is their harness's: its LLVMFuzzerTestOneInput lies in one of
    `harness_paths` (relative to the source root), which locates the root."""
    entry = next((m.group(3) for m in map(COVERED.match, coverage.splitlines())
                  if m and m.group(2) == ENTRY), None)
    if entry is None:
        raise fuzz_runner.FuzzError(f"{fuzzer}: -print_coverage=1 names no {ENTRY}")
    directory = os.path.normpath(os.path.dirname(entry))
    for harness in (h.strip("/") for h in harness_paths):
        if directory.endswith("/" + harness):
            roots = tuple(directory[:-len(harness)] + h.strip("/") + "/" for h in harness_paths)
            return lambda path: path.startswith(roots)
    raise fuzz_runner.FuzzError(f"{fuzzer}: {ENTRY} is in {directory}, under none of "
                                f"{', '.join(harness_paths)}")


def our_harness(repo: Path) -> Callable[[str], bool]:
    """Whether a source path is this project's: some tail of it is a file of the repo. (The
    compiler cache may have compiled our files in other checkouts, so the prefix varies.)"""
    def ours(path: str) -> bool:
        parts = path.split("/")
        return any((repo.joinpath(*parts[i:])).is_file() for i in range(1, len(parts) - 1))
    return ours


def library_coverage(fuzzer: str, corpus: Path, env: dict[str, str],
                     harness: Optional[list[str]], repo: Path) -> tuple[int, int]:
    """(edges, functions) the corpus covers in the library's code: neither the harness's (their
    `harness` paths, or this project's tree when None) nor the system's (/usr/)."""
    run = subprocess.run([fuzzer, "-runs=0", "-print_coverage=1", str(corpus)], env=env,
                         capture_output=True, text=True, errors="replace")
    coverage = run.stdout + run.stderr
    if run.returncode != 0:
        raise fuzz_runner.FuzzError(f"{fuzzer}: replaying {corpus} for its coverage exited "
                                    f"{run.returncode}")
    is_harness = our_harness(repo) if harness is None else their_harness(fuzzer, coverage,
                                                                          harness)
    edges = functions = 0
    for match in map(COVERED.match, coverage.splitlines()):
        if not match:
            continue
        path = os.path.normpath(match.group(3))
        if path.startswith("/usr/") or not path.startswith("/") or is_harness(path):
            continue
        edges += int(match.group(1))
        functions += 1
    return edges, functions


def prepare_corpus(work: Path, seeds: Path) -> Path:
    """A fresh working corpus holding a copy of the seeds (libFuzzer adds to the first dir)."""
    corpus = work / "corpus"
    shutil.rmtree(work, ignore_errors=True)
    corpus.mkdir(parents=True)
    if seeds.is_dir():
        for seed in seeds.iterdir():
            if seed.is_file():
                shutil.copy(seed, corpus / seed.name)
    (work / "artifacts").mkdir()
    return corpus


def side_by_side(commands: list[list[str]], logs: list[Path],
                 env: dict[str, str]) -> list[int]:
    """Runs the commands at once, each pinned to a core of its own where there are enough."""
    cores = sorted(os.sched_getaffinity(0))
    processes = []
    for index, (command, log) in enumerate(zip(commands, logs)):
        pinned = ["taskset", "-c", str(cores[index])] if len(cores) >= len(commands) else []
        with log.open("w") as stream:
            stream.write(f"$ {' '.join(pinned + command)}\n")
            stream.flush()
            processes.append(subprocess.Popen(pinned + command, env=env, stdout=stream,
                                              stderr=subprocess.STDOUT))
    return [process.wait() for process in processes]


def run_context(repo: Path, upstream: Path) -> dict[str, Any]:
    """Where and when a pair ran, for the report's run table: the machine, the project's commit
    and the library version of the upstream build (its VERSION, written by scripts/deps)."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short=12", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    try:
        version = (upstream / "VERSION").read_text().strip()
    except OSError:
        version = "?"
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "commit": commit, "cpu": cpu, "num_cpus": os.cpu_count(),
            "arch": platform.machine(), "backend_version": version}


def run_pair(args: argparse.Namespace) -> dict[str, Any]:
    pairs = {p["fuzzer"]: p for p in load_pairs(args.upstream)}
    if args.fuzzer not in pairs:
        raise fuzz_runner.FuzzError(f"{args.upstream}/pairs.txt has no fuzzer '{args.fuzzer}'")
    pair = pairs[args.fuzzer]
    theirs = args.upstream / "bin" / pair["fuzzer"]
    ours = args.tree / "fuzz" / f"{pair['target']}_fuzzer"
    for binary in (theirs, ours):
        if not os.access(binary, os.X_OK):
            raise fuzz_runner.FuzzError(f"{binary}: no such fuzzer")
    harness_file = args.upstream / "harness_paths.txt"
    try:
        harness_paths = [line.strip() for line in harness_file.read_text().splitlines()
                         if line.strip() and not line.startswith("#")]
    except OSError as error:
        raise fuzz_runner.FuzzError(f"{harness_file}: cannot read ({error.strerror})") from error
    work = args.out / args.build / pair["fuzzer"]
    corpora = [prepare_corpus(work / "theirs", args.upstream / "seeds" / pair["fuzzer"]),
               prepare_corpus(work / "ours", args.repo / "corpora" / pair["target"])]
    common = [f"-max_total_time={args.seconds}", "-print_final_stats=1", "-timeout=20",
              "-rss_limit_mb=3072"]
    ours_flags = fuzz_runner.target_flags(args.repo, pair["target"])
    if pair["target"] in fuzz_runner.DICTIONARIES:
        dictionary = fuzz_runner.DICTIONARIES[pair["target"]]
        ours_flags.append(f"-dict={args.repo / 'corpora' / 'dict' / (dictionary + '.dict')}")
    commands = [[str(binary), *common, *flags, *args.libfuzzer,  # the user's flags win
                 f"-artifact_prefix={corpus.parent}/artifacts/", str(corpus)]
                for binary, flags, corpus in ((theirs, pair["flags"], corpora[0]),
                                              (ours, ours_flags, corpora[1]))]
    logs = [work / "theirs" / "fuzz.log", work / "ours" / "fuzz.log"]
    env = dict(os.environ)
    codes = side_by_side(commands, logs, env)
    sides: dict[str, Side] = {}
    for name, binary, corpus, log, code, harness in (
            ("theirs", theirs, corpora[0], logs[0], codes[0], harness_paths),
            ("ours", ours, corpora[1], logs[1], codes[1], None)):
        stats = fuzz_runner.parse_stats(log.read_text(errors="replace"))
        edges, functions = library_coverage(str(binary), corpus, env, harness, args.repo)
        sides[name] = Side(exec_per_s=stats["exec_per_s"], cov=stats["cov"], ft=stats["ft"],
                           units=stats["units"], corpus=len(list(corpus.iterdir())),
                           library_edges=edges, library_functions=functions,
                           problem="" if code == 0 else f"libFuzzer exited {code} (see {log})")
    return {"build": args.build, "fuzzer": pair["fuzzer"], "target": pair["target"],
            "note": pair["note"], "seconds": args.seconds, "theirs": sides["theirs"],
            "ours": sides["ours"], "context": run_context(args.repo, args.upstream)}


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "–"


def table(results: list[dict[str, Any]]) -> list[list[str]]:
    """Rows: build, their fuzzer, our target, exec/s (theirs, ours, ratio), library edges
    (theirs, ours, ratio), the note."""
    rows = []
    for r in results:
        theirs, ours = r["theirs"], r["ours"]
        rows.append([r["build"], r["fuzzer"], r["target"],
                     f"{theirs['exec_per_s']:,.0f}", f"{ours['exec_per_s']:,.0f}",
                     ratio(ours["exec_per_s"], theirs["exec_per_s"]),
                     f"{theirs['library_edges']:,}", f"{ours['library_edges']:,}",
                     ratio(ours["library_edges"], theirs["library_edges"]),
                     "; ".join(filter(None, [r["note"], theirs["problem"] and "theirs stopped",
                                            ours["problem"] and "ours stopped"]))])
    return rows


HEADER = ["build", "upstream fuzzer", "our target", "exec/s theirs", "exec/s ours", "ours/theirs",
          "library edges theirs", "library edges ours", "ours/theirs", "note"]


def command_summary(args: argparse.Namespace) -> int:
    results = fuzz_runner.load_results(args.results)
    rows = table(results)
    widths = [max(len(str(cell)) for cell in column) for column in zip(HEADER, *rows)]
    text = "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in [HEADER, *rows])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "fuzz-yardstick.json").write_text(
        json.dumps({"kind": "fuzz-yardstick", "runs": results}, indent=2) + "\n")
    (args.out / "fuzz-yardstick.txt").write_text(text + "\n")
    print(text)
    stopped = [f"{r['build']} {r['fuzzer' if side == 'theirs' else 'target']}: "
               f"{r[side]['problem']}" for r in results for side in ("theirs", "ours")
               if r[side]["problem"]]
    for line in stopped:
        print(f"  stopped early: {line}", file=sys.stderr)
    return 1 if any(r["ours"]["problem"] for r in results) else 0


def main(argv: Optional[list[str]] = None) -> int:
    argv, libfuzzer = fuzz_runner.split_libfuzzer_flags(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    pairs = commands.add_parser("pairs", help="the pairs of an upstream build")
    pairs.add_argument("upstream", type=Path)
    run = commands.add_parser("run", help="one pair, side by side")
    run.add_argument("--seconds", type=int, required=True)
    run.add_argument("--out", type=Path, required=True)
    run.add_argument("--repo", type=Path, required=True)
    run.add_argument("--build", required=True)
    run.add_argument("--tree", type=Path, required=True)
    run.add_argument("--upstream", type=Path, required=True)
    run.add_argument("fuzzer")
    summary = commands.add_parser("summary", help="the table and fuzz-yardstick.json")
    summary.add_argument("--out", type=Path, required=True)
    summary.add_argument("results", nargs="+", metavar="RESULT_JSON")
    args = parser.parse_args(argv)
    args.libfuzzer = libfuzzer
    try:
        if args.command == "pairs":
            print("\n".join(f"{p['fuzzer']} {p['target']}" for p in load_pairs(args.upstream)))
            return 0
        if args.command == "run":
            result = run_pair(args)
            work = args.out / args.build / args.fuzzer
            (work / "result.json").write_text(json.dumps(result, indent=2) + "\n")
            print(f"theirs {result['theirs']['exec_per_s']:,.0f} exec/s, "
                  f"{result['theirs']['library_edges']:,} library edges; ours "
                  f"{result['ours']['exec_per_s']:,.0f} exec/s, "
                  f"{result['ours']['library_edges']:,} library edges")
            return 0
        return command_summary(args)
    except fuzz_runner.FuzzError as error:
        print(f"fuzz: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
