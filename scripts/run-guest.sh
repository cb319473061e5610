#!/usr/bin/env bash
# run-guest.sh: on a fresh Debian 12 machine, install what Machina needs,
# build it, and boot a real guest on it.
#
#  * With the Linux test guest (a folder holding Image: $MACHINA_GUEST_DIR,
#    else ../shared/guest beside this repository, else build/guest made by
#    scripts/build-guest.sh): boots it with 2 harts on 2 NUMA nodes; the
#    guest prints what it sees, "GUEST-OK", and powers the machine off.
#  * Without it: OpenSBI + U-Boot from Debian's opensbi and u-boot-qemu
#    packages, to U-Boot's prompt, where it types "version", "bdinfo" and
#    "poweroff".
# Exit status 0 when the guest got through and the emulator exited with 0.
# Env: EMU (default build/machina-system-riscv64), JOBS (ninja -j),
# GUEST=uboot to boot U-Boot even when the Linux guest is there,
# TIMEOUT (seconds, default 600).
set -euo pipefail

cd "$(dirname "$0")/.."
src=$PWD
jobs=${JOBS:-$(nproc)}
timeout_s=${TIMEOUT:-600}

# Step 1: packages, configure, build.
if [ "$(id -u)" = 0 ]; then
    scripts/install-deps.sh
else
    sudo scripts/install-deps.sh
fi
if [ ! -f build/build.ninja ]; then
    ./configure
fi
ninja -C build -j "$jobs"
emu=${EMU:-$src/build/machina-system-riscv64}

# Step 2: which guest.
guest=
for d in "${MACHINA_GUEST_DIR:-}" "$src/../shared/guest" "$src/build/guest"; do
    if [ -n "$d" ] && [ -f "$d/Image" ]; then
        guest=$(cd "$d" && pwd)
        break
    fi
done
[ "${GUEST:-}" != uboot ] || guest=

# Step 3: boot.
if [ -n "$guest" ]; then
    fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
    # shellcheck disable=SC2054  # the commas are inside option values
    args=(-M virt -nographic -no-reboot -bios "$fw"
          -kernel "$guest/Image" -append "console=ttyS0 earlycon panic=-1"
          -smp 2 -m 512M
          -object memory-backend-ram,id=m0,size=256M
          -object memory-backend-ram,id=m1,size=256M
          -numa node,nodeid=0,memdev=m0,cpus=0
          -numa node,nodeid=1,memdev=m1,cpus=1)
    echo "== booting the Linux guest of $guest:"
    echo "   $emu ${args[*]}"
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    set +e
    timeout --foreground "$timeout_s" "$emu" "${args[@]}" </dev/null 2>&1 |
        tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" = 0 ] && grep -q '^GUEST-OK' "$log"; then
        echo "== run-guest: the guest printed GUEST-OK and powered off"
        exit 0
    fi
    echo "== run-guest: FAILED (emulator exit status $rc)" >&2
    exit 1
fi

# No Linux guest: OpenSBI + U-Boot, driven through the console.
echo "== no Linux guest (set MACHINA_GUEST_DIR, or run" \
     "scripts/build-guest.sh): booting OpenSBI + U-Boot"
exec python3 - "$emu" "$timeout_s" <<'EOF'
import os, re, select, subprocess, sys, time

emu, timeout_s = sys.argv[1], float(sys.argv[2])
args = ["-M", "virt", "-nographic", "-smp", "2", "-m", "256M",
        "-bios", "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
        "-kernel", "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"]
print("== " + " ".join([emu] + args), flush=True)
p = subprocess.Popen([emu] + args, stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
deadline = time.monotonic() + timeout_s
seen = ""

def expect(pattern):
    """Echo the console until the regex shows up (False at the deadline)."""
    global seen
    while not re.search(pattern, seen, re.M):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
            return False
        chunk = os.read(p.stdout.fileno(), 4096)
        if not chunk:
            return False
        text = chunk.decode("utf-8", "replace")
        sys.stdout.write(text)
        sys.stdout.flush()
        seen += text.replace("\r", "")
    seen = ""
    return True

def send(text):
    p.stdin.write(text.encode())
    p.stdin.flush()

ok = expect(r"Hit any key to stop autoboot")
if ok:
    send(" ")
    ok = expect(r"^=> ")
for cmd in ("version", "bdinfo"):
    if ok:
        send(cmd + "\r")
        ok = expect(r"\n=> ")
if ok:
    send("poweroff\r")
    expect(r"$^.")           # echo the rest of the console until it closes
try:
    rc = p.wait(max(1.0, deadline - time.monotonic()))
except subprocess.TimeoutExpired:
    p.kill()
    rc = p.wait()
    ok = False
print()
if ok and rc == 0:
    print("== run-guest: U-Boot answered at its prompt and powered off")
    sys.exit(0)
print(f"== run-guest: FAILED (emulator exit status {rc})", file=sys.stderr)
sys.exit(1)
EOF
