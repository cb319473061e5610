#!/bin/sh
# Boot the shared Linux guest (OpenSBI fw_dynamic + Image with its
# embedded initramfs) on the CPU harness, console on SBI (hvc0), with
# SMP harts on vCPU threads; pass if the guest prints GUEST-OK and
# powers off.
#   linux-boot.sh HARNESS SMP [ACCEL]
# GUEST names the folder holding Image (default /work/shared/guest).
set -u
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf
image=${GUEST:-/work/shared/guest}/Image
if [ ! -f "$fw" ] || [ ! -f "$image" ] ||
   ! command -v qemu-system-riscv64 >/dev/null; then
    echo "SKIP: needs opensbi, the guest Image and qemu-system-riscv64"
    exit 77
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/linux.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT
qemu-system-riscv64 -M virt,dumpdtb="$dir/virt.dtb" -m 256M -smp "$2" \
    -nographic -kernel "$image" \
    -append "console=hvc0 earlycon=sbi panic=-1" >/dev/null 2>&1 || exit 2
timeout 100 "$1" -smp "$2" ${3:+-accel "$3"} -bios "$fw" \
    -dtb "$dir/virt.dtb" -kernel "$image" >"$dir/out" 2>&1
status=$?
if [ "$status" -eq 0 ] && grep -q "^GUEST-OK" "$dir/out" &&
   grep -q "cpus_online: $2 " "$dir/out"; then
    exit 0
fi
echo "exit status $status"
tail -40 "$dir/out"
exit 1
