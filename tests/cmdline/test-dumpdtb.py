#!/usr/bin/env python3
"""The device tree Machina hands the guest equals QEMU 7.2's for the
same command line: both emulators dump it with -machine dumpdtb=FILE and
tests/functional/dtcompare.py compares them structurally (phandle
numbers, rng-seed, /soc order and the nodes of devices the board does
not emulate aside; see docs/virt.md).

Usage: test-dumpdtb.py MACHINA [QEMU]   (prints TAP; skips without QEMU)
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DTCOMPARE = os.path.join(HERE, "..", "functional", "dtcompare.py")


def mem(i, size):
    return ["-object", f"memory-backend-ram,id=m{i},size={size}"]


CONFIGS = {
    "default": [],
    "smp4": ["-smp", "4"],
    "aclint": ["-smp", "2", "-machine", "aclint=on"],
    "smp8-1g": ["-smp", "8", "-m", "1G"],
    "numa2-dist": ["-m", "2G", "-smp", "4"] + mem(0, "1G") + mem(1, "1G") +
                  ["-numa", "node,nodeid=0,cpus=0-1,memdev=m0",
                   "-numa", "node,nodeid=1,cpus=2-3,memdev=m1",
                   "-numa", "dist,src=0,dst=1,val=20"],
    "numa2-asym": ["-m", "2G", "-smp", "4"] + mem(0, "1G") + mem(1, "1G") +
                  ["-numa", "node,nodeid=0,cpus=0-1,memdev=m0",
                   "-numa", "node,nodeid=1,cpus=2-3,memdev=m1",
                   "-numa", "dist,src=0,dst=1,val=20",
                   "-numa", "dist,src=1,dst=0,val=30"],
    "numa2-memless": ["-m", "1G", "-smp", "2"] + mem(0, "1G") +
                     ["-numa", "node,nodeid=0,cpus=0,memdev=m0",
                      "-numa", "node,nodeid=1,cpus=1"],
    "numa2-uneven": ["-m", "1G", "-smp", "4"] + mem(0, "256M") +
                    mem(1, "768M") +
                    ["-numa", "node,nodeid=0,cpus=0,memdev=m0",
                     "-numa", "node,nodeid=1,cpus=1-3,memdev=m1"],
    "numa1": ["-m", "512M", "-smp", "2"] + mem(0, "512M") +
             ["-numa", "node,memdev=m0"],
}


# Machina's harts have no H extension and no Zbc (docs/virt.md); QEMU is
# asked for the same CPU so that riscv,isa can be compared too.
QEMU_CPU = ["-cpu", "rv64,h=off,zbc=off"]


def dump(emu, args, path, extra=()):
    cmd = [emu, "-M", "virt", "-display", "none", "-nodefaults",
           "-machine", f"dumpdtb={path}"] + list(extra) + args
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stderr.strip()


def main():
    machina = os.path.abspath(sys.argv[1])
    qemu = sys.argv[2] if len(sys.argv) > 2 else shutil.which(
        "qemu-system-riscv64")
    print(f"1..{len(CONFIGS)}")
    if not qemu:
        for n, name in enumerate(CONFIGS, 1):
            print(f"ok {n} {name} # SKIP qemu-system-riscv64 not installed")
        return 0
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, args) in enumerate(CONFIGS.items(), 1):
            ours, theirs = (os.path.join(tmp, f"{name}.{w}.dtb")
                            for w in ("machina", "qemu"))
            rc1, err1 = dump(machina, args, ours)
            rc2, err2 = dump(qemu, args, theirs, QEMU_CPU)
            if rc1 != 0 or rc2 != 0:
                failed += 1
                print(f"not ok {n} {name}: dumpdtb failed "
                      f"(machina {rc1}: {err1!r}; qemu {rc2}: {err2!r})")
                continue
            cmp = subprocess.run([sys.executable, DTCOMPARE, "--board",
                                  ours, theirs], capture_output=True,
                                 text=True)
            if cmp.returncode != 0:
                failed += 1
                print(f"not ok {n} {name}: trees differ")
                for line in cmp.stdout.splitlines()[:40]:
                    print(f"# {line}")
            else:
                print(f"ok {n} {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
