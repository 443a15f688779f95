"""Tests of mcu_bench: its link-map reading (flash and RAM of the firmware and of the library),
and the rows it measures (the firmware's arguments, the host's names for them)."""
import os
import tempfile
import unittest

import mcu_bench
from results import Description

# A GNU ld map in miniature: a discarded section, an output section's input sections with a
# long name on its own line, fill, initialised data (flash and RAM) and bss (RAM only).
MAP = """\
Memory Configuration

Name             Origin             Length             Attributes
FLASH            0x08000000         0x00100000         xr
RAM              0x20000000         0x00020000         xrw
*default*        0x00000000         0xffffffff

Discarded input sections

 .text.unused   0x00000000       0x10 /c/libmbedtls.a(unused.c.obj)

Linker script and memory map

.vectors        0x00000000       0x40
 *(.vectors)
 .vectors       0x00000000       0x40 libmtls_mcu_board.a(runtime.c.obj)
.text           0x00000040      0x122
 .text.mbedtls_ssl_handshake_step
                0x00000040      0x100 /c/libmbedtls.a(ssl_tls.c.obj)
 .text.main     0x00000140       0x20 main.cc.obj
 *fill*         0x00000160        0x2 
.data           0x20000000       0x10 load address 0x00000164
 .data.state    0x20000000        0x8 /c/libmbedtls.a(ctr_drbg.c.obj)
 .data.other    0x20000008        0x8 main.cc.obj
.bss            0x20000010       0x20
 .bss.table     0x20000010       0x20 /c/libmbedtls.a(ecp.c.obj)
.debug_info     0x00000000     0x9999
 .debug_info    0x00000000     0x9999 /c/libmbedtls.a(ecp.c.obj)
"""


def footprint_of(library: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "firmware.map")
        with open(path, "w") as f:
            f.write(MAP)
        return mcu_bench.footprint(path, library)


class LinkedRamTest(unittest.TestCase):
    def test_reads_the_memory_configuration(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "firmware.map")
            with open(path, "w") as f:
                f.write(MAP)
            self.assertEqual(mcu_bench.linked_ram(path), "128 KiB")
            with open(path, "w") as f:
                f.write(MAP.replace("0x00020000", "0x00400000"))
            self.assertEqual(mcu_bench.linked_ram(path), "4 MiB")
            with open(path, "w") as f:
                f.write(MAP.replace("RAM ", "SRAM"))
            with self.assertRaisesRegex(RuntimeError, "no RAM region"):
                mcu_bench.linked_ram(path)


class FootprintTest(unittest.TestCase):
    def test_library_and_firmware_shares(self) -> None:
        sizes = footprint_of("mbedtls")
        self.assertEqual(sizes["firmware_flash_bytes"], 0x40 + 0x100 + 0x20 + 0x2 + 0x10)
        self.assertEqual(sizes["library_flash_bytes"], 0x100 + 0x8)
        self.assertEqual(sizes["firmware_ram_bytes"], 0x10 + 0x20)
        self.assertEqual(sizes["library_ram_bytes"], 0x8 + 0x20)

    def test_other_library_has_no_share(self) -> None:
        sizes = footprint_of("wolfssl")
        self.assertEqual(sizes["library_flash_bytes"], 0)
        self.assertEqual(sizes["library_ram_bytes"], 0)


def described(*cases: dict) -> Description:
    """A host description holding these cases, named as mtls-bench names them."""
    def name(f: dict) -> str:
        return (f"{f['suite']}/{f['auth']}/{f['scheme']}/d{f['depth']}/{f['version']}/"
                f"{f['group']}/{f['resumption']}/{f['contexts']}")
    return {"cases": {name(fields): fields for fields in cases}}


class RowsTest(unittest.TestCase):
    def test_plan_orders_versions_then_groups_then_psk(self) -> None:
        rows = mcu_bench.plan_rows(["TLSv1.3", "DTLSv1.2"], ["P-256", "X25519"],
                                   ["ecdsa-p256", "psk"])
        self.assertEqual([row.label() for row in rows],
                         ["ecdsa-p256 TLSv1.3 P-256", "ecdsa-p256 TLSv1.3 X25519",
                          "ecdsa-p256 DTLSv1.2 P-256", "ecdsa-p256 DTLSv1.2 X25519",
                          "psk DTLSv1.2 X25519"])

    def test_psk_only_on_versions_with_its_suite(self) -> None:
        self.assertEqual(mcu_bench.plan_rows(["TLSv1.3"], ["P-256"], ["psk"]), [])

    def test_arguments_select_protocol_version_case_and_group(self) -> None:
        self.assertEqual(mcu_bench.Row("DTLSv1.2", "X25519", "ecdsa-p256").arguments(),
                         ["--protocol=dtls", "--version=1.2", "--case=mtls", "--group=X25519"])
        self.assertEqual(mcu_bench.Row("TLSv1.2", "X25519", "psk").arguments(),
                         ["--protocol=tls", "--version=1.2", "--case=psk", "--group=X25519"])

    def test_names_come_from_the_host_and_undescribed_rows_stay_apart(self) -> None:
        dtls = mcu_bench.headline(version="DTLSv1.2", group="X25519")
        psk = mcu_bench.headline(version="DTLSv1.2", group="X25519", scheme="psk", depth=0)
        rows = mcu_bench.plan_rows(["DTLSv1.2"], ["P-256", "X25519"], ["ecdsa-p256", "psk"])
        named, undescribed = mcu_bench.name_rows(rows, described(dtls, psk))
        self.assertEqual(sorted(named.values()),
                         ["handshake/mtls/ecdsa-p256/d1/DTLSv1.2/X25519/full/shared-ctx",
                          "handshake/mtls/psk/d0/DTLSv1.2/X25519/full/shared-ctx"])
        self.assertEqual([row.label() for row in undescribed], ["ecdsa-p256 DTLSv1.2 P-256"])


if __name__ == "__main__":
    unittest.main()
