#!/bin/sh
# install-deps.sh: install every Debian 12 package that building,
# testing and benchmarking Machina needs.  Idempotent; run as root.
set -e

PKGS="
  build-essential meson ninja-build pkg-config python3
  libglib2.0-dev libpixman-1-dev zlib1g-dev libfdt-dev device-tree-compiler
  libuv1-dev
  qemu-system-misc qemu-utils opensbi u-boot-qemu
  gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
  gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf
  picolibc-riscv64-unknown-elf
  hyperfine bc cpio gzip xz-utils
"

missing=
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
         | grep -q 'ok installed'; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

SUDO=
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
fi
echo "install-deps: installing$missing"
$SUDO apt-get update
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends $missing
