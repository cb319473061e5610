#!/bin/sh
# Boot Debian's OpenSBI (fw_dynamic) on the CPU harness with QEMU's virt
# device tree and an S-mode payload; pass if the payload ran and the
# machine shut down through SBI SRST.
#   opensbi-boot.sh HARNESS PAYLOAD.elf
set -u
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf
if [ ! -f "$fw" ] || ! command -v qemu-system-riscv64 >/dev/null; then
    echo "SKIP: needs opensbi and qemu-system-riscv64 (for the DTB)"
    exit 77
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/opensbi.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT
qemu-system-riscv64 -M virt,dumpdtb="$dir/virt.dtb" -m 256M -smp 1 \
    -nographic >/dev/null 2>&1 || exit 2
timeout 60 "$1" -bios "$fw" -dtb "$dir/virt.dtb" -kernel "$2" \
    >"$dir/out" 2>&1
status=$?
if [ "$status" -eq 0 ] && grep -q "S-mode payload running" "$dir/out" &&
   grep -q "Boot HART Priv Version    : v1.12" "$dir/out"; then
    exit 0
fi
echo "exit status $status"
cat "$dir/out"
exit 1
