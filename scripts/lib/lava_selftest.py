#!/usr/bin/python3
"""scripts/lava selftest (CTest label `lava`): a real LAVA, started here from Debian's packages
(lava_instance.py), runs the microcontroller job that scripts/lava writes for qemu's board, and:
1. the job ends Complete;
2. scripts/lava results turns its log into results JSON in which every case verified both peers
   (the firmware's own count of handshakes that did);
3. those rows equal mcu_bench.py's direct run of the same firmware: instructions per side, bytes,
   heap, stack, flash and RAM;
4. scripts/report renders them.
The jobs for real boards (CMSIS-DAP, pyOCD, OpenOCD, J-Link, U-Boot) cannot run here: the server
checks them against its schema.
With --linux-kernel and --linux-initrd (scripts/lava selftest --linux) also the Linux job for the
armhf bundle on qemu's Cortex-A7 (virt): Complete, its results JSON out of the log with an
intact MD5, every row verified by mtls-bench, rendered in the same report.
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
from results import ResultsError, case_name, describe, headline

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
GROUPS = "P-256,X25519"
HANDSHAKES = "2"
LINUX_PROMPT = "mtls-bench-qemu# "  # what scripts/lava's initramfs sets
# The jobs for boards this machine has not got: the server's own schema checks them
# (scheduler.jobs.validate), one per boot method.
LINUX_BOARD = ["--artifact", "https://example.com/mtls-bench-aarch64.tar.gz", "--kernel",
               "https://example.com/Image", "--dtb", "https://example.com/board.dtb", "--rootfs",
               "https://example.com/rootfs.tar.xz", "--prompt", "root@debian:", "--login", "root"]
UNRUN_JOBS = {
    "cmsis-dap": ["--board", "frdm-k64f", "--device-type", "frdm-k64f",
                  "--artifact", "https://example.com/mtls-mcu.bin"],
    "pyocd": ["--board", "lpcxpresso55s69", "--device-type", "lpcxpresso55s69",
              "--artifact", "https://example.com/mtls-mcu.elf"],
    "openocd": ["--board", "stm32f4-discovery", "--device-type", "stm32f4-discovery",
                "--boot-method", "openocd", "--artifact", "https://example.com/mtls-mcu.elf"],
    "jlink": ["--board", "frdm-k64f", "--device-type", "frdm-k64f-jlink", "--boot-method",
              "jlink", "--artifact", "https://example.com/mtls-mcu.bin"],
    "u-boot": ["--board", "rpi-4-b", "--device-type", "bcm2711-rpi-4-b", *LINUX_BOARD],
}


class Failed(Exception):
    """A check that did not hold."""


def say(message: str) -> None:
    print(f"lava selftest: {message}", file=sys.stderr, flush=True)


def firmware_job(args: argparse.Namespace, board: lava_boards.Board) -> list[str]:
    """scripts/lava job's arguments for the firmware on qemu's board."""
    return ["--board", board.name, "--device-type", "qemu",
            "--artifact", f"file://{os.path.abspath(args.firmware)}",
            "--plugin", os.path.abspath(args.plugin),
            "--cases", ",".join(f"mtls/{group}" for group in GROUPS.split(",")),
            "--handshakes", HANDSHAKES]


def linux_job(args: argparse.Namespace) -> list[str]:
    """scripts/lava job's arguments for the armhf bundle on qemu's Cortex-A7: the headline case
    only (the whole suite would take hours under TCG); the tarball is in the initramfs."""
    name = case_name(describe(), **headline())
    return ["--board", "qemu-armhf", "--device-type", "qemu",
            "--artifact", "file:///opt/mtls-bench-armhf.tar.gz",
            "--kernel", f"file://{os.path.abspath(args.linux_kernel)}",
            "--ramdisk", f"file://{os.path.abspath(args.linux_initrd)}",
            "--prompt", LINUX_PROMPT, "--timeout-minutes", "20",
            "--run-args", f"--quick '--benchmark_filter=^{name}$'"]


def run_jobs(args: argparse.Namespace, jobs: dict[str, list[str]]) -> dict[str, str]:
    """Starts the instance, runs each job scripts/lava writes (name: its arguments) to
    Complete; each job's log."""
    instance = Instance(args.work)
    logs = {}
    try:
        say(f"starting LAVA (PostgreSQL, lava-server on {instance.url}, lava-scheduler, "
            "lava-worker, a qemu device)")
        instance.start()
        validate(args, instance)
        for name, arguments in jobs.items():
            job = os.path.join(args.work, f"{name}.job.yaml")
            log = os.path.join(args.work, f"{name}.job.log.yaml")
            status = lava_cli.main(["job", *arguments, "--out", job])
            if status != 0:
                raise Failed(f"scripts/lava job failed ({status})")
            job_id = instance.submit(job)
            say(f"{name}: job {job_id} submitted ({job}); waiting at most {args.timeout} s")
            health = instance.wait(job_id, args.timeout)
            instance.log(job_id, log)
            if health != "Complete":
                raise Failed(f"{name}: LAVA job {job_id} ended {health}: " + tail(log, 3)
                             + f" (worker: {tail(instance.logs + '/worker.log', 2)})")
            say(f"PASS: {name}: LAVA job {job_id} Complete (log: {log})")
            logs[name] = log
    finally:
        if args.keep:
            say(f"left running (--keep): lavacli --uri http://{USER}:{instance.token}@127.0.0.1:"
                f"{instance.port}/RPC2 ...; process groups "
                + ", ".join(str(p.pid) for p in instance.services.values()))
        else:
            instance.stop()
    return logs


