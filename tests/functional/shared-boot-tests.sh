#!/usr/bin/env bash
# shared-boot-tests.sh: run the shared guest's own boot-tests.sh (the
# checks written with the guest) against $EMU, as a cross-check of
# test_guest.py and for the configs only it has: e (virtio blk + net + rng,
# -initrd) and f (-machine aclint=on, 2 NUMA nodes).
#
# Usage: shared-boot-tests.sh [CONFIG...]   (default: a b c d f, plus e on
# QEMU; boot-tests.sh's g hangs on QEMU 7.2 and needs -netdev user)
# Env: EMU, MACHINA_GUEST_DIR (default ../shared/guest beside the source
# root), FUNCTIONAL_LOGDIR.  Exit 77 (skipped) without the guest folder.
set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
dir=${MACHINA_GUEST_DIR:-$src/../shared/guest}
EMU=${EMU:-$src/build/machina-system-riscv64}
if [ ! -x "$dir/boot-tests.sh" ] || [ ! -f "$dir/Image" ]; then
    echo "SKIP: no $dir/boot-tests.sh and Image; set MACHINA_GUEST_DIR" \
         "to the shared guest folder"
    exit 77
fi
if [ $# = 0 ]; then
    case $(basename "$EMU") in
    qemu-system*) set -- a b c d e f ;;
    *) set -- a b c d f ;;
    esac
fi
logs=${FUNCTIONAL_LOGDIR:-$(mktemp -d)}/boot-tests
mkdir -p "$logs"
echo "== EMU=$EMU $dir/boot-tests.sh $logs $*"
EMU=$EMU exec "$dir/boot-tests.sh" "$logs" "$@"
