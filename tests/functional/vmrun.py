"""Shared helpers of the functional tests: start an emulator, drive its
serial console, and never hang.

The emulator is the program named by $EMU (meson passes Machina's binary
or Debian's qemu-system-riscv64); without it, build/machina-system-riscv64
under the source root.  The console is the emulator's stdio (-nographic):
its output is read through a pipe with select() and a deadline, and keys
are written to its stdin.  Every run is logged to $FUNCTIONAL_LOGDIR (or
a temporary directory) so a failure leaves the whole console behind.
"""
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

SRC_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SKIP = 77          # meson's exit status for a skipped test

OPENSBI_DIR = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
FW_DYNAMIC = OPENSBI_DIR + "/fw_dynamic.bin"
FW_JUMP = OPENSBI_DIR + "/fw_jump.bin"
UBOOT_SMODE = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"


class TestFailure(Exception):
    pass


def emulator():
    emu = os.environ.get("EMU") or os.path.join(SRC_ROOT, "build",
                                                 "machina-system-riscv64")
    if os.sep not in emu:
        return emu                      # a name looked up in $PATH
    if not os.access(emu, os.X_OK):
        raise TestFailure(f"emulator {emu} is not executable (set EMU=)")
    return emu


def is_qemu(emu):
    return "qemu-system" in os.path.basename(emu)


def logdir():
    d = os.environ.get("FUNCTIONAL_LOGDIR")
    if not d:
        d = tempfile.mkdtemp(prefix="functional-logs.")
    os.makedirs(d, exist_ok=True)
    return d


def need_files(*paths):
    """Skip (exit 77) when a firmware file of a Debian package is absent."""
    for p in paths:
        if not os.path.exists(p):
            print(f"SKIP: {p} not found (install the Debian package that "
                  "ships it: scripts/install-deps.sh)")
            sys.exit(SKIP)


def check(cond, what):
    """Print one checked fact; raise on a failed one."""
    if not cond:
        raise TestFailure(what)
    print(f"  ok: {what}")


class Machine:
    """One emulator process whose serial console is its stdio."""

    def __init__(self, args, name, emu=None, quiet=False):
        self.emu = emu or emulator()
        self.args = list(args)
        self.name = name
        self.out = ""                   # console output so far, no '\r'
        self.pos = 0                    # where the next wait_for searches
        self.rc = None
        self.log_path = os.path.join(logdir(), name + ".log")
        self.start_s = time.monotonic()
        if not quiet:
            print(f"== [{name}] {self.emu} {' '.join(self.args)}",
                  flush=True)
        self.proc = subprocess.Popen([self.emu] + self.args,
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        os.set_blocking(self.proc.stdout.fileno(), False)

    def elapsed_s(self):
        return time.monotonic() - self.start_s

    def _read(self, deadline):
        """Append what arrives before the deadline; False at end of file."""
        left = max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([self.proc.stdout], [], [], left)
        if not ready:
            return True
        chunk = self.proc.stdout.read(65536)
        if not chunk:
            return False
        self.out += chunk.decode("utf-8", "replace").replace("\r", "")
        return True

    def wait_for(self, pattern, timeout_s):
        """Wait until the regex matches output after the last match."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout_s
        while True:
            m = rx.search(self.out, self.pos)
            if m:
                self.pos = m.end()
                return m
            if time.monotonic() >= deadline:
                raise TestFailure(f"no /{pattern}/ within {timeout_s} s "
                                  f"(console tail: {self.out[-300:]!r})")
            if not self._read(deadline):
                self.rc = self.proc.wait()
                raise TestFailure(f"emulator exited ({self.rc}) before "
                                  f"/{pattern}/ (tail: {self.out[-300:]!r})")

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def wait_exit(self, timeout_s):
        """Read to end of output; return the exit status (kill on timeout)."""
        deadline = time.monotonic() + timeout_s
        while self._read(deadline):
            if time.monotonic() >= deadline:
                self.kill()
                raise TestFailure(f"emulator still running after "
                                  f"{timeout_s} s (tail: {self.out[-300:]!r})")
        self.rc = self.proc.wait()
        return self.rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def close(self):
        self.kill()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        with open(self.log_path, "w", encoding="utf-8") as f:
            f.write(f"# cmd: {self.emu} {' '.join(self.args)}\n")
            f.write(f"# exit: {self.proc.returncode} "
                    f"wall_s: {self.elapsed_s():.2f}\n")
            f.write(self.out)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def main(run):
    """Run a test body; a TestFailure prints FAIL and exits 1.  meson's
    timeout (SIGTERM) fails the same way, so the console log is written
    and the emulator killed."""
    def on_term(signum, frame):
        raise TestFailure("killed by SIGTERM (meson test timeout?)")

    signal.signal(signal.SIGTERM, on_term)
    try:
        run()
    except TestFailure as e:
        print(f"FAIL: {e}")
        sys.exit(1)
    print("PASS")
