#!/usr/bin/env python3
"""OpenSBI + U-Boot (Debian's u-boot-qemu, S-mode build) reach the prompt
and answer commands typed on the serial console.

Usage: test_uboot.py [SMP]      (default 2)
       test_uboot.py blk       (U-Boot's virtio driver on a raw disk)

A key is sent at the autoboot countdown; then `version` must print U-Boot's
version, `bdinfo` the RAM bank of the command line's -m, `fdt list /cpus`
(on U-Boot's control device tree, the board's) one cpu node per hart, and
`poweroff` must end the emulator with exit status 0 (SBI system reset ->
OpenSBI's sifive_test driver -> the finisher).

With `blk`, an 8 MiB raw image starting with "EMUDISK0" is attached as
virtio-blk-device: `virtio scan` + `virtio info` must show it with its
capacity, `virtio read` of sector 0 must bring "EMUDISK0" into RAM (seen
with `md.b`), and a sector written with `virtio write` must be in the host
file after `poweroff`.  U-Boot polls the virtqueue (no interrupts), so
this checks the device and the block layer without Linux and the PLIC.
"""
import os
import re
import sys
import tempfile

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
        to_prompt(m)
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


def to_prompt(m):
    m.wait_for(r"Hit any key to stop autoboot", TIMEOUT_S)
    m.send(" ")
    m.wait_for(r"^" + PROMPT, TIMEOUT_S)


def run_blk():
    vmrun.need_files(vmrun.FW_DYNAMIC, vmrun.UBOOT_SMODE)
    tmp = tempfile.mkdtemp(prefix="uboot-blk.")
    disk = os.path.join(tmp, "disk.raw")
    with open(disk, "wb") as f:
        f.write(b"EMUDISK0")
        f.truncate(8 << 20)
    args = ["-M", "virt", "-nographic", "-m", f"{RAM_MB}M",
            "-bios", vmrun.FW_DYNAMIC, "-kernel", vmrun.UBOOT_SMODE,
            "-drive", f"file={disk},if=none,format=raw,id=d0",
            "-device", "virtio-blk-device,drive=d0"]
    try:
        with vmrun.Machine(args, "uboot-blk") as m:
            to_prompt(m)
            command(m, "virtio scan")
            out = command(m, "virtio info")
            check(re.search(r"Capacity: .*\(16384 x 512\)", out),
                  "virtio info: 16384 sectors of 512 bytes")
            out = command(m, "virtio read 0x84000000 0 1")
            check("1 blocks read: OK" in out, "virtio read sector 0: OK")
            out = command(m, "md.b 0x84000000 8")
            check("EMUDISK0" in out, "sector 0 holds EMUDISK0")
            command(m, "mw.b 0x84100000 0x5a 0x200")
            out = command(m, "virtio write 0x84100000 8 1")
            check("1 blocks written: OK" in out, "virtio write sector 8: OK")
            m.send("poweroff\r")
            rc = m.wait_exit(TIMEOUT_S)
            check(rc == 0, f"poweroff: exit status {rc} == 0")
        with open(disk, "rb") as f:
            f.seek(8 * 512)
            data = f.read(512)
        check(data == b"\x5a" * 512, "host file: sector 8 is 0x5a bytes")
    finally:
        os.unlink(disk)
        os.rmdir(tmp)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "blk":
        vmrun.main(run_blk)
    else:
        vmrun.main(lambda: run(int(sys.argv[1]) if len(sys.argv) > 1
                               else 2))
