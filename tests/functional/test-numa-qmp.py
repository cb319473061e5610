#!/usr/bin/env python3
"""NUMA and memory backends through the real binary (TAP output).

Usage: test-numa-qmp.py EMULATOR [QEMU]

Starts EMULATOR -M virt -S with QMP on stdio for 1, 2, 4 and 8 node
layouts built from ram, file and memfd backends, and checks info numa,
query-memdev, info memdev, query-cpus-fast and info mtree.  Layouts QEMU
7.2 can start are also run on QEMU (second argument, default
qemu-system-riscv64 when installed) and the answers must be the same;
the others (4 and 8 nodes, CPU sets that are not one range, CPU-less
nodes: 7.2 refuses or aborts) are checked against expected text.  Also:
share=on (a write into the backing file shows in guest memory through
HMP xp) and host-nodes=0,policy=bind (/proc/PID/numa_maps).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

EMU = sys.argv[1]
QEMU = sys.argv[2] if len(sys.argv) > 2 else shutil.which(
    'qemu-system-riscv64')
TMP = tempfile.mkdtemp(prefix='test-numa-qmp-')
results = []


def check(name, cond, detail=''):
    results.append((name, bool(cond), detail))


class Vm:
    """One emulator under QMP on stdio."""

    def __init__(self, binary, args):
        self.p = subprocess.Popen(
            [binary, '-M', 'virt', '-display', 'none', '-S', '-nodefaults',
             '-qmp', 'stdio'] + args,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        greeting = self.p.stdout.readline()
        if b'QMP' not in greeting:
            raise RuntimeError('%s: %s' % (binary,
                               self.p.stderr.read().decode()))
        self.cmd('qmp_capabilities')

    def cmd(self, name, **args):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.p.stdin.write((json.dumps(msg) + '\n').encode())
        self.p.stdin.flush()
        while True:
            reply = json.loads(self.p.stdout.readline())
            if 'event' not in reply:
                return reply.get('return', reply.get('error'))

    def hmp(self, line):
        return self.cmd('human-monitor-command', **{'command-line': line})

    def quit(self):
        self.cmd('quit')
        self.p.wait(timeout=20)


def ram_lines(mtree):
    """The RAM part of info mtree: the board RAM and the backends."""
    out = []
    for line in mtree.split('\r\n'):
        if ('riscv_virt_board.ram' in line or '(prio 0, ram)' in line) \
                and 'mrom' not in line and line not in out:
            out.append(line)
    return out


def snapshot(binary, args):
    vm = Vm(binary, args)
    snap = {
        'info numa': vm.hmp('info numa'),
        'query-memdev': sorted(json.dumps(m, sort_keys=True)
                               for m in vm.cmd('query-memdev')),
        'info memdev': sorted(vm.hmp('info memdev').strip('\r\n')
                              .split('\r\nmemory backend: ')),
        'cpu nodes': [(c['cpu-index'], c['props'])
                      for c in vm.cmd('query-cpus-fast')],
        'mtree ram': ram_lines(vm.hmp('info mtree')),
    }
    vm.quit()
    return snap


def backend(kind, name, size, extra=''):
    path = ',mem-path=' + TMP if kind == 'file' else ''
    return ['-object', 'memory-backend-%s,id=%s,size=%s%s%s' %
            (kind, name, size, path, extra)]


def nodes(n, kind, size, cpus_per_node):
    args = []
    for i in range(n):
        args += backend(kind, 'm%d' % i, size)
        first = i * cpus_per_node
        cpus = ('%d' % first if cpus_per_node == 1 else
                '%d-%d' % (first, first + cpus_per_node - 1))
        args += ['-numa', 'node,nodeid=%d,memdev=m%d,cpus=%s' % (i, i, cpus)]
    return args


# Layouts both emulators start: compare everything.
SAME = {
    'no-numa': ['-m', '256M', '-smp', '2'],
    'memory-backend-file': ['-m', '128M'] + backend('file', 'm0', '128M') +
                           ['-machine', 'memory-backend=m0'],
    '1-node-file': ['-m', '512M', '-smp', '2'] + nodes(1, 'file', '512M', 2),
    '2-nodes-ram': ['-m', '1G', '-smp', '4'] + nodes(2, 'ram', '512M', 2) +
                   ['-numa', 'dist,src=0,dst=1,val=20'],
    '2-nodes-memfd': ['-m', '1G', '-smp', '4'] +
                     nodes(2, 'memfd', '512M', 2),
    '2-nodes-bind': ['-m', '256M', '-smp', '2'] +
                    backend('ram', 'm0', '128M', ',host-nodes=0,policy=bind')
                    + backend('ram', 'm1', '128M') +
                    ['-numa', 'node,memdev=m0,cpus=0',
                     '-numa', 'node,memdev=m1,cpus=1'],
}

for name, args in SAME.items():
    try:
        ours = snapshot(EMU, args)
    except Exception as e:  # noqa: BLE001 - reported as a failure
        check('%s starts' % name, False, str(e))
        continue
    if not QEMU:
        check('%s: info numa has a node count' % name,
              ours['info numa'].endswith('\r\n'))
        continue
    theirs = snapshot(QEMU, args)
    for key in ours:
        check('%s: %s as QEMU 7.2' % (name, key), ours[key] == theirs[key],
              'machina %r\nqemu    %r' % (ours[key], theirs[key]))


def expect_numa(name, args, want_numa, want_ranges):
    try:
        snap = snapshot(EMU, args)
    except Exception as e:  # noqa: BLE001
        check('%s starts' % name, False, str(e))
        return
    check('%s: info numa' % name, snap['info numa'] == want_numa,
          repr(snap['info numa']))
    got = [line.split(':')[0].split()[0] + ' ' + line.split(': ')[-1]
           for line in snap['mtree ram'] if '(prio 0, ram)' in line]
    check('%s: node RAM back to back from 0x80000000' % name,
          got == want_ranges, repr(got))
    check('%s: query-memdev lists every node backend' % name,
          len(snap['query-memdev']) == len(want_ranges))


def numa_text(node_cpus, size_mb):
    text = '%d nodes\r\n' % len(node_cpus)
    for i, cpus in enumerate(node_cpus):
        text += 'node %d cpus:%s\r\n' % (i, ''.join(' %d' % c for c in cpus))
        text += 'node %d size: %d MB\r\nnode %d plugged: 0 MB\r\n' % (
            i, size_mb, i)
    return text


def ranges(n, size):
    return ['%016x-%016x m%d' % (0x80000000 + i * size,
                                 0x80000000 + (i + 1) * size - 1, i)
            for i in range(n)]


# Layouts QEMU 7.2 aborts on or refuses (more than 2 sockets with the
# default PLIC, CPU sets that are not a range, CPU-less nodes).
expect_numa('4-nodes-ram', ['-m', '1G', '-smp', '8'] +
            nodes(4, 'ram', '256M', 2),
            numa_text([[0, 1], [2, 3], [4, 5], [6, 7]], 256),
            ranges(4, 256 << 20))
expect_numa('8-nodes-memfd', ['-m', '1G', '-smp', '8'] +
            nodes(8, 'memfd', '128M', 1),
            numa_text([[i] for i in range(8)], 128), ranges(8, 128 << 20))
expect_numa('interleaved-and-cpuless',
            ['-m', '384M', '-smp', '4'] + backend('ram', 'm0', '128M') +
            backend('file', 'm1', '128M') + backend('memfd', 'm2', '128M') +
            ['-numa', 'node,memdev=m0,cpus=0,cpus=2',
             '-numa', 'node,memdev=m1,cpus=1,cpus=3',
             '-numa', 'node,memdev=m2'],
            numa_text([[0, 2], [1, 3], []], 128), ranges(3, 128 << 20))


def test_share():
    """share=on: a write into the file is guest memory at once."""
    img = os.path.join(TMP, 'share.img')
    with open(img, 'wb') as f:
        f.truncate(64 << 20)
    vm = Vm(EMU, ['-m', '64M', '-object', 'memory-backend-file,id=m0,'
                  'size=64M,mem-path=%s,share=on' % img,
                  '-machine', 'memory-backend=m0'])
    fd = os.open(img, os.O_WRONLY)
    os.pwrite(fd, b'\x12\x34\x56\x78', 0x100)
    os.close(fd)
    out = vm.hmp('xp /4xb 0x80000100')
    vm.quit()
    check('share=on: file write visible through xp',
          out == '0000000080000100: 0x12 0x34 0x56 0x78\r\n', repr(out))


def test_bind():
    """host-nodes=0,policy=bind: the guest RAM is bound to node 0."""
    vm = Vm(EMU, ['-m', '64M', '-object', 'memory-backend-ram,id=m0,'
                  'size=64M,host-nodes=0,policy=bind,prealloc=on',
                  '-machine', 'memory-backend=m0'])
    try:
        with open('/proc/%d/numa_maps' % vm.p.pid) as f:
            maps = f.read()
    except OSError:
        vm.quit()
        results.append(('bind: numa_maps', True, 'SKIP no numa_maps'))
        return
    vm.quit()
    check('bind: guest RAM mapping is bind:0 with pages on N0',
          any(' bind:0 ' in line and ' N0=' in line
              for line in maps.splitlines()), maps)


test_share()
test_bind()
shutil.rmtree(TMP, ignore_errors=True)

print('1..%d' % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    skip = detail.startswith('SKIP')
    print('%s %d %s%s' % ('ok' if ok else 'not ok', i, name,
                          ' # ' + detail if skip else ''))
    if not ok:
        for line in detail.splitlines():
            print('# ' + line)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
