#!/usr/bin/python3
"""Instruction counts per handshake side, for one build's mtls-count.

Target ISAs: runs mtls-count under qemu-user with the project's TCG plugin (one process counts
both sides). Host: under callgrind, collection toggled around one side (one process per side).
Either way the environment is clean, randomness is a fixed stream (mtls-count's default), and
the figures are per handshake: the counted handshakes' total divided by their number.

Writes Google Benchmark-shaped JSON, or (--merge) adds the counters client_instructions,
server_instructions, handshake_instructions and peak_stack_bytes to the matching entries of an
mtls-bench JSON file. --repeat N runs every case N times and fails unless all counts are equal.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from typing import Any, Optional

from results import HEADLINE, ResultsError, Run, case_name, describe, matches, read_json, write_json

SKIPPED = 77  # exit status when no case applies (CTest's SKIP_RETURN_CODE)
COUNTERS = ("client_instructions", "server_instructions", "handshake_instructions",
            "peak_stack_bytes")
# The JSON line mtls-count prints: its handshakes' figures and build, or {"skipped": reason}.
Program = dict[str, Any]


def clean_env() -> dict[str, str]:
    # Counts depend on the environment (it is on the guest's stack): pass only what must pass.
    env = {}
    if "MTLS_PKI_DIR" in os.environ:
        env["MTLS_PKI_DIR"] = os.environ["MTLS_PKI_DIR"]
    return env


def run_program(cmd: list[str], env: dict[str, str]) -> Program:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"{shlex.join(cmd[-8:])}: exit {done.returncode}: {message}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def count_qemu(args: argparse.Namespace, case: str) -> tuple[Program, Optional[tuple[int, int]]]:
    with tempfile.TemporaryDirectory() as tmp:
        counts_file = os.path.join(tmp, "counts.json")
        cmd = (shlex.split(args.emulator) + ["-plugin", f"{args.plugin},outfile={counts_file}"] +
               [args.count, f"--case_name={case}", f"--handshakes={args.handshakes}",
                "--marker=qemu"])
        program = run_program(cmd, clean_env())
        if "skipped" in program:
            return program, None
        with open(counts_file) as f:
            counts = json.load(f)
    return program, (counts["client"], counts["server"])


def callgrind_total(path: str) -> int:
    with open(path) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError(f"{path}: no totals line")


def count_callgrind(args: argparse.Namespace, case: str
                    ) -> tuple[Program, Optional[tuple[int, ...]]]:
    program: Program = {}
    sides: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        for side in ("client", "server"):
            out = os.path.join(tmp, f"{side}.out")
            cmd = ["valgrind", "--tool=callgrind", "--collect-atstart=no",
                   f"--callgrind-out-file={out}", args.count, f"--case_name={case}",
                   f"--handshakes={args.handshakes}", "--marker=callgrind", f"--side={side}"]
            env = clean_env()
            env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
            program = run_program(cmd, env)
            if "skipped" in program:
                return program, None
            sides.append(callgrind_total(out))
    return program, tuple(sides)


def list_cases(args: argparse.Namespace) -> list[str]:
    if args.emulator:
        cmd = shlex.split(args.emulator) + [args.count, "--list"]
    else:
        cmd = [args.count, "--list"]
    done = subprocess.run(cmd, env=clean_env(), capture_output=True, text=True, check=True)
    return done.stdout.split()


def measure(args: argparse.Namespace, case: str) -> tuple[Optional[dict[str, Any]], Program]:
    """One case, args.repeat times: its per-handshake figures, or None when unsupported."""
    runs = []
    for _ in range(args.repeat):
        program, counts = (count_qemu if args.emulator else count_callgrind)(args, case)
        if counts is None:
            print(f"  {case}: skipped ({program['skipped']})", file=sys.stderr)
            return None, program
        runs.append(counts)
    n = args.handshakes
    client, server = runs[0]
    result = {
        "name": case,
        "client_instructions": client / n,
        "server_instructions": server / n,
        "handshake_instructions": (client + server) / n,
        "peak_stack_bytes": program["peak_stack_bytes"],
        "bytes_c2s": program["bytes_c2s"],
        "bytes_s2c": program["bytes_s2c"],
        "flights": program["flights"],
        "repeats": len(runs),
        "identical": all(r == runs[0] for r in runs),
    }
    if client == 0 or server == 0:
        raise RuntimeError(f"{case}: no instructions counted for a side (markers not seen?)")
    print(f"  {case}: client {client / n:,.0f}, server {server / n:,.0f} instructions per "
          f"handshake{'' if result['identical'] else '  NOT REPEATABLE: ' + str(runs)}",
          file=sys.stderr)
    return result, program


def merge(bench_path: str, results: list[dict[str, Any]], context: dict[str, Any]) -> None:
    bench = read_json(bench_path)
    by_name = {r["name"]: r for r in results}
    for entry in bench["benchmarks"]:
        found = by_name.get(entry.get("run_name", entry["name"]))
        if found is None or entry.get("aggregate_name") in ("stddev", "cv"):
            continue
        for counter in COUNTERS:
            entry[counter] = found[counter]
    bench["context"].update(context)
    write_json(bench_path, bench)


def cases_to_count(args: argparse.Namespace) -> list[str]:
    if args.merge:
        # What the handshake suite verified, in its order (with --headline: only that case).
        wanted = HEADLINE if args.headline else {"suite": "handshake"}
        names = Run(args.merge).select(lambda fields: matches(fields, wanted))
    else:
        # mtls-bench sits beside mtls-count in the tree (a cross tree's runs under its emulator).
        bench = os.path.join(os.path.dirname(os.path.abspath(args.count)), "mtls-bench")
        names = list_cases(args) if args.cases else [case_name(describe(bench), **HEADLINE)]
    if args.cases:  # a user's filter over the names, not a parse of them
        names = [n for n in names if re.search(args.cases, n)]
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", required=True, help="the build's mtls-count binary")
    parser.add_argument("--emulator", help="qemu-user command line (target builds); "
                        "without it: callgrind on the host")
    parser.add_argument("--plugin", help="the TCG plugin (libmtls_insn_count.so)")
    parser.add_argument("--cpu", default="", help="CPU model emulated (recorded in the context)")
    parser.add_argument("--cases", help="regex over case names (default: every case of --merge, "
                        "else the TLS 1.3 ECDSA P-256 mTLS handshake with X25519)")
    parser.add_argument("--headline", action="store_true", help="with --merge: only the TLS 1.3 "
                        "ECDSA P-256 mTLS handshake with X25519 (by its fields)")
    parser.add_argument("--handshakes", type=int, default=4, help="counted handshakes per run")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; counts must agree")
    parser.add_argument("--merge", help="mtls-bench JSON to add the counters to")
    parser.add_argument("--out", help="write the results here (JSON)")
    args = parser.parse_args()
    if args.emulator and not args.plugin:
        parser.error("--emulator needs --plugin")
    if args.handshakes < 1 or args.repeat < 1:
        parser.error("--handshakes and --repeat must be positive")
    if args.headline and not args.merge:
        parser.error("--headline needs --merge")
    for path in (args.count, args.plugin, args.merge):
        if path and not os.path.isfile(path):
            parser.error(f"{path}: no such file")

    counter = ("qemu-user TCG plugin (executed guest instructions)" if args.emulator
               else "callgrind (Ir)")
    context = {"instruction_counter": counter, "instructions_per": "handshake, per side"}
    if args.cpu:
        # The benchmark's own "cpu" field is the host's, read through the emulator.
        context.update({"emulated_cpu": args.cpu, "cpu": f"{args.cpu} (emulated by qemu-user)",
                        "times": "emulated: not the target CPU's"})
    results: list[dict[str, Any]] = []
    program: Program = {}
    try:
        for case in cases_to_count(args):
            result, program = measure(args, case)
            if result:
                results.append(result)
    except (RuntimeError, ResultsError, subprocess.SubprocessError, json.JSONDecodeError) as error:
        print(f"insn_count: {error}", file=sys.stderr)
        return 2
    if args.merge:
        merge(args.merge, results, context)
    if args.out:
        context.update({k: program[k] for k in ("backend", "backend_version", "arch") if k in program})
        with open(args.out, "w") as f:
            json.dump({"context": context, "benchmarks": results}, f, indent=2)
    if not results:
        print("insn_count: nothing counted: every case is unsupported by this backend",
              file=sys.stderr)
        return SKIPPED
    not_repeatable = [r["name"] for r in results if not r["identical"]]
    if not_repeatable:
        print(f"insn_count: counts differ between runs: {', '.join(not_repeatable)}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
