#!/usr/bin/python3
"""Include-direction check: layers point one way.

Every `#include "..."` of the project's C and C++ sources is resolved to the file it names (beside
the including file, else the one source file whose path ends with the included path) and must
stay in the includer's own component or reach down to a lower layer. Includes that resolve to no
file of the tree (system and library headers) are not the project's and are left alone.

Exit status 0 when every include points down; 1 with one `file:line: ...` line per include that
points up or sideways, is ambiguous, or sits in a folder no layer names.
Usage: /usr/bin/python3 scripts/lib/layers.py [--root DIR] [--list]
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# The layer order, lowest first: each layer's components and the folders they hold. A file may
# include its own component and anything in a lower layer; components of one layer are siblings
# and do not include each other. A folder ending in "/*" makes each of its subfolders a component
# of its own, named after it (a new one needs no entry here).
LAYERS: tuple[dict[str, tuple[str, ...]], ...] = (
    # The backend-agnostic API and what it is built from; core/testing is its test support.
    {"core": ("core/include", "core/src", "core/testing")},
    # One adapter per library over core/include, e.g. "backends/gnutls": none includes another.
    # BoringSSL compiles the OpenSSL adapter's sources (core/backends/openssl/sources.cmake), a
    # build-level sharing: its own folder includes nothing of core/backends/openssl.
    {"backends": ("core/backends/*",)},
    {"peers": ("peers",)},  # the project's own attacking peers and acceptance oracle
    {"conformance": ("conformance",)},  # the matrix; its hostile cases drive peers/
    # The programs: command-line tools, benchmarks, fuzz targets, bare-metal firmware (which uses
    # no other layer). What two of them share moves down, e.g. the CLI helpers into the core.
    {"tools": ("tools",), "bench": ("bench",), "fuzz": ("fuzz",), "mcu": ("mcu",)},
)

# Known includes across the order, each with its reason; the check fails when one is gone, so
# the entry goes with it.
ALLOWED: dict[tuple[str, str], str] = {}

SOURCE_SUFFIXES = (".c", ".cc", ".cpp", ".h", ".hh", ".hpp", ".inc")
SKIPPED_FOLDERS = {".git", "build", "out", "__pycache__"}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


@dataclass(frozen=True)
class Place:
    component: str
    rank: int


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def place_of(path: str) -> Place | None:
    """The component and layer rank of a repository-relative path (longest folder wins)."""
    best: tuple[int, Place] | None = None
    for rank, layer in enumerate(LAYERS):
        for component, folders in layer.items():
            for folder in folders:
                name = component
                if folder.endswith("/*"):  # one component per subfolder
                    parent = folder[:-2]
                    rest = path[len(parent) + 1:] if path.startswith(parent + "/") else ""
                    if "/" not in rest:
                        continue
                    subfolder = rest.split("/", 1)[0]
                    folder, name = f"{parent}/{subfolder}", f"{component}/{subfolder}"
                if path.startswith(folder + "/") and (best is None or len(folder) > best[0]):
                    best = (len(folder), Place(name, rank))
    return best[1] if best else None


def source_files(root: Path) -> list[str]:
    """Repository-relative paths of the C/C++ sources, build outputs left out."""
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part in SKIPPED_FOLDERS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.suffix in SOURCE_SUFFIXES and path.is_file():
            found.append(relative.as_posix())
    return sorted(found)


def resolve(includer: str, included: str, files: set[str], by_name: dict[str, list[str]]
            ) -> tuple[str | None, list[str]]:
    """The file an include names, or None for a header outside the tree; candidates if several."""
    # Normalised, so that "../other/x.h" names the file it reaches.
    beside = os.path.normpath(Path(includer).parent / included)
    if beside in files:
        return beside, []
    candidates = [f for f in by_name.get(Path(included).name, [])
                  if f == included or f.endswith("/" + included)]
    if len(candidates) > 1:
        own = place_of(includer)
        same = [f for f in candidates if own is not None and place_of(f) == own]
        if len(same) == 1:
            return same[0], []
        return None, candidates
    return (candidates[0] if candidates else None), []


def check(root: Path, allowed: dict[tuple[str, str], str] = ALLOWED) -> list[Finding]:
    """What points the wrong way under `root`; `allowed` exempts known includes (see ALLOWED)."""
    files = source_files(root)
    file_set = set(files)
    by_name: dict[str, list[str]] = {}
    for f in files:
        by_name.setdefault(Path(f).name, []).append(f)
    findings: list[Finding] = []
    used_allowances: set[tuple[str, str]] = set()
    for includer in files:
        own = place_of(includer)
        if own is None:
            findings.append(Finding(includer, 1, "in no layer: add its folder to LAYERS in "
                                    "scripts/lib/layers.py"))
            continue
        text = (root / includer).read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            match = INCLUDE.match(line)
            if not match:
                continue
            target, ambiguous = resolve(includer, match.group(1), file_set, by_name)
            if ambiguous:
                findings.append(Finding(includer, number, f'"{match.group(1)}" is ambiguous: '
                                        f'{", ".join(ambiguous)}'))
                continue
            if target is None:
                continue
            theirs = place_of(target)
            if theirs is None or theirs.component == own.component or theirs.rank < own.rank:
                continue
            if (includer, target) in allowed:
                used_allowances.add((includer, target))
                continue
            direction = "a higher layer" if theirs.rank > own.rank else "a sibling component"
            findings.append(Finding(includer, number, f"{own.component} includes {target}: "
                                    f"{theirs.component}, {direction}"))
    for includer, target in sorted(set(allowed) - used_allowances):
        findings.append(Finding(includer, 1, f"no longer includes {target}: remove its entry "
                                "from ALLOWED in scripts/lib/layers.py"))
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2],
                        help="the source tree (default: this script's)")
    parser.add_argument("--list", action="store_true", help="print the layer order and exit")
    args = parser.parse_args(argv)
    if args.list:
        for rank, layer in enumerate(LAYERS):
            print(rank, "  ".join(f"{c}: {' '.join(f)}" for c, f in layer.items()))
        return 0
    findings = check(args.root)
    for finding in findings:
        print(finding, file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
