#!/usr/bin/python3
"""Compares the answers of several backend builds' mtls-verify runs (scripts/x509-diff).

Chains mode: each answer file holds one JSON line per input ({"input", "verdict": accept |
reject | skipped, "error_class", "reason"}). An input on which the builds that evaluated it do
not all agree is a disagreement, unless every build on the minority side has a row in the
differences file whose pattern matches its reason. Limbo mode: each answer file is a limbo
results document; prints a testcase x build table next to the expected result.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Optional

# One build's answer on one input: input, verdict, error_class, reason.
Answer = dict[str, str]
# (build or library, compiled reason regex, why): a deliberate difference.
Difference = tuple[str, re.Pattern[str], str]


def load_differences(path: str) -> list[Difference]:
    """[(build or library, compiled reason regex, why)] from 'who  regex  # why' lines."""
    rows: list[Difference] = []
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        text, _, why = line.partition("#")
        if not text.strip():
            continue
        who, _, pattern = text.strip().partition(" ")
        if not pattern.strip():
            sys.exit(f"{path}:{number}: expected 'build-or-library  reason-regex  # why'")
        rows.append((who, re.compile(pattern.strip()), why.strip()))
    return rows


def explained(build: str, answer: Answer, differences: list[Difference]) -> Optional[str]:
    library = build.split("-")[0]
    for who, pattern, why in differences:
        if who in (build, library) and pattern.search(answer.get("reason", "")):
            return why
    return None


def compare_chains(answers: list[tuple[str, str]], differences: list[Difference]) -> int:
    by_input: dict[str, dict[str, Answer]] = {}
    for build, path in answers:
        for line in Path(path).read_text().splitlines():
            answer = json.loads(line)
            by_input.setdefault(answer["input"], {})[build] = answer
    unexplained: list[str] = []
    explained_count = 0
    for name, per_build in sorted(by_input.items()):
        evaluated = {b: a for b, a in per_build.items() if a["verdict"] != "skipped"}
        verdicts = {a["verdict"] for a in evaluated.values()}
        if len(verdicts) < 2:
            continue
        accepting = [b for b, a in evaluated.items() if a["verdict"] == "accept"]
        rejecting = [b for b, a in evaluated.items() if a["verdict"] == "reject"]
        minority = accepting if len(accepting) <= len(rejecting) else rejecting
        reasons = [explained(b, evaluated[b], differences) for b in minority]
        if all(reasons):
            explained_count += 1
            continue
        unexplained.append(name)
        print(f"DISAGREEMENT on {name}:")
        for build, answer in sorted(per_build.items()):
            detail = answer.get("error_class", "")
            if answer.get("reason"):
                detail += f" ({answer['reason']})"
            print(f"  {build:<14} {answer['verdict']:<8} {detail}")
    print(f"{len(by_input)} inputs, {len(answers)} builds: {len(unexplained)} unexplained "
          f"disagreements, {explained_count} explained by the differences file")
    return 1 if unexplained else 0


def compare_limbo(answers: list[tuple[str, str]], suite_path: str) -> int:
    suite = json.loads(Path(suite_path).read_text())
    expected = {t["id"]: t["expected_result"] for t in suite["testcases"]}
    results: dict[str, dict[str, Any]] = {}
    for build, path in answers:
        for r in json.loads(Path(path).read_text())["results"]:
            results.setdefault(r["id"], {})[build] = r
    builds = [b for b, _ in answers]
    short = {"SUCCESS": "pass", "FAILURE": "FAIL", "SKIPPED": "skip"}
    print(f"{'testcase':<48} {'expected':<8} " + " ".join(f"{b:<13}" for b in builds))
    mismatches = 0
    for case_id, want in expected.items():
        cells = []
        for build in builds:
            actual = results.get(case_id, {}).get(build, {}).get("actual_result", "SKIPPED")
            wrong = actual not in ("SKIPPED", want)
            mismatches += wrong
            cells.append(f"{short[actual] + (' !' if wrong else ''):<13}")
        print(f"{case_id:<48} {short[want]:<8} " + " ".join(cells))
    print(f"{len(expected)} testcases x {len(builds)} builds: {mismatches} results differ from "
          "the expected one ('!'); skip = the backend cannot apply the testcase (reason in the "
          "JSON)")
    return 1 if mismatches else 0


def build_and_file(argument: str) -> tuple[str, str]:
    build, path = argument.split("=", 1)
    return build, path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--differences", required=True)
    parser.add_argument("--limbo")
    parser.add_argument("--json")
    parser.add_argument("answers", nargs="+", help="build=answer-file")
    args = parser.parse_args()
    answers = [build_and_file(a) for a in args.answers]
    if args.json:
        merged: dict[str, Any] = {}
        for build, path in answers:
            text = Path(path).read_text()
            merged[build] = (json.loads(text) if args.limbo
                             else [json.loads(line) for line in text.splitlines()])
        Path(args.json).write_text(json.dumps(merged, indent=1) + "\n")
    if args.limbo:
        return compare_limbo(answers, args.limbo)
    return compare_chains(answers, load_differences(args.differences))


if __name__ == "__main__":
    sys.exit(main())
