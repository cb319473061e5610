#!/usr/bin/env python3
"""OpenSBI from Debian's opensbi package boots and describes the machine.

Usage: test_opensbi.py CONFIG    (smp1, smp4, numa2, smp64)

With no next stage (no -kernel), OpenSBI jumps to address 0 in S-mode and
spins there silently, so the test stops the emulator once the banner is
complete.  Checked, from the banner: the platform name, the hart count
and the harts of the root domain, the CLINT region (one 64 KiB CLINT per
socket, merged by OpenSBI into one region), where the device tree was
placed (facts: 2 MiB aligned below the end of RAM), and the boot hart.
"""
import sys

import vmrun
from vmrun import check

NUMA2 = ["-m", "512M",
         "-object", "memory-backend-ram,id=m0,size=256M",
         "-object", "memory-backend-ram,id=m1,size=256M",
         "-numa", "node,nodeid=0,memdev=m0,cpus=0-1",
         "-numa", "node,nodeid=1,memdev=m1,cpus=2-3"]

# name: (bios argument, extra arguments, harts, sockets, device tree address)
CONFIGS = {
    "smp1": ("default", ["-smp", "1"], 1, 1, 0x87e00000),
    "smp4": (vmrun.FW_DYNAMIC, ["-smp", "4", "-m", "256M"], 4, 1, 0x8fe00000),
    "numa2": (vmrun.FW_DYNAMIC, ["-smp", "4,sockets=2"] + NUMA2, 4, 2,
              0x9fe00000),
    # Machina only: QEMU 7.2 ignores sockets= without NUMA and allows at
    # most 4 sockets (docs/virt.md).  The tree goes below 3 GiB.
    "smp64": ("default", ["-smp", "64,sockets=8", "-m", "1G"], 64, 8,
              0xbfe00000),
}

TIMEOUT_S = 300


def field(m, name):
    return m.wait_for(rf"^{name}\s*: (.*)\n", TIMEOUT_S).group(1).strip()


def run(cfg):
    bios, extra, harts, sockets, fdt_addr = CONFIGS[cfg]
    vmrun.need_files(vmrun.FW_DYNAMIC)
    args = ["-M", "virt", "-nographic", "-bios", bios] + extra
    with vmrun.Machine(args, "opensbi-" + cfg) as m:
        m.wait_for(r"^OpenSBI v\d+\.\d+", TIMEOUT_S)
        check(True, "banner 'OpenSBI v...' printed")
        name = field(m, "Platform Name")
        check(name == "riscv-virtio,qemu", f"Platform Name {name!r}")
        count = field(m, "Platform HART Count")
        check(count == str(harts), f"Platform HART Count {count} == {harts}")
        want = ",".join(f"{h}*" for h in range(harts))
        dom = field(m, "Domain0 HARTs")
        check(dom == want, f"Domain0 HARTs {dom!r} == {want!r}")
        reg = field(m, "Domain0 Region00")
        end = 0x2000000 + sockets * 0x10000 - 1
        want = f"0x{0x2000000:016x}-0x{end:016x} (I)"
        check(reg == want, f"CLINT region of {sockets} socket(s) {reg!r}")
        arg1 = field(m, "Domain0 Next Arg1")
        check(int(arg1, 16) == fdt_addr,
              f"device tree at {arg1} == 0x{fdt_addr:x}")
        boot = int(field(m, "Boot HART ID"))
        check(0 <= boot < harts, f"Boot HART ID {boot} in 0..{harts - 1}")
        field(m, "Boot HART MEDELEG")
        check(True, f"banner complete after {m.elapsed_s():.2f} s")


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CONFIGS:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(CONFIGS)}")
    vmrun.main(lambda: run(sys.argv[1]))
