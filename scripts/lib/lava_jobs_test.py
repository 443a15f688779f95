"""lava_jobs and lava_boards: the job definitions scripts/lava writes (the qemu one as a real LAVA
ran it: testdata/lava), their monitors against the firmware's real output, and the pairs of
board and device type that cannot work."""
from __future__ import annotations

import os
import re
import unittest
from typing import Any

import yaml

import lava_boards
from lava_boards import BoardError
from lava_jobs import JobError, Request, job, linux_script, parse_cases
from lava_yaml import dump, read_job_log, target_text

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata", "lava")
ELF = "file:///work/build/mcu/cortex-m4/mcu/mtls-mcu-wolfssl-5.7-cortex-m-asm.elf"
PLUGIN = "/work/build/mcu/cortex-m4/qemu_plugin/libmtls_insn_count.so"


def request(board: str, device_type: str, artifact: str, boot_method: Any = None,
            **options: Any) -> Request:
    the_board = lava_boards.board(board)
    return Request(board=the_board, artifact=artifact,
                   device_type=lava_boards.device_type(device_type, the_board, boot_method),
                   **options)


def actions(definition: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [action[kind] for action in definition["actions"] if kind in action]


def firmware_lines() -> list[str]:
    with open(os.path.join(TESTDATA, "mps2-an386.job.log.yaml"), encoding="utf-8") as f:
        return [target_text(e.msg) for e in read_job_log(f.read()) if e.lvl == "target"]


class FirmwareJobTest(unittest.TestCase):
    def test_qemu_runs_each_case_in_its_own_namespace(self) -> None:
        definition = job(request("mps2-an386", "qemu", ELF, plugin=PLUGIN,
                                 markers=["marker0=0x76c", "marker1=0x77c", "marker2=0x78c"]))
        self.assertEqual(definition["context"], {
            "arch": "arm", "machine": "mps2-an386", "cpu": "cortex-m4", "memory": 16,
            "model": "model=lan9118",
            "extra_options": [f"-plugin {PLUGIN},marker0=0x76c,marker1=0x77c,marker2=0x78c"]})
        deploys = actions(definition, "deploy")
        self.assertEqual([d["namespace"] for d in deploys], ["case-1", "case-2"])
        self.assertEqual(deploys[1]["images"]["firmware"]["image_arg"],
                         "-kernel {firmware} -semihosting-config enable=on,target=native,"
                         "arg=mtls-mcu,arg=--case=mtls,arg=--group=X25519,arg=--handshakes=2")
        tests = actions(definition, "test")
        self.assertEqual([m["name"] for m in tests[0]["monitors"]],
                         ["mtls-bench-mtls-p-256-tlsv13", "instructions-mtls-p-256-tlsv13"])

    def test_the_recorded_job_is_what_scripts_lava_writes(self) -> None:
        with open(os.path.join(TESTDATA, "mps2-an386.job.yaml"), encoding="utf-8") as f:
            recorded = f.read()
        artifact = re.search(r"url: '?(file://[^'\s]+)", recorded)
        plugin = re.search(r"-plugin (\S+?),(marker0=\w+),(marker1=\w+),(marker2=\w+)", recorded)
        assert artifact is not None and plugin is not None
        self.assertEqual(yaml.safe_load(dump(job(request(
            "mps2-an386", "qemu", artifact.group(1), plugin=plugin.group(1),
            markers=list(plugin.groups()[1:]))))), yaml.safe_load(recorded))

    def test_the_monitors_match_the_firmwares_output(self) -> None:
        definition = job(request("mps2-an386", "qemu", ELF, plugin=PLUGIN))
        case, instructions = actions(definition, "test")[0]["monitors"]
        output = "\n".join(firmware_lines()[:2]) + "\n"
        # As LAVA runs them: start, then the earliest of end and pattern (pexpect: DOTALL).
        start = re.compile(case["start"], re.DOTALL).search(output)
        assert start is not None
        rest = output[start.end():]
        result = re.compile(case["pattern"], re.DOTALL).search(rest)
        end = re.compile(case["end"], re.DOTALL).search(rest)
        assert result is not None and end is not None
        self.assertLess(result.start(), end.start())
        self.assertEqual(result.groupdict(), {"test_case_id": "mtls", "result": "true"})
        counts = re.compile(instructions["pattern"]).findall(output)
        self.assertEqual(counts, [("client", "16980261"), ("server", "16989695")])

    def test_a_skipped_case_ends_its_monitor_without_taking_the_next_line(self) -> None:
        case = job(request("nucleo-l476rg", "nucleo-l476rg", "http://x/fw.bin"))
        monitor = actions(case, "test")[0]["monitors"][0]
        output = ('{"library": "mbedtls", "case": "mtls", "group": "X25519", "skipped": "no '
                  'X25519"}\n' + firmware_lines()[0] + "\n")
        rest = output[re.compile(monitor["start"]).search(output).end():]  # type: ignore[union-attr]
        end = re.compile(monitor["end"], re.DOTALL).search(rest)
        result = re.compile(monitor["pattern"], re.DOTALL).search(rest)
        assert end is not None and result is not None
        self.assertLess(end.start(), result.start())

    def test_a_real_board_prints_every_case_in_one_boot(self) -> None:
        definition = job(request("frdm-k64f", "frdm-k64f", "https://example.com/fw.bin",
                                 cases=parse_cases("mtls/P-256,psk/X25519/DTLSv1.2")))
        self.assertEqual([list(a) for a in definition["actions"]], [["deploy"], ["boot"], ["test"]])
        self.assertEqual(actions(definition, "boot")[0]["method"], "cmsis-dap")
        self.assertEqual([m["name"] for m in actions(definition, "test")[0]["monitors"]],
                         ["mtls-bench-mtls-p-256-tlsv13", "mtls-bench-psk-x25519-dtlsv12"])
        self.assertNotIn("context", definition)

    def test_a_labs_own_device_type_with_openocd(self) -> None:
        definition = job(request("stm32f4-discovery", "my-stm32f4", "https://x/fw.elf", "openocd"))
        self.assertEqual(actions(definition, "deploy")[0]["images"], {"binary": {"url": "https://x/fw.elf"}})
        self.assertEqual(definition["device_type"], "my-stm32f4")

    def test_cases(self) -> None:
        self.assertEqual(parse_cases("psk/X25519/DTLSv1.2")[0].arguments(),
                         ["--case=psk", "--group=X25519", "--protocol=dtls", "--version=1.2"])
        for text, what in (("mtls", "not CASE/GROUP"), ("bogus/P-256", "unknown case"),
                           ("mtls/P-256/TLSv9", "unknown version")):
            with self.subTest(text=text), self.assertRaisesRegex(JobError, what):
                parse_cases(text)


class LinuxJobTest(unittest.TestCase):
    def test_u_boot_board_boots_an_nfs_root(self) -> None:
        definition = job(request("rpi-4-b", "bcm2711-rpi-4-b", "http://x/mtls-bench-aarch64.tar.gz",
                                 kernel="http://x/Image", dtb="http://x/rpi4.dtb",
                                 rootfs="http://x/root.tar.xz", prompt="root@rpi:", login="root"))
        deploy, boot = actions(definition, "deploy")[0], actions(definition, "boot")[0]
        self.assertEqual((deploy["to"], deploy["kernel"]["type"], deploy["nfsrootfs"]["compression"]),
                         ("tftp", "image", "xz"))
        self.assertEqual((boot["method"], boot["commands"], boot["auto_login"]["username"]),
                         ("u-boot", "nfs", "root"))
        script = actions(definition, "test")[0]["interactive"][0]["script"]
        self.assertEqual([step["name"] for step in script], ["fetch", "run", "results"])

    def test_the_recorded_job_is_what_scripts_lava_writes(self) -> None:
        with open(os.path.join(TESTDATA, "qemu-armhf.job.yaml"), encoding="utf-8") as f:
            recorded = f.read()
        kernel, ramdisk = re.findall(r"url: '?(file://[^'\s]+)", recorded)
        run_args = re.search(r'run.sh (.*); echo', recorded)
        assert run_args is not None
        self.assertEqual(yaml.safe_load(dump(job(request(
            "qemu-armhf", "qemu", "file:///opt/mtls-bench-armhf.tar.gz", kernel=kernel,
            ramdisk=ramdisk, prompt="mtls-bench-qemu# ", timeout_minutes=20,
            run_args=run_args.group(1))))), yaml.safe_load(recorded))

    def test_qemu_board_boots_kernel_and_initramfs(self) -> None:
        definition = job(request("qemu-aarch64", "qemu", "file:///b/mtls-bench-aarch64.tar.gz",
                                 kernel="file:///k", ramdisk="file:///i", prompt="/ # "))
        self.assertEqual(definition["context"]["extra_options"],
                         ['-append "console=ttyAMA0 rdinit=/init"'])
        self.assertEqual(sorted(actions(definition, "deploy")[0]["images"]), ["initrd", "kernel"])

    def test_no_marker_matches_the_command_that_prints_it(self) -> None:
        # The console echoes each command: only the output may match a success or failure.
        for step in linux_script(request("rpi-3-b", "bcm2837-rpi-3-b", "http://x/b.tgz",
                                         kernel="k", rootfs="r.tgz", prompt="# ")):
            for expected in step.get("successes", []) + step.get("failures", []):
                with self.subTest(step=step["name"], message=expected["message"]):
                    self.assertIsNone(re.search(expected["message"], step["command"]))

    def test_what_a_linux_board_needs(self) -> None:
        with self.assertRaisesRegex(JobError, "--kernel URL and --prompt"):
            job(request("rpi-3-b", "bcm2837-rpi-3-b", "http://x/b.tgz"))
        with self.assertRaisesRegex(JobError, "NFS root: give --rootfs"):
            job(request("rpi-3-b", "bcm2837-rpi-3-b", "http://x/b.tgz", kernel="k", prompt="#"))


class BadPairsTest(unittest.TestCase):
    def test_one_line_errors(self) -> None:
        for args, what in (
                (("bogus", "qemu", ELF), "unknown board 'bogus'"),
                (("mps2-an386", "bogus", ELF), "unknown device type 'bogus'"),
                (("mps2-an386", "bcm2711-rpi-4-b", ELF), "boots linux, board 'mps2-an386' runs firmware"),
                (("frdm-k64f", "qemu", ELF), "is real: device type 'qemu' cannot emulate it"),
                (("mps2-an386", "frdm-k64f", ELF), "is emulated: device type 'frdm-k64f' does not"),
                (("frdm-k64f", "frdm-k64f", ELF), "cmsis-dap flashes .bin or .hex"),
                (("frdm-k64f", "mine", ELF, "u-boot"), "'u-boot' does not boot firmware")):
            with self.subTest(args=args), self.assertRaisesRegex(BoardError, what):
                job(request(*args))
        with self.assertRaisesRegex(JobError, "--plugin counts instructions under qemu"):
            job(request("frdm-k64f", "frdm-k64f", "http://x/fw.bin", plugin=PLUGIN))


if __name__ == "__main__":
    unittest.main()
