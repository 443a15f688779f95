"""What scripts/lava knows about boards and LAVA device types. A board is what the results are
attributed to (its CPU, the results' arch, whether qemu emulates it); a device type is how a LAVA
lab deploys and boots it (the boot method, which image files it takes). The user names both: the
board from BOARDS, the device type from DEVICE_TYPES or their lab's own with --boot-method."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

FIRMWARE, LINUX = "firmware", "linux"  # what runs: the project's firmware, or scripts/bundle's tarball


class BoardError(ValueError):
    """An unknown board or device type, or a pair that cannot work (one line)."""


@dataclass(frozen=True)
class Qemu:
    """How LAVA's qemu device type emulates a board (its job context)."""
    arch: str  # LAVA's context arch: arm, arm64, riscv64
    machine: str
    cpu: str
    memory_mib: int
    nic: str  # the board's network model (the template always adds a NIC)


@dataclass(frozen=True)
class Board:
    name: str
    kind: str
    arch: str  # the results' arch (scripts/bench --arch, scripts/bundle ARCH)
    chip: str  # for the results' context and docs/lava.md
    qemu: Optional[Qemu] = None  # set: an emulated board

    @property
    def emulated(self) -> bool:
        return self.qemu is not None


BOARDS = {board.name: board for board in [
    # Microcontrollers: the firmware of mcu/ (build/mcu/<arch>/mcu/mtls-mcu-<id>.elf).
    Board("mps2-an386", FIRMWARE, "cortex-m4", "Arm MPS2 AN386 (Cortex-M4)",
          Qemu("arm", "mps2-an386", "cortex-m4", 16, "lan9118")),
    Board("mps2-an505", FIRMWARE, "cortex-m33", "Arm MPS2 AN505 (Cortex-M33)",
          Qemu("arm", "mps2-an505", "cortex-m33", 16, "lan9118")),
    Board("netduinoplus2", FIRMWARE, "cortex-m4", "STM32F405RG (qemu's Netduino Plus 2)",
          Qemu("arm", "netduinoplus2", "cortex-m4", 1, "lan9118")),
    Board("netduino-plus-2", FIRMWARE, "cortex-m4", "STM32F405RG (Cortex-M4F)"),
    Board("stm32f4-discovery", FIRMWARE, "cortex-m4", "STM32F407VG (Cortex-M4F)"),
    Board("nucleo-l476rg", FIRMWARE, "cortex-m4", "STM32L476RG (Cortex-M4F)"),
    Board("disco-l475-iot1", FIRMWARE, "cortex-m4", "STM32L475VG (Cortex-M4F)"),
    Board("frdm-k64f", FIRMWARE, "cortex-m4", "NXP MK64FN1M0VLL12 (Cortex-M4F)"),
    Board("lpcxpresso55s69", FIRMWARE, "cortex-m33", "NXP LPC55S69 (Cortex-M33)"),
    # Linux-class: scripts/bundle ARCH's tarball, run.sh on the board.
    Board("qemu-armhf", LINUX, "armhf", "Cortex-A7 (qemu virt)",
          Qemu("arm", "virt", "cortex-a7", 1024, "model=virtio")),
    Board("qemu-aarch64", LINUX, "aarch64", "Cortex-A53 (qemu virt)",
          Qemu("arm64", "virt", "cortex-a53", 1024, "model=virtio")),
    Board("qemu-riscv64", LINUX, "riscv64", "SiFive U54 (qemu virt)",
          Qemu("riscv64", "virt", "sifive-u54", 1024, "model=virtio")),
    Board("rpi-2-b", LINUX, "armhf", "BCM2836 (Cortex-A7)"),
    Board("rpi-3-b", LINUX, "aarch64", "BCM2837 (Cortex-A53)"),
    Board("rpi-4-b", LINUX, "aarch64", "BCM2711 (Cortex-A72)"),
    Board("beaglebone-black", LINUX, "armhf", "TI AM3358 (Cortex-A8)"),
]}


@dataclass(frozen=True)
class DeviceType:
    name: str
    kind: str
    boot: str  # LAVA's boot method
    note: str = ""


