#!/bin/bash
# CPU benchmark: build the kernels, run each on Machina (when available),
# on Debian's qemu-system-riscv64 and natively, and print wall times,
# guest MIPS and the ratios Machina/QEMU and Machina/native with their
# geometric means.
#
#   run-cpu-bench.sh [MACHINA_BINARY]
#
# MACHINA_BINARY defaults to build/machina-system-riscv64 when it exists.
# The guest instruction count of each kernel is measured once with
# `qemu-system-riscv64 -icount shift=0` (there instret counts retired
# instructions exactly; without -icount QEMU 7.2 derives instret from the
# host tick counter).  BENCH_KERNELS overrides the kernel list;
# BENCH_REPEAT=N keeps the best of N timed runs (default 1), which helps
# on a loaded host.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
tcg="$top/tests/tcg/riscv64"
out=${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/cpu-bench.XXXXXX")}
kernels=${BENCH_KERNELS:-"int mem branchy fp"}
repeat=${BENCH_REPEAT:-1}
qemu=${QEMU:-qemu-system-riscv64}
machina=${1:-}
if [ -z "$machina" ] && [ -x "$top/build/machina-system-riscv64" ]; then
    machina="$top/build/machina-system-riscv64"
fi

cross_flags=(-march=rv64gc_zba_zbb_zbs_zihintpause -mabi=lp64d
             -mcmodel=medany -O2 -ffp-contract=off -nostdlib -nostartfiles
             -static -ffreestanding -fno-builtin
             -Wl,--no-warn-rwx-segments -I"$tcg" -I"$here" -T "$tcg/link.ld")

build() {
    local k=$1

    riscv64-unknown-elf-gcc "${cross_flags[@]}" -o "$out/$k.elf" \
        "$tcg/crt0.S" "$tcg/runtime.c" "$here/bench-riscv.c" "$here/$k.c"
    cc -O2 -ffp-contract=off -I"$here" -o "$out/$k.native" \
        "$here/bench-host.c" "$here/$k.c" -lm
}

# run_timed LOGFILE CMD...: run CMD, leave its output in LOGFILE and print
# the wall time in seconds.
run_timed() {
    local log=$1 t0 t1
    shift
    t0=$(date +%s.%N)
    "$@" </dev/null >"$log" 2>&1
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# run_best LOGFILE CMD...: like run_timed, the best of $repeat runs.
run_best() {
    local best="" t i

    for ((i = 0; i < repeat; i++)); do
        t=$(run_timed "$@")
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" \
               'BEGIN { exit !(a < b) }'; then
            best=$t
        fi
    done
    echo "$best"
}

field() {
    tr -d '\r' <"$1" | awk -v f="$2" '$1 == "bench" {
        for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }'
}

guest() {
    "$1" -M virt -bios none -kernel "$2" -nographic -smp 1 "${@:3}"
}

printf '%-8s %9s %8s %8s %8s %8s %8s %9s %9s\n' kernel "Minsns" \
    "native" "qemu" "qemuMIPS" "machina" "m.MIPS" "m/qemu" "m/native"
results=()
for k in $kernels; do
    build "$k"
    run_timed "$out/$k.icount.log" guest "$qemu" "$out/$k.elf" \
        -icount shift=0 >/dev/null
    insns=$(field "$out/$k.icount.log" instret)
    t_nat=$(run_best "$out/$k.native.log" "$out/$k.native")
    t_qemu=$(run_best "$out/$k.qemu.log" guest "$qemu" "$out/$k.elf")
    sum=$(field "$out/$k.native.log" checksum)
    for log in icount qemu; do
        if [ "$(field "$out/$k.$log.log" checksum)" != "$sum" ]; then
            echo "$k: checksum mismatch in $log run" >&2
            exit 1
        fi
    done
    t_m=-
    if [ -n "$machina" ]; then
        t_m=$(run_best "$out/$k.machina.log" guest "$machina" \
              "$out/$k.elf")
        if [ "$(field "$out/$k.machina.log" checksum)" != "$sum" ]; then
            echo "$k: checksum mismatch on Machina" >&2
            exit 1
        fi
    fi
    results+=("$k $insns $t_nat $t_qemu $t_m")
    awk -v k="$k" -v n="$insns" -v tn="$t_nat" -v tq="$t_qemu" \
        -v tm="$t_m" 'BEGIN {
        mq = n / tq / 1e6
        if (tm == "-") { mm = "-"; rq = "-"; rn = "-" }
        else { mm = sprintf("%.0f", n / tm / 1e6)
               rq = sprintf("%.2f", tm / tq); rn = sprintf("%.2f", tm / tn) }
        printf "%-8s %9.0f %8.2f %8.2f %8.0f %8s %8s %9s %9s\n",
               k, n / 1e6, tn, tq, mq, tm, mm, rq, rn }'
done

# geometric means over all kernels
printf '%s\n' "${results[@]}" | awk '
    { n++; lq += log($4 / $3)
      if ($5 != "-") { m++; lmq += log($5 / $4); lmn += log($5 / $3) } }
    END {
        printf "geomean  qemu/native %.2f", exp(lq / n)
        if (m == n) {
            printf "  machina/qemu %.2f  machina/native %.2f",
                   exp(lmq / m), exp(lmn / m)
        }
        printf "\n"
    }'
echo "logs in $out"
