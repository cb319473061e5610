#!/usr/bin/env bash
# run-tests.sh: set everything up on a fresh Debian 12 machine and run
# every test.  Installs the Debian packages (as root or through sudo),
# builds a normal tree in build/ and a sanitizer tree (ASan + UBSan) in
# build-san/, runs the whole suite in the first and the unit and qtest
# suites in the second, and ends with one line "N passed, N failed,
# N skipped" summed over both.  Exit status is non-zero on any failure.
set -uo pipefail

cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}

if [ "$(id -u)" = 0 ]; then
    scripts/install-deps.sh || exit 1
else
    sudo scripts/install-deps.sh || exit 1
fi

status=0
configure_and_build() {      # DIR CONFIGURE-ARGS...
    local dir=$1; shift
    ./configure --builddir="$dir" "$@" >"$dir/configure.log" 2>&1 ||
        { cat "$dir/configure.log"; return 1; }
    ninja -C "$dir" -j "$JOBS" || return 1
}

mkdir -p build build-san
configure_and_build build || exit 1
meson test -C build --print-errorlogs --num-processes "$JOBS" || status=1

configure_and_build build-san --enable-sanitizers || exit 1
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C build-san --suite unit --suite qtest --print-errorlogs \
    --num-processes "$JOBS" || status=1

python3 scripts/test-summary.py build/meson-logs/testlog.json \
    build-san/meson-logs/testlog.json || status=1
exit $status
