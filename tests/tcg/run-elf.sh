#!/bin/sh
# Run one bare-metal test program on a RISC-V system emulator.
#
#   run-elf.sh EMULATOR ELF SMP
#
# The program reports through the virt finisher: the emulator exits 0 on
# pass and non-zero on failure.  The test passes iff the exit status is 0
# and the program printed its PASS line; on failure the UART output is
# shown so the failing check's line is visible.
set -u

if [ $# -ne 3 ]; then
    echo "usage: $0 EMULATOR ELF SMP" >&2
    exit 2
fi
emu=$1
elf=$2
smp=$3
limit=${TCG_TEST_TIMEOUT:-120}

out=$(mktemp "${TMPDIR:-/tmp}/tcg-elf.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT

timeout -k 5 "$limit" "$emu" -M virt -bios none -kernel "$elf" \
    -nographic -smp "$smp" </dev/null >"$out" 2>&1
status=$?

if [ "$status" -eq 0 ] && grep -q '^PASS' "$out"; then
    grep '^checks:' "$out"
    exit 0
fi

echo "$(basename "$elf") on $(basename "$emu") -smp $smp: exit status $status"
if [ "$status" -eq 124 ]; then
    echo "(timed out after ${limit}s)"
fi
echo "---- UART output ----"
tr -d '\r' <"$out"
echo "---------------------"
[ "$status" -eq 0 ] && status=1
exit "$status"
