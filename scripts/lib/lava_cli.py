#!/usr/bin/python3
"""scripts/lava's `job` and `results` (see scripts/lava --help): the options, and bad input as one
line naming what is wrong, exit 2."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import NoReturn, Optional
from urllib.parse import unquote, urlparse

import lava_boards
import lava_jobs
import lava_results
from lava_yaml import dump
from mcu_bench import marker_addresses


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        print(f"lava: {message} (see --help)", file=sys.stderr)
        sys.exit(2)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number")
    return int(text)


def _clock(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a clock in Hz > 0")
    return value


def parser() -> _Parser:
    top = _Parser(prog="scripts/lava", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    job = commands.add_parser("job", help="write a LAVA job definition (YAML)")
    job.add_argument("--board", required=True, help=f"one of: {', '.join(lava_boards.BOARDS)}")
    job.add_argument("--device-type", required=True, help="the LAVA device type: one of "
                     f"{', '.join(lava_boards.DEVICE_TYPES)}, or your lab's own with --boot-method")
    job.add_argument("--artifact", required=True, metavar="URL", help="the firmware image "
                     "(http(s)://, or file:// on the LAVA worker), or scripts/bundle's tarball "
                     "(the board fetches it; file://: a path on the board)")
    job.add_argument("--boot-method", help="for a device type not listed: how it boots "
                     "(firmware: cmsis-dap, pyocd, openocd, jlink; Linux: u-boot)")
    job.add_argument("--cases", default=lava_jobs.DEFAULT_CASES, help="firmware: CASE/GROUP"
                     "[/VERSION],...; qemu runs each, a real board's firmware prints each "
                     f"(default {lava_jobs.DEFAULT_CASES})")
    job.add_argument("--handshakes", type=_positive, default=2, help="qemu: per case (default 2)")
    job.add_argument("--plugin", help="qemu: the instruction-count plugin on the LAVA worker "
                     "(build/mcu/<arch>/qemu_plugin/libmtls_insn_count.so)")
    job.add_argument("--elf", help="with --plugin: the firmware ELF, for its marker addresses "
                     "(default: the --artifact file:// path)")
    job.add_argument("--kernel", metavar="URL", help="Linux: the kernel")
    job.add_argument("--dtb", metavar="URL", help="Linux, u-boot: the device tree")
    job.add_argument("--ramdisk", metavar="URL", help="Linux: an initramfs")
    job.add_argument("--rootfs", metavar="URL", help="Linux: the root file system (u-boot: an NFS "
                     "root tarball; qemu: a raw disk image)")
    job.add_argument("--prompt", help="Linux: the shell prompt (a regular expression)")
    job.add_argument("--login", help="Linux: the user to log in as at 'login:'")
    job.add_argument("--kernel-args", default="", help="Linux on qemu: the kernel command line")
    job.add_argument("--run-args", default="--quick", help="Linux: run.sh's arguments (default "
                     "--quick)")
    job.add_argument("--timeout-minutes", type=_positive, default=0,
                     help="the test action's timeout (default: firmware 10 per case, Linux 60)")
    job.add_argument("--job-name", default="")
    job.add_argument("--tag", action="append", default=[], help="a LAVA device tag (repeatable)")
    job.add_argument("--out", help="the job file (default: standard output)")
    results = commands.add_parser("results", help="a finished job's log -> results JSON")
    source = results.add_mutually_exclusive_group(required=True)
    source.add_argument("--log", help="the raw job log: lavacli jobs logs --raw JOB_ID > "
                        "job.log.yaml")
    source.add_argument("--serial", help="instead: the board's serial output captured by hand "
                        "(one line as the board printed it, a line)")
    results.add_argument("--board", required=True, help="the board the job ran on")
    results.add_argument("--out", required=True, metavar="DIR", help="where the JSON goes")
    results.add_argument("--map", help="firmware: its link map (default: beside a file:// ELF "
                         "the job deployed)")
    results.add_argument("--clock-hz", type=_clock, help="firmware: the clock the board ran at, "
                         "where the firmware does not report it")
    return top


def markers(args: argparse.Namespace) -> list[str]:
    elf = args.elf
    if elf is None and urlparse(args.artifact).scheme == "file":
        elf = unquote(urlparse(args.artifact).path)
    if elf is None:
        raise lava_jobs.JobError("--plugin needs the firmware's marker addresses: --elf FILE")
    if not os.path.isfile(elf):
        raise lava_jobs.JobError(f"{elf}: no such file")
    try:
        return marker_addresses(elf)
    except (OSError, subprocess.CalledProcessError, RuntimeError) as error:
        raise lava_jobs.JobError(f"{elf}: no marker addresses: {error}") from error


def write_job(args: argparse.Namespace) -> int:
    board = lava_boards.board(args.board)
    request = lava_jobs.Request(
        board=board,
        device_type=lava_boards.device_type(args.device_type, board, args.boot_method),
        artifact=args.artifact, cases=lava_jobs.parse_cases(args.cases),
        handshakes=args.handshakes, plugin=args.plugin, kernel=args.kernel, dtb=args.dtb,
        ramdisk=args.ramdisk, rootfs=args.rootfs, prompt=args.prompt, login=args.login,
        kernel_args=args.kernel_args, run_args=args.run_args,
        timeout_minutes=args.timeout_minutes, job_name=args.job_name, tags=args.tag)
    if args.plugin:
        request.markers = markers(args)
    text = dump(lava_jobs.job(request))
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as error:
        raise lava_jobs.JobError(f"{args.out}: cannot write: {error}") from error
    print(f"lava: {args.out}: submit with lavacli jobs submit {args.out}; then "
          f"{lava_jobs.results_command(board.name)}", file=sys.stderr)
    return 0


def write_results(args: argparse.Namespace) -> int:
    board = lava_boards.board(args.board)
    try:
        done = lava_results.convert(args.log or args.serial, board, args.out, map_path=args.map,
                                    clock_hz=args.clock_hz, serial=args.serial is not None)
    except OSError as error:
        raise lava_results.LogError(f"{args.out}: {error}") from error
    for note in done.notes:
        print(f"lava: {note}", file=sys.stderr)
    for path in done.files:
        print(f"lava: -> {path}", file=sys.stderr)
    return 1 if done.failed else 0


def main(argv: Optional[list[str]] = None) -> int:
    args = parser().parse_args(argv)
    try:
        return write_job(args) if args.command == "job" else write_results(args)
    except (lava_boards.BoardError, lava_jobs.JobError, lava_results.LogError) as error:
        print(f"lava: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
