#!/bin/sh
# Build one test program by hand: build.sh OUT.elf SRC... (meson does this)
set -e
here=$(dirname "$0")
out=$1; shift
riscv64-unknown-elf-gcc -march=rv64gc_zba_zbb_zbs_zihintpause -mabi=lp64d -O2 \
    -nostdlib -nostartfiles -static -ffreestanding -mcmodel=medany \
    -fno-builtin -Wl,--no-warn-rwx-segments -I"$here" -T "$here/link.ld" \
    -o "$out" \
    "$here/crt0.S" "$here/runtime.c" "$@"