def validate(args: argparse.Namespace, instance: Instance) -> None:
    """The server's schema on the jobs for real boards, which cannot run here."""
    for method, arguments in UNRUN_JOBS.items():
        job = os.path.join(args.work, f"{method}.job.yaml")
        if lava_cli.main(["job", *arguments, "--out", job]) != 0:
            raise Failed(f"scripts/lava job failed for {method}")
        try:
            instance.lavacli("jobs", "validate", job)
        except InstanceError as error:
            raise Failed(f"LAVA rejects the {method} job ({job}): {error}") from error
    say(f"PASS: LAVA's schema accepts the jobs for real boards ({', '.join(UNRUN_JOBS)}; "
        "not run: no such board here)")


def results(log: str, board: str, out: str) -> list[str]:
    """scripts/lava results on a job's log; the files it wrote."""
    status = lava_cli.main(["results", "--log", log, "--board", board, "--out", out])
    if status != 0:
        raise Failed(f"scripts/lava results exit {status} on {log}")
    files = sorted(os.path.join(out, name) for name in os.listdir(out) if name.endswith(".json"))
    say(f"PASS: results JSON from the job's log: {', '.join(files)}")
    return files


def check_linux(files: list[str]) -> None:
    """Every row of the board's results verified both peers (mtls-bench's own counter)."""
    for path in files:
        with open(path, encoding="utf-8") as f:
            rows = json.load(f)["benchmarks"]
        bad = [row["name"] for row in rows
               if row.get("error_occurred") or row.get("mutual_auth_verified") != 1]
        if not rows or bad:
            raise Failed(f"{path}: {len(rows)} rows, not verified: {', '.join(bad) or 'none'}")
        say(f"PASS: {os.path.basename(path)}: " + ", ".join(row["name"] for row in rows)
            + ": both peers verified on the Linux board")


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
    parser.add_argument("--linux-kernel", help="also a Linux job: qemu-system-arm's kernel (virt)")
    parser.add_argument("--linux-initrd", help="and its initramfs: a shell with the prompt "
                        f"'{LINUX_PROMPT}', the armhf bundle in /opt/mtls-bench-armhf.tar.gz")
    args = parser.parse_args()
    try:
        board = lava_boards.board(args.board)
    except lava_boards.BoardError as error:
        parser.error(str(error))
    if not (board.emulated and board.kind == lava_boards.FIRMWARE):
        parser.error(f"--board {board.name}: not a microcontroller board qemu emulates")
    if bool(args.linux_kernel) != bool(args.linux_initrd):
        parser.error("--linux-kernel and --linux-initrd go together")
    for path in [args.firmware, args.plugin] + ([args.linux_kernel, args.linux_initrd]
                                                if args.linux_kernel else []):
        if not os.path.isfile(path):
            parser.error(f"{path}: no such file")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    lava_out, direct_out = os.path.join(args.work, "results"), os.path.join(args.work, "direct")
    linux_out = os.path.join(args.work, "results-linux")
    os.makedirs(direct_out)
    jobs = {"firmware": firmware_job(args, board)}
    try:
        if args.linux_kernel:
            jobs["linux"] = linux_job(args)
        logs = run_jobs(args, jobs)
        files = results(logs["firmware"], board.name, lava_out)
        reference = direct_run(args, board, direct_out)
        with open(files[0], encoding="utf-8") as f, open(reference, encoding="utf-8") as g:
            for line in compare(json.load(f), json.load(g)):
                say(f"PASS: {line}")
        inputs = [lava_out]
        if "linux" in logs:
            check_linux(results(logs["linux"], "qemu-armhf", linux_out))
            inputs.append(linux_out)
        report = subprocess.run([os.path.join(REPO, "scripts", "report"), *inputs],
                                capture_output=True, text=True, timeout=600)
        if report.returncode != 0:
            raise Failed(f"scripts/report exit {report.returncode}: "
                         + " | ".join(report.stderr.strip().splitlines()[-2:]))
        say(f"PASS: scripts/report rendered {lava_out}/report.md")
    except ResultsError as error:
        say(f"FAIL: the rows' names come from a host build's mtls-bench: {error}")
        return 1
    except InstanceError as error:
        say(f"FAIL: {error}")
        return 1
    except Failed as error:
        say(f"FAIL: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
