#!/usr/bin/python3
"""scripts/lava selftest (CTest label `lava`): a real LAVA, started here from Debian's packages
(lava_instance.py), runs the microcontroller job that scripts/lava writes for qemu's board, and:
1. the job ends Complete;
2. scripts/lava results turns its log into results JSON in which every case verified both peers
   (the firmware's own count of handshakes that did);
3. those rows equal mcu_bench.py's direct run of the same firmware: instructions per side, bytes,
   heap, stack, flash and RAM;
4. scripts/report renders them.
One line per step; a component that cannot run here is a FAIL naming it. Exit 0: all passed."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from typing import Any

import lava_boards
import lava_cli
from lava_instance import USER, Instance, InstanceError, tail

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
GROUPS = "P-256,X25519"
HANDSHAKES = "2"


class Failed(Exception):
    """A check that did not hold."""


def say(message: str) -> None:
    print(f"lava selftest: {message}", file=sys.stderr, flush=True)


def run_job(args: argparse.Namespace, board: lava_boards.Board) -> str:
    """Starts the instance, runs the job; the job log's path."""
    instance = Instance(args.work)
    job, log = os.path.join(args.work, "job.yaml"), os.path.join(args.work, "job.log.yaml")
    try:
        say(f"starting LAVA (PostgreSQL, lava-server on {instance.url}, lava-scheduler, "
            "lava-worker, a qemu device)")
        instance.start()
        status = lava_cli.main(["job", "--board", board.name, "--device-type", "qemu",
                                "--artifact", f"file://{os.path.abspath(args.firmware)}",
                                "--plugin", os.path.abspath(args.plugin), "--cases",
                                ",".join(f"mtls/{group}" for group in GROUPS.split(",")),
                                "--handshakes", HANDSHAKES, "--out", job])
        if status != 0:
            raise Failed(f"scripts/lava job failed ({status})")
        job_id = instance.submit(job)
        say(f"job {job_id} submitted ({job}); waiting at most {args.timeout} s")
        health = instance.wait(job_id, args.timeout)
        instance.log(job_id, log)
        if health != "Complete":
            raise Failed(f"LAVA job {job_id} ended {health}: "
                         + tail(log, 3) + f" (worker: {tail(instance.logs + '/worker.log', 2)})")
        say(f"PASS: LAVA job {job_id} Complete (log: {log})")
    finally:
        if args.keep:
            say(f"left running (--keep): lavacli --uri http://{USER}:{instance.token}@127.0.0.1:"
                f"{instance.port}/RPC2 ...; process groups "
                + ", ".join(str(p.pid) for p in instance.services.values()))
        else:
            instance.stop()
    return log


def direct_run(args: argparse.Namespace, board: lava_boards.Board, out: str) -> str:
    """mcu_bench.py on the same firmware: the reference figures."""
    assert board.qemu is not None
    script = os.path.join(HERE, "mcu_bench.py")
    command = [sys.executable, script, "--firmware", args.firmware, "--board", board.qemu.machine,
               "--arch", board.arch, "--plugin", args.plugin, "--groups", GROUPS,
               "--handshakes", HANDSHAKES, "--out", out]
    # Newer mcu_bench.py measures more versions and schemes by default: the job's cases only.
    if "--versions" in subprocess.run([sys.executable, script, "--help"], capture_output=True,
                                      text=True).stdout:
        command += ["--versions", "TLSv1.3", "--schemes", "ecdsa-p256"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise Failed(f"mcu_bench.py (the direct run) exit {done.returncode}: "
                     + " | ".join(done.stderr.strip().splitlines()[-3:]))
    written = [name for name in os.listdir(out) if name.endswith(".json")]
    if len(written) != 1:
        raise Failed(f"mcu_bench.py wrote {len(written)} results files into {out}")
    return os.path.join(out, written[0])


def compare(lava: dict[str, Any], direct: dict[str, Any]) -> list[str]:
    """Every row's figures identical; one line per row for the log."""
    rows = {row["name"]: row for row in lava["benchmarks"]}
    lines = []
    for reference in direct["benchmarks"]:
        row = rows.pop(reference["name"], None)
        if row is None:
            raise Failed(f"{reference['name']}: in the direct run, not in the LAVA job's results")
        if row.get("mutual_auth_verified") != 1 or row.get("error_occurred"):
            raise Failed(f"{row['name']}: not every handshake verified both peers on the board")
        differ = sorted(key for key in set(row) | set(reference) if row.get(key) != reference.get(key))
        if differ:
            raise Failed(f"{row['name']}: differs from the direct run in "
                         + ", ".join(f"{key} ({row.get(key)} vs {reference.get(key)})"
                                     for key in differ[:4]))
        lines.append(f"{row['name']}: client {row['client_instructions']:,.0f} / server "
                     f"{row['server_instructions']:,.0f} instructions per handshake, as the "
                     "direct run; both peers verified")
    if rows:
        raise Failed(f"rows only in the LAVA job's results: {', '.join(rows)}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firmware", required=True, help="mtls-mcu-<id>.elf (its .map beside it)")
    parser.add_argument("--plugin", required=True, help="the qemu plugin: libmtls_insn_count.so")
    parser.add_argument("--board", default="mps2-an386", help="an emulated microcontroller board")
    parser.add_argument("--work", required=True, help="a directory for the instance's logs, the "
                        "job, its log and the results (emptied first)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds the job may take")
    parser.add_argument("--keep", action="store_true", help="leave the instance running")
    args = parser.parse_args()
    try:
        board = lava_boards.board(args.board)
    except lava_boards.BoardError as error:
        parser.error(str(error))
    if not (board.emulated and board.kind == lava_boards.FIRMWARE):
        parser.error(f"--board {board.name}: not a microcontroller board qemu emulates")
    for path in (args.firmware, args.plugin):
        if not os.path.isfile(path):
            parser.error(f"{path}: no such file")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    lava_out, direct_out = os.path.join(args.work, "results"), os.path.join(args.work, "direct")
    os.makedirs(direct_out)
    try:
        log = run_job(args, board)
        status = lava_cli.main(["results", "--log", log, "--board", board.name, "--out", lava_out])
        if status != 0:
            raise Failed(f"scripts/lava results exit {status}")
        files = sorted(os.path.join(lava_out, name) for name in os.listdir(lava_out))
        say(f"PASS: results JSON from the job's log: {', '.join(files)}")
        reference = direct_run(args, board, direct_out)
        with open(files[0], encoding="utf-8") as f, open(reference, encoding="utf-8") as g:
            for line in compare(json.load(f), json.load(g)):
                say(f"PASS: {line}")
        report = subprocess.run([os.path.join(REPO, "scripts", "report"), lava_out],
                                capture_output=True, text=True, timeout=600)
        if report.returncode != 0:
            raise Failed(f"scripts/report exit {report.returncode}: "
                         + " | ".join(report.stderr.strip().splitlines()[-2:]))
        say(f"PASS: scripts/report rendered {lava_out}/report.md")
    except InstanceError as error:
        say(f"FAIL: {error.component} could not run here: {error}")
        return 1
    except Failed as error:
        say(f"FAIL: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
