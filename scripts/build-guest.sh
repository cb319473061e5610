#!/usr/bin/env bash
# build-guest.sh: build the Linux guest of the functional tests from
# Debian 12 packages only (linux-source-6.1 and the riscv64 cross
# compiler), so the tests can run outside this repository's CI.
#
# Usage: scripts/build-guest.sh [OUTDIR]      (default: build/guest)
# Writes OUTDIR/Image (the kernel, initramfs embedded),
# OUTDIR/initramfs.cpio.gz (the same files, for -initrd) and OUTDIR/config
# (the kernel's .config).
# Then: MACHINA_GUEST_DIR=OUTDIR meson test -C build --suite functional
# Env: JOBS (make -j, default nproc), KEEP_BUILD=1 keeps the work folder.
# The guest's init is tests/functional/guest/init.c; the kernel options are
# tests/functional/guest/kernel.config (see docs/guest.md).
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build/guest}
mkdir -p "$out"
out=$(cd "$out" && pwd)
jobs=${JOBS:-$(nproc)}
cross=riscv64-linux-gnu-
ktar=/usr/src/linux-source-6.1.tar.xz
# A fixed date for the kernel's version string and the cpio timestamps, so
# two builds of the same sources give the same files.
stamp="2024-01-01 00:00:00 UTC"
start=$SECONDS

# Step 1: the Debian packages (the kernel sources, both compilers, and the
# tools the kernel build runs).
pkgs="linux-source-6.1 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
      gcc libc6-dev make bc flex bison libssl-dev libelf-dev cpio xz-utils
      gzip"
missing=
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "== installing$missing"
    $sudo apt-get update
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends $missing
fi

# Step 2: a work folder with the unpacked sources.
work=$(mktemp -d "${TMPDIR:-/tmp}/machina-guest.XXXXXX")
if [ "${KEEP_BUILD:-0}" = 1 ]; then
    echo "== work folder: $work"
else
    trap 'rm -rf "$work"' EXIT
fi
echo "== unpacking $ktar"
tar -xJf "$ktar" -C "$work"
ksrc=$work/linux-source-6.1

# Step 3: the static init and the initramfs description (gen_init_cpio's
# list format, so no root rights or device nodes are needed on the host).
echo "== compiling init"
"${cross}gcc" -static -Os -s -Wall -Wextra -o "$work/init" \
    "$src/tests/functional/guest/init.c"
touch -d "$stamp" "$work/init"
cat > "$work/initramfs.list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 1777 0 0
file /init $work/init 0755 0 0
EOF

# Step 4: configure (allnoconfig + our fragment) and check that every
# option of the fragment made it into the final .config.
kmake=(make -C "$ksrc" ARCH=riscv CROSS_COMPILE="$cross" -j"$jobs"
       KBUILD_BUILD_USER=guest KBUILD_BUILD_HOST=build
       KBUILD_BUILD_TIMESTAMP="$stamp")
sed "s|@INITRAMFS@|$work/initramfs.list|" \
    "$src/tests/functional/guest/kernel.config" > "$work/fragment.config"
echo "== configuring"
"${kmake[@]}" KCONFIG_ALLCONFIG="$work/fragment.config" allnoconfig >/dev/null
bad=0
while IFS= read -r opt; do
    case $opt in
    CONFIG_*|"# CONFIG_"*" is not set") ;;
    *) continue ;;
    esac
    if ! grep -qxF -- "$opt" "$ksrc/.config"; then
        echo "build-guest: wanted '$opt' but the kernel config differs" >&2
        bad=1
    fi
done < "$work/fragment.config"
[ "$bad" = 0 ] || exit 1

# Step 5: the kernel.
echo "== building the kernel with -j$jobs"
kstart=$SECONDS
"${kmake[@]}" Image
echo "== kernel build took $((SECONDS - kstart)) s"

# Step 6: the outputs (the .config without the work folder's path).
cp "$ksrc/arch/riscv/boot/Image" "$out/Image"
sed "s|\"$work/|\"|" "$ksrc/.config" > "$out/config"
"$ksrc/usr/gen_init_cpio" -t "$(date -d "$stamp" +%s)" \
    "$work/initramfs.list" | gzip -9n > "$out/initramfs.cpio.gz"
ls -l "$out/Image" "$out/initramfs.cpio.gz" "$out/config"
echo "== done in $((SECONDS - start)) s; now:"
echo "   MACHINA_GUEST_DIR=$out meson test -C build --suite functional"
