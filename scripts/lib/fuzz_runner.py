#!/usr/bin/python3
"""Runs libFuzzer targets of fuzz trees for a time budget each and checks them against floors.

Called by scripts/fuzz with one "id=tree_dir=instrumented" argument per backend build. For each
build and target: fuzzes into a working corpus seeded from corpora/<target>/, reads exec/s and
coverage from libFuzzer's output, checks the floors in fuzz/floors.txt (exec/s, coverage, and the
library functions a target must reach), and on a crash minimises the input and prints the command
that reproduces it. Writes summary.txt and summary.json into the output directory.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional, TypedDict

TARGETS = ["x509_der", "x509_pem", "client_chain", "server_mtls", "client_mtls", "server_hostile",
           "client_hostile", "pem_loader", "link_profile"]
DICTIONARIES = {"x509_der": "asn1", "client_chain": "asn1", "x509_pem": "pem", "pem_loader": "pem",
                "server_mtls": "tls", "client_mtls": "tls", "link_profile": "json"}
# The *_hostile targets run one handshake per input (a few per second instrumented): libFuzzer's
# default length control would keep them below the five bytes of a first edit for minutes; ten
# edits are plenty (driver/attack_input.h).
TARGET_FLAGS = {target: ["-max_len=41", "-len_control=0"]
                for target in ("server_hostile", "client_hostile")}
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


def load_floors(path: Path) -> Floors:
    """target -> list of (build pattern, min exec/s, min cov, [functions], reason)."""
    floors: Floors = {}
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        text, _, reason = line.partition("#")
        fields = text.split()
        if not fields:
            continue
        if len(fields) not in (4, 5):
            sys.exit(f"{path}:{number}: expected 'target build exec/s cov [func|func...]'")
        target, build, execs, cov = fields[:4]
        functions = fields[4].split("|") if len(fields) == 5 else []
        floors.setdefault(target, []).append(
            (build, float(execs), int(cov), functions, reason.strip()))
    return floors


def floor_for(floors: Floors, target: str, build_id: str) -> Optional[Floor]:
    """The most specific row: the exact build, then the library name, then '*'."""
    library = build_id.split("-")[0]
    rows = floors.get(target, [])
    for pattern in (build_id, library, "*"):
        for row in rows:
            if row[0] == pattern:
                return row
    return None


def parse_stats(log: str) -> Stats:
    stats: Stats = {"exec_per_s": 0.0, "cov": 0, "ft": 0, "units": 0}
    for line in log.splitlines():
        if m := re.search(r"\bcov: (\d+) ft: (\d+)", line):
            stats["cov"], stats["ft"] = int(m.group(1)), int(m.group(2))
        if m := re.search(r"exec/s: (\d+)", line):
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


def newest_artifact(directory: Path) -> Optional[Path]:
    found = [p for p in directory.iterdir() if p.name.startswith(ARTIFACT_KINDS)
             and not p.name.endswith(".min")]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def run_one(build_id: str, tree: Path, instrumented: bool, target: str, args: argparse.Namespace,
            floors: Floors, repo: Path) -> dict[str, Any]:
    fuzzer = tree / "fuzz" / f"{target}_fuzzer"
    seeds = repo / "corpora" / target
    work = args.out / build_id / target
    corpus, artifacts = work / "corpus", work / "artifacts"
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    command = [str(fuzzer), f"-max_total_time={args.seconds}", "-print_final_stats=1",
               f"-artifact_prefix={artifacts}/", "-timeout=20", "-rss_limit_mb=3072"]
    if target in DICTIONARIES:  # the *_hostile targets' inputs are edit lists: no dictionary fits
        dictionary = repo / "corpora" / "dict" / (DICTIONARIES[target] + ".dict")
        command.append(f"-dict={dictionary}")
    command += TARGET_FLAGS.get(target, [])
    if args.fork:
        command.append(f"-fork={args.fork}")
    command += [*args.libfuzzer, str(corpus), str(seeds)]
    print(f"== {build_id} {target}: {args.seconds} s"
          f"{'' if instrumented else ' (backend not instrumented: libFuzzer sees only the harness)'}",
          file=sys.stderr, flush=True)
    run = subprocess.run(command, env=env, capture_output=True, text=True, errors="replace")
    log = run.stdout + run.stderr
    (work / "fuzz.log").write_text(log)
    result: dict[str, Any] = {"build": build_id, "target": target, "instrumented": instrumented,
              "seconds": args.seconds, **parse_stats(log),
              "corpus": len(list(corpus.iterdir())), "problems": []}
    if run.returncode != 0:
        artifact = newest_artifact(artifacts)
        if artifact is None:
            result["problems"].append(f"libFuzzer exited {run.returncode} (see {work}/fuzz.log)")
        else:
            minimised = artifact.with_name(artifact.name + ".min")
            subprocess.run([str(fuzzer), "-minimize_crash=1", "-max_total_time=60",
                            f"-exact_artifact_path={minimised}", str(artifact)], env=env,
                           capture_output=True)
            reproducer = minimised if minimised.exists() else artifact
            kind = artifact.name.split("-")[0].upper()
            sanitizer_env = " ".join(f"{name}={shlex.quote(env[name])}" for name in
                                     ("UBSAN_OPTIONS", "ASAN_OPTIONS") if name in env)
            result["problems"].append(
                f"{kind}: reproduce with: {sanitizer_env} {fuzzer} {reproducer}")
    floor = floor_for(floors, target, build_id)
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
    if args.merge and instrumented and run.returncode == 0:
        subprocess.run([str(fuzzer), "-merge=1", str(seeds), str(corpus)], env=env,
                       capture_output=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--fork", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--merge", action="store_true")
    parser.add_argument("trees", nargs="+", help="id=tree_dir=instrumented(yes|no)")
    argv = sys.argv[1:]
    libfuzzer: list[str] = []
    if "--" in argv:
        libfuzzer = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    args = parser.parse_args(argv)
    args.libfuzzer = libfuzzer
    targets = args.targets.split(",")
    for target in targets:
        if target not in TARGETS:
            sys.exit(f"fuzz: unknown target '{target}' (targets: {', '.join(TARGETS)})")
    floors = load_floors(args.repo / "fuzz" / "floors.txt")
    results = []
    for tree in args.trees:
        build_id, directory, instrumented = tree.split("=")
        for target in targets:
            results.append(run_one(build_id, Path(directory), instrumented == "yes", target, args,
                                   floors, args.repo))
    lines = [f"{'build':<14} {'target':<13} {'instr':<5} {'exec/s':>8} {'cov':>6} {'ft':>7} "
             f"{'corpus':>6}  result"]
    for r in results:
        verdict = "; ".join(r["problems"]) or "ok"
        if r.get("reached"):
            verdict += f" (reaches {', '.join(r['reached'])})"
        lines.append(f"{r['build']:<14} {r['target']:<13} {'yes' if r['instrumented'] else 'no':<5} "
                     f"{r['exec_per_s']:>8.0f} {r['cov']:>6} {r['ft']:>7} {r['corpus']:>6}  {verdict}")
    table = "\n".join(lines)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.txt").write_text(table + "\n")
    (args.out / "summary.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"summary: {args.out / 'summary.txt'}", file=sys.stderr)
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
