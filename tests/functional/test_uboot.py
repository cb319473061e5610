#!/usr/bin/env python3
"""OpenSBI + U-Boot (Debian's u-boot-qemu, S-mode build) reach the prompt
and answer commands typed on the serial console.

Usage: test_uboot.py [SMP]      (default 2)

A key is sent at the autoboot countdown; then `version` must print U-Boot's
version, `bdinfo` the RAM bank of the command line's -m, `fdt list /cpus`
(on U-Boot's control device tree, the board's) one cpu node per hart, and
`poweroff` must end the emulator with exit status 0 (SBI system reset ->
OpenSBI's sifive_test driver -> the finisher).
"""
import re
import sys

import vmrun
from vmrun import check

TIMEOUT_S = 120
PROMPT = r"=> "
RAM_MB = 256


def command(m, cmd):
    """Type a command at the prompt; return its output up to the next one."""
    m.send(cmd + "\r")
    start = m.pos
    m.wait_for(re.escape(cmd) + r"\n", TIMEOUT_S)
    m.wait_for(r"^" + PROMPT, TIMEOUT_S)
    return m.out[start:m.pos]


def run(smp):
    vmrun.need_files(vmrun.FW_DYNAMIC, vmrun.UBOOT_SMODE)
    args = ["-M", "virt", "-nographic", "-smp", str(smp), "-m", f"{RAM_MB}M",
            "-bios", vmrun.FW_DYNAMIC, "-kernel", vmrun.UBOOT_SMODE]
    with vmrun.Machine(args, f"uboot-smp{smp}") as m:
        m.wait_for(r"^U-Boot \d{4}\.\d\d", TIMEOUT_S)
        check(True, "U-Boot banner printed")
        dram = m.wait_for(r"^DRAM:\s+(\d+) MiB\n", TIMEOUT_S).group(1)
        check(int(dram) == RAM_MB, f"DRAM: {dram} MiB == {RAM_MB}")
        m.wait_for(r"Hit any key to stop autoboot", TIMEOUT_S)
        m.send(" ")
        m.wait_for(r"^" + PROMPT, TIMEOUT_S)
        check(True, f"'=>' prompt after {m.elapsed_s():.2f} s")

        out = command(m, "version")
        check(re.search(r"^U-Boot 20\d\d\.\d\d", out, re.M),
              "version prints 'U-Boot 20xx.xx'")
        out = command(m, "bdinfo")
        start = re.search(r"-> start\s+= (0x[0-9a-f]+)", out)
        size = re.search(r"-> size\s+= (0x[0-9a-f]+)", out)
        check(start and int(start.group(1), 16) == 0x80000000,
              "bdinfo: DRAM bank starts at 0x80000000")
        check(size and int(size.group(1), 16) == RAM_MB << 20,
              f"bdinfo: DRAM bank size {RAM_MB} MiB")
        out = command(m, "fdt addr $fdtcontroladdr; fdt list /cpus")
        cpus = sorted(set(re.findall(r"\bcpu@(\d+) \{", out)), key=int)
        check(cpus == [str(i) for i in range(smp)],
              f"device tree /cpus lists cpu@0..{smp - 1}: {cpus}")

        m.send("poweroff\r")
        rc = m.wait_exit(TIMEOUT_S)
        check(rc == 0, f"poweroff ends the emulator with status {rc} == 0")


if __name__ == "__main__":
    vmrun.main(lambda: run(int(sys.argv[1]) if len(sys.argv) > 1 else 2))
