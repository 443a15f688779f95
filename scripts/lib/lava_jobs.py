"""LAVA job definitions for the benchmark (scripts/lava job): the firmware on a microcontroller
board, or scripts/bundle's tarball on a Linux-class board. The results come back through the job's
log (scripts/lava results, lava_results.py), so every job prints what the results need on the
board's console:
- firmware: one JSON line per case ({"library": ..., "finished": ...} or {... "skipped": ...}),
  as mcu/harness/main.cc prints it; on qemu also the instruction-count plugin's line at exit. A
  `monitors` test action turns each case line into a LAVA result (pass: both peers verified).
- Linux: an `interactive` test action (no LAVA overlay needed: any shell prompt will do) fetches
  the tarball, runs run.sh and prints each results JSON between marker lines with its MD5.
On qemu each firmware case is its own boot (its arguments travel by semihosting), one LAVA
namespace per case; a real board's firmware prints its cases in one boot, one monitor each."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import unquote, urlparse

from lava_boards import FIRMWARE, Board, DeviceType, check_image

# The firmware's arguments per version, beyond the default TLS 1.3 (which needs none, so that
# firmware predating --protocol/--version runs the default cases too).
VERSION_ARGUMENTS: dict[str, list[str]] = {
    "TLSv1.3": [], "TLSv1.2": ["--protocol=tls", "--version=1.2"],
    "DTLSv1.2": ["--protocol=dtls", "--version=1.2"]}
FIRMWARE_CASES = ("mtls", "psk", "untrusted-ca", "wrong-eku")
DEFAULT_CASES = "mtls/P-256,mtls/X25519"
# The Linux test's marker lines; the shell builds each from "$m" so that the echo of the command
# itself never matches (lava_results.py reads the same names).
MARKER = "MTLS-BENCH"
CONSOLES = {"arm": "ttyAMA0", "arm64": "ttyAMA0", "riscv64": "ttyS0"}
KERNEL_TYPES = {"armhf": "zimage", "aarch64": "image", "riscv64": "image"}


class JobError(ValueError):
    """A job that cannot be written as asked (one line)."""


@dataclass(frozen=True)
class Case:
    """One firmware run: the case (mcu/harness/main.cc --case), group and version."""
    case: str
    group: str
    version: str

    def arguments(self) -> list[str]:
        return [f"--case={self.case}", f"--group={self.group}"] + VERSION_ARGUMENTS[self.version]

    def label(self) -> str:
        return f"{self.case}-{self.group}-{self.version}".lower().replace(".", "")


def parse_cases(text: str) -> list[Case]:
    """CASE/GROUP[/VERSION],...: e.g. mtls/P-256,mtls/X25519/TLSv1.2,psk/X25519/DTLSv1.2."""
    cases = []
    for item in text.split(","):
        parts = item.strip().split("/")
        if len(parts) not in (2, 3) or not all(parts):
            raise JobError(f"--cases: '{item}' is not CASE/GROUP[/VERSION]")
        version = parts[2] if len(parts) == 3 else "TLSv1.3"
        if parts[0] not in FIRMWARE_CASES:
            raise JobError(f"--cases: unknown case '{parts[0]}' ({', '.join(FIRMWARE_CASES)})")
        if version not in VERSION_ARGUMENTS:
            raise JobError(f"--cases: unknown version '{version}' ({', '.join(VERSION_ARGUMENTS)})")
        cases.append(Case(parts[0], parts[1], version))
    return cases


@dataclass
class Request:
    """What the user asked for (scripts/lava job's options)."""
    board: Board
    device_type: DeviceType
    artifact: str
    cases: list[Case] = field(default_factory=lambda: parse_cases(DEFAULT_CASES))
    handshakes: int = 2
    plugin: Optional[str] = None  # qemu: the instruction-count plugin on the worker
    markers: list[str] = field(default_factory=list)  # its marker0..2=ADDR arguments
    kernel: Optional[str] = None
    dtb: Optional[str] = None
    ramdisk: Optional[str] = None
    rootfs: Optional[str] = None
    prompt: Optional[str] = None
    login: Optional[str] = None
    kernel_args: str = ""  # qemu: the kernel command line (default: its console and root)
    run_args: str = "--quick"
    timeout_minutes: int = 0  # 0: the kind's default
    job_name: str = ""
    tags: list[str] = field(default_factory=list)


def monitor(name: str) -> dict[str, Any]:
    """A monitor for one case line of the firmware: a result per line (pass: every handshake
    verified both peers), ending at the line's end. [^\\n]: pexpect matches with DOTALL."""
    return {"name": name, "start": r'\{"library": ',
            "end": r'("finished": (true|false)|"skipped": "[^"\n]*")\}',
            "pattern": r'"case": "(?P<test_case_id>[^"]+)"[^\n{}]*?'
                       r'"mutual_auth_verified": (?P<result>true|false)',
            "fixupdict": {"true": "pass", "false": "fail"}}


# The plugin's line at qemu's exit: {"none": N, "client": N, "server": N, "markers": N}.
INSTRUCTIONS_MONITOR = {"name": "instructions", "start": r'\{"none": ', "end": r'"markers": \d+\}',
                        "pattern": r'"(?P<test_case_id>client|server)": (?P<measurement>\d+)'}

def _timeouts(job_minutes: int, action_minutes: int) -> dict[str, Any]:
    # The connection too: a firmware prints its line only once all its handshakes are done.
    return {"job": {"minutes": job_minutes}, "action": {"minutes": action_minutes},
            "connection": {"minutes": action_minutes}}


def qemu_context(request: Request) -> dict[str, Any]:
    qemu = request.board.qemu
    assert qemu is not None
    context: dict[str, Any] = {"arch": qemu.arch, "machine": qemu.machine, "cpu": qemu.cpu,
                               "memory": qemu.memory_mib, "model": f"model={qemu.nic}"
                               if "=" not in qemu.nic else qemu.nic}
    if request.plugin:
        context["extra_options"] = [f"-plugin {','.join([request.plugin] + request.markers)}"]
    return context


def firmware_actions(request: Request) -> list[dict[str, Any]]:
    boot = request.device_type.boot
    check_image(request.artifact, boot)
    test_minutes = request.timeout_minutes or 10
    if boot != "qemu":
        label = "binary" if boot == "openocd" else "firmware"  # openocd commands use {BINARY}
        return [{"deploy": {"to": "tmpfs", "images": {label: {"url": request.artifact}}}},
                {"boot": {"method": boot, "timeout": {"minutes": 10}}},
                {"test": {"timeout": {"minutes": test_minutes},
                          "monitors": [monitor(f"mtls-bench-{case.label()}")
                                       for case in request.cases]}}]
    actions: list[dict[str, Any]] = []
    for number, case in enumerate(request.cases, 1):
        namespace = f"case-{number}"
        # semihosting: argv[0] then the case's arguments (qemu doubles a literal comma)
        arguments = ["mtls-mcu"] + case.arguments() + [f"--handshakes={request.handshakes}"]
        semihosting = ",".join(["enable=on", "target=native"]
                               + [f"arg={arg.replace(',', ',,')}" for arg in arguments])
        monitors = [monitor(f"mtls-bench-{case.label()}")]
        if request.plugin:
            monitors.append({**INSTRUCTIONS_MONITOR, "name": f"instructions-{case.label()}"})
        actions += [
            {"deploy": {"namespace": namespace, "to": "tmpfs", "images": {"firmware": {
                "url": request.artifact,
                "image_arg": f"-kernel {{firmware}} -semihosting-config {semihosting}"}}}},
            {"boot": {"namespace": namespace, "method": "qemu", "timeout": {"minutes": 2}}},
            {"test": {"namespace": namespace, "timeout": {"minutes": test_minutes},
                      "monitors": monitors}}]
    return actions


def shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def linux_script(request: Request) -> list[dict[str, Any]]:
    """The interactive test: fetch the tarball, run it, print every results JSON."""
    bundle = f"mtls-bench-{request.board.arch}"
    url = shell_quote(request.artifact)
    # file://: a tarball already in the board's root file system; else the board fetches it.
    fetch = (f"tar xzf {shell_quote(unquote(urlparse(request.artifact).path))}"
             if request.artifact.startswith("file://")
             else f"{{ wget -qO- {url} || curl -fsSL {url}; }} | tar xzf -")
    cpufreq = "/sys/devices/system/cpu/cpu0/cpufreq"
    # "$m-..." and $((...)) keep the echoed command from matching what it prints.
    return [
        {"command": f"dmesg -n 1 2>/dev/null; cd /tmp && rm -rf {bundle} && {fetch} && "
                    f"echo {MARKER}-FETCHED-$((6*7)) || echo {MARKER}-FETCH-\"\"FAILED",
         "name": "fetch", "successes": [{"message": f"{MARKER}-FETCHED-42"}],
         "failures": [{"message": f"{MARKER}-FETCH-FAILED", "exception": "TestError",
                       "error": f"the board could not fetch {request.artifact}"}]},
        {"command": f"/tmp/{bundle}/run.sh {request.run_args}; echo \"{MARKER}-STATUS=$?\"",
         "name": "run", "successes": [{"message": f"{MARKER}-STATUS=0"}],
         "failures": [{"message": f"{MARKER}-STATUS=[1-9][0-9]*"}]},
        {"command": f"m={MARKER}; echo \"$m-CPUFREQ $(cat {cpufreq}/scaling_cur_freq "
                    f"2>/dev/null || echo -) $(cat {cpufreq}/scaling_governor 2>/dev/null || "
                    f"echo -)\"; cd /tmp/{bundle}/results && for f in *.json; do "
                    f"echo \"$m-RESULT-BEGIN $f $(md5sum < \"$f\" | cut -c1-32)\"; cat \"$f\"; "
                    f"echo; echo \"$m-RESULT-END $f\"; done; echo \"$m-RESULTS-DONE\"",
         "name": "results", "successes": [{"message": f"{MARKER}-RESULTS-DONE"}]}]


def linux_actions(request: Request) -> list[dict[str, Any]]:
    if not request.kernel or not request.prompt:
        raise JobError("a Linux board needs --kernel URL and --prompt REGEX (its shell prompt)")
    boot: dict[str, Any] = {"prompts": [request.prompt], "timeout": {"minutes": 10}}
    if request.login:
        boot["auto_login"] = {"login_prompt": "login:", "username": request.login}
    if request.device_type.boot == "qemu":
        images: dict[str, Any] = {"kernel": {"url": request.kernel, "image_arg": "-kernel {kernel}"}}
        if request.ramdisk:
            images["initrd"] = {"url": request.ramdisk, "image_arg": "-initrd {initrd}"}
        if request.rootfs:
            images["rootfs"] = {"url": request.rootfs,
                                "image_arg": "-drive format=raw,file={rootfs},if=virtio"}
        deploy: dict[str, Any] = {"to": "tmpfs", "images": images}
        boot.update(method="qemu", media="tmpfs")
    else:
        if not request.rootfs:
            raise JobError(f"{request.device_type.name} boots an NFS root: give --rootfs URL "
                           "(a root file system tarball)")
        deploy = {"to": "tftp", "kernel": {"url": request.kernel,
                                           "type": KERNEL_TYPES[request.board.arch]},
                  "nfsrootfs": {"url": request.rootfs,
                                "compression": "gz" if request.rootfs.endswith("gz") else "xz"}}
        if request.dtb:
            deploy["dtb"] = {"url": request.dtb}
        if request.ramdisk:
            deploy["ramdisk"] = {"url": request.ramdisk}
        boot.update(method="u-boot", commands="nfs")
    interactive = {"name": "mtls-bench", "prompts": [request.prompt], "script": linux_script(request)}
    return [{"deploy": {"timeout": {"minutes": 10}, **deploy}}, {"boot": boot},
            {"test": {"timeout": {"minutes": request.timeout_minutes or 60},
                      "interactive": [interactive]}}]


def results_command(board: str) -> str:
    return ("lavacli jobs logs --raw JOB_ID > job.log.yaml && scripts/lava results --log "
            f"job.log.yaml --board {board} --out DIR")


def job(request: Request) -> dict[str, Any]:
    """The job definition (a mapping for lava_yaml.dump)."""
    board, kind = request.board, request.board.kind
    if request.handshakes < 1:
        raise JobError("--handshakes must be at least 1")
    if request.plugin and not board.emulated:
        raise JobError(f"--plugin counts instructions under qemu: {board.name} is a real board")
    actions = firmware_actions(request) if kind == FIRMWARE else linux_actions(request)
    minutes = request.timeout_minutes or (10 if kind == FIRMWARE else 60)
    runs = len(request.cases) if kind == FIRMWARE and board.emulated else 1
    artifact = request.artifact.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    definition: dict[str, Any] = {
        "device_type": request.device_type.name,
        "job_name": request.job_name or f"mtls-bench: {artifact} on {board.name}",
        "timeouts": _timeouts(10 + (minutes + 12) * runs, minutes),
        "priority": "medium", "visibility": "public",
        "metadata": {"mtls-bench.board": board.name, "mtls-bench.arch": board.arch,
                     "mtls-bench.results": results_command(board.name)},
    }
    if request.tags:
        definition["tags"] = request.tags
    if board.qemu is not None:
        context = qemu_context(request)
        if kind != FIRMWARE:
            arguments = request.kernel_args or (f"console={CONSOLES[board.qemu.arch]} " + (
                "root=/dev/vda rw" if request.rootfs else "rdinit=/init"))
            context["extra_options"] = [f"-append \"{arguments}\""]
        definition["context"] = context
    definition["actions"] = actions
    return definition

