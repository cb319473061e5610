#!/usr/bin/env python3
"""QMP benchmark: Machina against qemu-system-riscv64, measured in one run.

Usage: qmp-bench.py [--machine M] [--requests N] [--starts N] MACHINA [QEMU]

1. Round-trip latency: N query-status requests (default 10000), one at a
   time on one unix-socket connection; median and p99 in microseconds.
2. Start-up time to the QMP greeting: spawn "-M M -S -qmp stdio -display
   none" and time until the greeting line arrives on stdout (default 20
   starts, median).

Each figure is printed for both emulators with the ratio Machina/QEMU
(below 1.0: Machina is faster).  Rounds alternate between the emulators
so that a change in host load hits both.
"""
import argparse
import os
import socket
import statistics
import subprocess
import tempfile
import time


def connect_retry(path):
    for _ in range(500):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            time.sleep(0.01)
    raise RuntimeError('no QMP socket at ' + path)


def read_line(sock, buf):
    while b'\n' not in buf[0]:
        data = sock.recv(65536)
        if not data:
            raise EOFError('emulator closed QMP')
        buf[0] += data
    line, buf[0] = buf[0].split(b'\n', 1)
    return line


def round_trips(emu, machine, n, tmp):
    path = os.path.join(tmp, 'bench.sock')
    proc = subprocess.Popen([emu, '-M', machine, '-S', '-display', 'none',
                             '-qmp', 'unix:%s,server=on,wait=off' % path],
                            stderr=subprocess.DEVNULL)
    try:
        sock = connect_retry(path)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
        buf = [b'']
        read_line(sock, buf)
        sock.sendall(b'{"execute":"qmp_capabilities"}\n')
        read_line(sock, buf)
        req = b'{"execute":"query-status"}\n'
        lat = []
        for _ in range(n):
            t0 = time.perf_counter_ns()
            sock.sendall(req)
            read_line(sock, buf)
            lat.append((time.perf_counter_ns() - t0) / 1000.0)
        sock.sendall(b'{"execute":"quit"}\n')
        while not read_line(sock, buf).startswith(b'{"return"'):
            pass        # the SHUTDOWN event comes first
        sock.close()
        proc.wait(timeout=10)
        return lat
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if os.path.exists(path):
            os.unlink(path)


def start_to_greeting(emu, machine):
    t0 = time.perf_counter()
    proc = subprocess.Popen([emu, '-M', machine, '-S', '-qmp', 'stdio',
                             '-display', 'none'], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = proc.stdout.readline()
    dt = time.perf_counter() - t0
    proc.kill()
    proc.wait()
    if b'"QMP"' not in line:
        raise RuntimeError('%s: no greeting: %r' % (emu, line))
    return dt * 1000.0


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100.0))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--machine', default='virt')
    ap.add_argument('--requests', type=int, default=10000)
    ap.add_argument('--starts', type=int, default=20)
    ap.add_argument('machina')
    ap.add_argument('qemu', nargs='?', default='qemu-system-riscv64')
    a = ap.parse_args()
    emus = {'machina': a.machina, 'qemu': a.qemu}

    with tempfile.TemporaryDirectory() as tmp:
        lat = {k: [] for k in emus}
        rounds = 4
        for _ in range(rounds):
            for k, emu in emus.items():
                lat[k] += round_trips(emu, a.machine, a.requests // rounds,
                                      tmp)
        start = {k: [] for k in emus}
        for _ in range(a.starts):
            for k, emu in emus.items():
                start[k].append(start_to_greeting(emu, a.machine))

    print('machine %s, %d query-status round trips, %d starts' %
          (a.machine, a.requests, a.starts))
    rows = [('round trip median (us)',
             {k: statistics.median(v) for k, v in lat.items()}),
            ('round trip p99 (us)', {k: pct(v, 99) for k, v in lat.items()}),
            ('start to greeting median (ms)',
             {k: statistics.median(v) for k, v in start.items()})]
    print('%-32s %10s %10s %8s' % ('', 'machina', 'qemu', 'ratio'))
    for name, v in rows:
        print('%-32s %10.1f %10.1f %8.2f' % (name, v['machina'], v['qemu'],
                                             v['machina'] / v['qemu']))


if __name__ == '__main__':
    main()
