"""Tests of mcu_bench's link-map reading (flash and RAM of the firmware and of the library)."""
import os
import tempfile
import unittest

import mcu_bench

# A GNU ld map in miniature: a discarded section, an output section's input sections with a
# long name on its own line, fill, initialised data (flash and RAM) and bss (RAM only).
MAP = """\
Discarded input sections

 .text.unused   0x00000000       0x10 /c/libmbedtls.a(unused.c.obj)

Linker script and memory map

.vectors        0x00000000       0x40
 *(.vectors)
 .vectors       0x00000000       0x40 libmtls_mcu_board.a(startup.c.obj)
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


if __name__ == "__main__":
    unittest.main()
