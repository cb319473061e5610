#!/usr/bin/env python3
"""Boot benchmarks of the virt board: Machina against QEMU in the same run.

Usage: tests/bench/boot/boot-bench.py [--runs N] [--only NAME[,NAME...]]
                                      [--emu LABEL=PATH ...]

Benchmarks (NAME):
  linux-smp1   launch -> "GUEST-OK" + exit of the Linux test guest,
               -smp 1 -m 256M
  linux-numa2  the same, -smp 4 with 2 NUMA nodes of 256 MiB
  uboot        launch -> U-Boot's "=>" prompt (OpenSBI fw_dynamic + U-Boot,
               a key sent at the autoboot countdown)
  idle-wfi     host CPU used by 4 harts parked in `wfi` (bare-metal program,
               machine timer armed 100 s ahead) over 10 s, in cores (CPU
               seconds / second)
  idle-uboot   the same for U-Boot at its prompt with -smp 4: hart 0 polls
               the UART in a loop, harts 1-3 are parked in OpenSBI's HSM
Runs alternate between the emulators so a change of host load affects
both; the median of the runs is reported, and the ratio of the first
emulator given to each other one (machina/qemu by default).  Default
emulators: machina=build/machina-system-riscv64 (when it exists) and
qemu=qemu-system-riscv64.  The Linux guest comes from
$MACHINA_GUEST_DIR (default ../shared/guest beside the source root).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "functional"))
import vmrun  # noqa: E402

TIMEOUT_S = 600
IDLE_S = 10.0
NUMA2 = ["-m", "512M",
         "-object", "memory-backend-ram,id=m0,size=256M",
         "-object", "memory-backend-ram,id=m1,size=256M",
         "-numa", "node,nodeid=0,memdev=m0,cpus=0-1",
         "-numa", "node,nodeid=1,memdev=m1,cpus=2-3"]
# Every hart arms its machine timer 100 s ahead (CLINT mtimecmp), enables
# only the timer interrupt (mie.MTIE; mstatus.MIE stays 0, wfi still wakes
# on it) and waits in wfi: parked like an idle OS hart, with a deadline the
# emulator must keep without polling.
WFI_SRC = """
    .globl _start
_start:
    csrr a0, mhartid
    li t0, 0x200bff8            /* mtime */
    ld t1, 0(t0)
    li t2, 1000000000           /* 100 s at 10 MHz */
    add t1, t1, t2
    li t0, 0x2004000            /* mtimecmp of hart 0 */
    slli a1, a0, 3
    add t0, t0, a1
    sd t1, 0(t0)
    li t0, 0x80                 /* MTIE */
    csrw mie, t0
    csrci mstatus, 8
1:  wfi
    j 1b
