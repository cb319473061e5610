#!/usr/bin/env python3
"""Every bad command line is refused with status 1 and one line on
stderr that names the option at fault.

Usage: test-cmdline-errors.py EMULATOR
Each row: the arguments (after the binary), the option the message must
name, and a fragment of the expected message.  Prints TAP.
"""
import os
import subprocess
import sys
import tempfile

NONE = ["-M", "none"]
VIRT = ["-M", "virt", "-display", "none", "-S"]

ROWS = [
    # machine, accel, cpu, smp, memory
    (["-M", "nosuch"], "-machine", "unsupported machine type"),
    (NONE + ["-machine", "none,foo=bar"], "-machine", "'foo' not found"),
    (VIRT + ["-machine", "aclint=maybe"], "aclint", "expects"),
    (VIRT + ["-machine", "aia=aplic"], "aia", "only aia=none"),
    (NONE + ["-accel", "nosuch"], "-accel", "invalid accelerator"),
    (NONE + ["-accel", "tcg,thread=x"], "-accel", "'thread' setting"),
    (VIRT + ["-cpu", "nosuch"], "-cpu", "unable to find CPU model"),
    (VIRT + ["-cpu", "rv64,zba=maybe"], "-cpu", "zba"),
    (VIRT + ["-cpu", "rv64,nosuch=on"], "-cpu", "nosuch"),
    (NONE + ["-smp", "foo"], "-smp", "expects a number"),
    (NONE + ["-smp", "2,sockets=3"], "-smp", "Invalid CPU topology"),
    (VIRT + ["-smp", "513"], "-smp", "512"),
    (VIRT + ["-smp", "4,maxcpus=2"], "-smp", "maxcpus"),
    (NONE + ["-m", "foo"], "-m", "Parameter 'size'"),
    (NONE + ["-m", "1G,maxmem=512M"], "-m", "maxmem"),
    (NONE + ["-m", "1G,slots=2"], "-m", "slots specified"),
    (NONE + ["-m", "1G,slots=x"], "-m", "slots"),
    # objects, devices, drives
    (NONE + ["-object", "nosuch,id=a"], "-object", "qom-type"),
    (NONE + ["-object", "memory-backend-ram,id=m0"], "-object", "size"),
    (NONE + ["-object", "memory-backend-ram,size=1M"], "-object", "'id'"),
    (VIRT + ["-device", "nosuch"], "-device", "not a valid device"),
    (VIRT + ["-device", "virtio-blk-device,drive=nosuch"], "-device",
     "nosuch"),
    (NONE + ["-drive", "file=/nonexistent/x,if=none"], "-drive",
     "Could not open"),
    (NONE + ["-drive", "file=/dev/null,if=floppy"], "-drive", "if"),
    (NONE + ["-blockdev", "driver=raw"], "-blockdev", "node-name"),
    (NONE + ["-global", "foo"], "-global", "DRIVER.PROPERTY=VALUE"),
    # chardevs and monitors
    (NONE + ["-chardev", "nosuch,id=x"], "-chardev", "not a valid char"),
    (NONE + ["-chardev", "socket,id=x"], "-chardev", "port"),
    (NONE + ["-chardev", "null"], "-chardev", "id"),
    (NONE + ["-serial", "nosuch"], "-serial", "character device"),
    (NONE + ["-monitor", "nosuch"], "-monitor", "character device"),
    (NONE + ["-qmp", "nosuch"], "-qmp", "character device"),
    (NONE + ["-mon", "chardev=nosuch"], "-mon", "not found"),
    (NONE + ["-mon", "chardev=c,mode=bogus", "-chardev", "null,id=c"],
     "-mon", "mode"),
    (NONE + ["-qtest", "nosuch:"], "-qtest", "character device"),
    # NUMA
    (VIRT + ["-numa", "foo,x=1"], "-numa", "type"),
    (VIRT + ["-numa", "node,bogus=1"], "-numa", "bogus"),
    (VIRT + ["-smp", "2", "-numa", "node,cpus=5"], "-numa",
     "smaller than maxcpus"),
    (VIRT + ["-numa", "node,memdev=nosuch"], "-numa", "nosuch"),
    # boot images
    (VIRT + ["-bios", "/nonexistent/fw.bin"], "-bios", "no such file"),
    (VIRT + ["-kernel", "/nonexistent/Image"], "-kernel", "cannot read"),
    (VIRT + ["-initrd", "/x"], "-initrd", "-kernel"),
    (VIRT + ["-append", "x"], "-append", "-kernel"),
    (VIRT + ["-dtb", "/nonexistent/x.dtb"], "-dtb", "cannot read"),
    # misc options
    (NONE + ["-display", "gtk"], "-display", "not available"),
    (NONE + ["-name", "foo,bar=1"], "-name", "bar"),
    (NONE + ["-uuid", "x"], "-uuid", "UUID"),
    (NONE + ["-d", "nosuch"], "-d", "unknown log item"),
    (NONE + ["-D", "/nonexistent/dir/log", "-d", "int"], "-D",
     "cannot open log file"),
    (NONE + ["-pidfile", "/nonexistent/dir/pid"], "-pidfile",
     "cannot create PID file"),
    (NONE + ["-rtc", "base=yesterday"], "-rtc", "invalid datetime"),
    (NONE + ["-rtc", "clock=x"], "-rtc", "use host, rt or vm"),
    (NONE + ["-netdev", "user,id=n0"], "-netdev", "not supported"),
    (NONE + ["-daemonize", "-nographic"], "-daemonize", "-nographic"),
    (NONE + ["-daemonize", "-qmp", "stdio"], "-qmp", "-daemonize"),
    (NONE + ["-nosuchoption"], "-nosuchoption", "invalid option"),
    (NONE + ["-kernel"], "-kernel", "requires an argument"),
    (NONE + ["-S", "stray"], "stray", "unexpected argument"),
]


def run(emu, args):
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run([emu] + args, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=20,
                           cwd=tmp)
    return p.returncode, p.stderr


def main():
    emu = os.path.abspath(sys.argv[1])
    print(f"1..{len(ROWS) + 2}")
    failed = 0
    for n, (args, option, fragment) in enumerate(ROWS, 1):
        rc, err = run(emu, args)
        lines = [l for l in err.splitlines() if l.strip()]
        first = lines[0] if lines else ""
        problems = []
        if rc != 1:
            problems.append(f"exit status {rc}, want 1")
        if option not in first:
            problems.append(f"message does not name {option!r}")
        # The fragment must be in the message, not only in the echoed
        # option text that prefixes it.
        body = first.split(": ", 1)[-1]
        if body.startswith(option) and ": " in body:
            body = body.split(": ", 1)[1]
        if fragment not in body:
            problems.append(f"message lacks {fragment!r}")
        if "Segmentation" in err or "Aborted" in err:
            problems.append("crashed")
        name = " ".join(args)
        if problems:
            failed += 1
            print(f"not ok {n} - {name}: {'; '.join(problems)}")
            print(f"# stderr: {err.strip()!r}")
        else:
            print(f"ok {n} - {name}")
    for k, flag in enumerate(["-version", "-h"], len(ROWS) + 1):
        rc, _ = run(emu, [flag])
        if rc == 0:
            print(f"ok {k} - {flag} exits 0")
        else:
            failed += 1
            print(f"not ok {k} - {flag} exits {rc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
