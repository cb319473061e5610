#!/bin/sh
# mem-bench.sh: memory start-up costs of Machina against QEMU 7.2.
#
#  1. Start-up until the emulator is ready (QMP greeting, or the parent of
#     -daemonize exiting when Machina has no -qmp yet) with
#     -object memory-backend-ram,id=m0,size=$SIZE,prealloc=on,
#     prealloc-threads=N (N = 1 and 2) -machine memory-backend=m0.
#  2. Resident memory (VmRSS) of an idle -m 4G machine stopped with -S.
#
# Runs alternate between the two emulators so that drift in the host
# (other jobs, the hypervisor backing our memory) hits both alike; the
# median of RUNS runs is reported with the ratio Machina / QEMU.
#
# Usage: tests/bench/mem-bench.sh [MACHINA [QEMU]]
#   env: SIZE (default 8G), RUNS (default 3), MACHINE (default virt; none
#   when Machina has no virt board yet), IDLE_MEM (default 4G).
set -eu

MACHINA=${1:-build/machina-system-riscv64}
QEMU=${2:-qemu-system-riscv64}
SIZE=${SIZE:-8G}
RUNS=${RUNS:-3}
IDLE_MEM=${IDLE_MEM:-4G}

if ! "$MACHINA" -machine help 2>/dev/null | grep -q "^${MACHINE:-virt} "; then
    echo "note: $MACHINA has no '${MACHINE:-virt}' machine; using -M none" \
         "for both emulators"
    MACHINE=none
fi
MACHINE=${MACHINE:-virt}

exec python3 - "$MACHINA" "$QEMU" "$MACHINE" "$SIZE" "$RUNS" "$IDLE_MEM" <<'PY'
import os, signal, statistics, subprocess, sys, tempfile, time

machina, qemu, machine, size, runs, idle_mem = sys.argv[1:7]
runs = int(runs)
base = ['-M', machine, '-display', 'none', '-S', '-nodefaults']


def has_qmp(binary):
    p = subprocess.Popen([binary] + base + ['-qmp', 'stdio'],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    line = p.stdout.readline()
    p.kill()
    p.wait()
    return b'"QMP"' in line


def rss_kib(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return -1


def start_qmp(binary, args):
    """Seconds to the QMP greeting, and the running process."""
    t0 = time.monotonic()
    p = subprocess.Popen([binary] + base + args + ['-qmp', 'stdio'],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    line = p.stdout.readline()
    elapsed = time.monotonic() - t0
    if b'"QMP"' not in line:
        p.kill()
        sys.exit('%s: no QMP greeting: %s' % (binary,
                 p.stderr.read().decode()))
    return elapsed, p.pid, p


def start_daemon(binary, args):
    """Seconds until -daemonize's parent exits (init done)."""
    pidfile = tempfile.mktemp(prefix='mem-bench-', suffix='.pid')
    t0 = time.monotonic()
    r = subprocess.run([binary] + base + args +
                       ['-daemonize', '-pidfile', pidfile],
                       capture_output=True)
    elapsed = time.monotonic() - t0
    if r.returncode:
        sys.exit('%s failed: %s' % (binary, r.stderr.decode()))
    with open(pidfile) as f:
        pid = int(f.read())
    os.unlink(pidfile)
    return elapsed, pid, None


def stop(pid, proc):
    os.kill(pid, signal.SIGKILL)
    if proc:
        proc.wait()
    else:
        while os.path.exists('/proc/%d' % pid):
            time.sleep(0.05)


qmp_ok = has_qmp(machina) and has_qmp(qemu)
start = start_qmp if qmp_ok else start_daemon
print('readiness: %s; machine %s; %d runs each, medians' %
      ('QMP greeting' if qmp_ok else '-daemonize parent exit', machine,
       runs))


def measure(args, what):
    res = {machina: [], qemu: []}
    # One untimed run each: the first touch of host memory after a while
    # costs the hypervisor more than later ones.
    for binary in (machina, qemu):
        elapsed, pid, proc = start(binary, args)
        stop(pid, proc)
    for _ in range(runs):
        for binary in (machina, qemu):
            elapsed, pid, proc = start(binary, args)
            if what == 'rss':
                time.sleep(0.5)
                res[binary].append(rss_kib(pid) / 1024.0)
            else:
                res[binary].append(elapsed)
            stop(pid, proc)
    return statistics.median(res[machina]), statistics.median(res[qemu]), res


for threads in (1, 2):
    args = ['-m', size, '-object',
            'memory-backend-ram,id=m0,size=%s,prealloc=on,'
            'prealloc-threads=%d' % (size, threads),
            '-machine', 'memory-backend=m0']
    m, q, res = measure(args, 'time')
    print('prealloc %s threads=%d: machina %.2f s  qemu %.2f s  '
          'ratio %.2f   (machina %s, qemu %s)' %
          (size, threads, m, q, m / q,
           ' '.join('%.2f' % v for v in res[machina]),
           ' '.join('%.2f' % v for v in res[qemu])))
    sys.stdout.flush()

m, q, res = measure(['-m', idle_mem], 'rss')
print('idle -m %s VmRSS: machina %.1f MiB  qemu %.1f MiB  ratio %.2f' %
      (idle_mem, m, q, m / q))
PY