"""


def guest_image():
    d = os.environ.get("MACHINA_GUEST_DIR") or \
        os.path.join(SRC, "..", "shared", "guest")
    image = os.path.join(d, "Image")
    if not os.path.isfile(image):
        raise SystemExit(f"no {image}: set MACHINA_GUEST_DIR")
    return image


def linux(emu, extra):
    args = ["-M", "virt", "-nographic", "-no-reboot", "-bios", vmrun.FW_JUMP,
            "-kernel", guest_image(), "-append",
            "console=ttyS0 earlycon panic=-1"] + extra
    with vmrun.Machine(args, "bench-linux", emu, quiet=True) as m:
        rc = m.wait_exit(TIMEOUT_S)
        secs = m.elapsed_s()
        if rc != 0 or "\nGUEST-OK\n" not in m.out:
            raise vmrun.TestFailure(f"guest failed (exit {rc}), see "
                                    f"{m.log_path}")
    return secs


def uboot_prompt(emu, smp="1"):
    args = ["-M", "virt", "-nographic", "-smp", smp, "-bios",
            vmrun.FW_DYNAMIC, "-kernel", vmrun.UBOOT_SMODE]
    m = vmrun.Machine(args, "bench-uboot", emu, quiet=True)
    try:
        m.wait_for(r"Hit any key to stop autoboot", TIMEOUT_S)
        m.send(" ")
        m.wait_for(r"^=> ", TIMEOUT_S)
        return m.elapsed_s(), m
    except BaseException:
        m.close()
        raise


def cpu_s(pid):
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cores(m):
    """CPU seconds per second used by the process over IDLE_S."""
    c0, t0 = cpu_s(m.proc.pid), time.monotonic()
    time.sleep(IDLE_S)
    c1, t1 = cpu_s(m.proc.pid), time.monotonic()
    return (c1 - c0) / (t1 - t0)


def idle_uboot(emu):
    _, m = uboot_prompt(emu, "4")
    try:
        return idle_cores(m)
    finally:
        m.close()


def wfi_elf(tmp):
    src, elf = os.path.join(tmp, "wfi.S"), os.path.join(tmp, "wfi.elf")
    with open(src, "w") as f:
        f.write(WFI_SRC)
    subprocess.run(["riscv64-unknown-elf-gcc", "-nostdlib", "-static",
                    "-march=rv64gc", "-mabi=lp64d", "-Wl,-N",
                    "-Wl,--no-warn-rwx-segments", "-Wl,-Ttext=0x80000000",
                    "-o", elf, src], check=True)
    return elf


def idle_wfi(emu, elf):
    args = ["-M", "virt", "-nographic", "-smp", "4", "-bios", "none",
            "-kernel", elf]
    m = vmrun.Machine(args, "bench-wfi", emu, quiet=True)
    try:
        time.sleep(1.0)                 # start-up is not idling
        if m.proc.poll() is not None:
            raise vmrun.TestFailure(f"emulator exited ({m.proc.returncode})")
        return idle_cores(m)
    finally:
        m.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="linux-smp1,linux-numa2,uboot,"
                                      "idle-wfi,idle-uboot")
    ap.add_argument("--emu", action="append", default=[],
                    help="LABEL=PATH (repeatable; first is the reference)")
    opts = ap.parse_args()
    emus = [e.split("=", 1) for e in opts.emu]
    if not emus:
        ours = os.path.join(SRC, "build", "machina-system-riscv64")
        if os.access(ours, os.X_OK):
            emus.append(["machina", ours])
        emus.append(["qemu", "qemu-system-riscv64"])
    os.environ.setdefault("FUNCTIONAL_LOGDIR",
                          tempfile.mkdtemp(prefix="boot-bench."))
    tmp = tempfile.mkdtemp(prefix="boot-bench-wfi.")
    benches = {
        "linux-smp1": ("s", lambda e: linux(e, ["-smp", "1", "-m", "256M"])),
        "linux-numa2": ("s", lambda e: linux(e, ["-smp", "4"] + NUMA2)),
        "uboot": ("s", lambda e: close_after(uboot_prompt(e))),
        "idle-wfi": ("cores", lambda e: idle_wfi(e, wfi_elf(tmp))),
        "idle-uboot": ("cores", idle_uboot),
    }
    print(f"# {time.strftime('%Y-%m-%d %H:%M:%S')} runs={opts.runs} "
          f"host: {os.cpu_count()} CPUs; median (min..max)")
    try:
        for name in opts.only.split(","):
            unit, fn = benches[name]
            runs = 1 if name.startswith("idle") else opts.runs
            res = {label: [] for label, _ in emus}
            for _ in range(runs):
                for label, path in emus:
                    res[label].append(fn(path))
            report(name, unit, emus, res)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def close_after(pair):
    secs, m = pair
    m.close()
    return secs


def report(name, unit, emus, res):
    first = emus[0][0]
    ref = statistics.median(res[first])
    for label, _ in emus:
        v = res[label]
        med = statistics.median(v)
        ratio = f"  {first}/{label} = {ref / med:.2f}" \
            if label != first and med > 0 else ""
        print(f"{name:12} {label:8} {med:8.3f} {unit} "
              f"({min(v):.3f}..{max(v):.3f}){ratio}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except vmrun.TestFailure as e:
        sys.exit(f"boot-bench: {e}")