# How each boot method takes the image: the suffixes it flashes (empty: any), and why.
IMAGE_SUFFIXES = {
    "cmsis-dap": ((".bin", ".hex"), "CMSIS-DAP copies the image to the board's USB drive, which "
                  "takes .bin or .hex (arm-none-eabi-objcopy -O binary FIRMWARE.elf FIRMWARE.bin)"),
    "jlink": ((".bin",), "J-Link loads a raw image at the device's flash address "
              "(arm-none-eabi-objcopy -O binary FIRMWARE.elf FIRMWARE.bin)"),
    "pyocd": ((), ""), "openocd": ((), ""), "qemu": ((), ""), "u-boot": ((), ""),
}
BOOT_METHODS = {FIRMWARE: ("cmsis-dap", "pyocd", "openocd", "jlink"), LINUX: ("u-boot",)}

DEVICE_TYPES = {device_type.name: device_type for device_type in [
    DeviceType("qemu", FIRMWARE + "," + LINUX, "qemu", "LAVA's qemu device type: the job's context "
               "picks the board's machine and CPU"),
    DeviceType("frdm-k64f", FIRMWARE, "cmsis-dap", "NXP FRDM-K64F, DAPLink USB drive"),
    DeviceType("nucleo-l476rg", FIRMWARE, "cmsis-dap", "ST Nucleo-64, ST-LINK USB drive"),
    DeviceType("disco-l475-iot1", FIRMWARE, "cmsis-dap", "ST B-L475E-IOT01A, ST-LINK USB drive"),
    DeviceType("lpcxpresso55s69", FIRMWARE, "pyocd", "NXP LPCXpresso55S69, pyOCD"),
    DeviceType("bcm2836-rpi-2-b", LINUX, "u-boot", "Raspberry Pi 2 B: TFTP + NFS root"),
    DeviceType("bcm2837-rpi-3-b", LINUX, "u-boot", "Raspberry Pi 3 B: TFTP + NFS root"),
    DeviceType("bcm2711-rpi-4-b", LINUX, "u-boot", "Raspberry Pi 4 B: TFTP + NFS root"),
    DeviceType("beaglebone-black", LINUX, "u-boot", "BeagleBone Black: TFTP + NFS root"),
]}


def board(name: str) -> Board:
    if name not in BOARDS:
        raise BoardError(f"unknown board '{name}' (known: {', '.join(BOARDS)})")
    return BOARDS[name]


def device_type(name: str, the_board: Board, boot_method: Optional[str] = None) -> DeviceType:
    """The device type `name` for `the_board`: a known one, or the lab's own with its
    boot method; an error where the two cannot work together."""
    if boot_method is not None:
        methods = BOOT_METHODS[the_board.kind]
        if boot_method not in methods:
            raise BoardError(f"--boot-method '{boot_method}' does not boot {the_board.kind} "
                             f"(for {the_board.name}: {', '.join(methods)})")
        found = DeviceType(name, the_board.kind, boot_method, "the lab's own device type")
    elif name in DEVICE_TYPES:
        found = DEVICE_TYPES[name]
    else:
        raise BoardError(f"unknown device type '{name}' (known: {', '.join(DEVICE_TYPES)}; "
                         "for your lab's own device type give --boot-method "
                         f"{'|'.join(BOOT_METHODS[the_board.kind])})")
    if the_board.kind not in found.kind.split(","):
        raise BoardError(f"device type '{name}' boots {found.kind}, board '{the_board.name}' "
                         f"runs {the_board.kind}")
    if (found.boot == "qemu") != the_board.emulated:
        raise BoardError(f"board '{the_board.name}' is {'emulated' if the_board.emulated else 'real'}"
                         f": device type '{name}' " + ("cannot emulate it" if found.boot == "qemu"
                                                        else "does not run qemu (use 'qemu')"))
    return found


def check_image(url: str, boot: str) -> None:
    """An error where the boot method cannot flash the image the URL names."""
    suffixes, why = IMAGE_SUFFIXES[boot]
    path = url.split("?", 1)[0].lower()
    if suffixes and not path.endswith(suffixes):
        raise BoardError(f"{url}: {boot} flashes {' or '.join(suffixes)} images: {why}")
