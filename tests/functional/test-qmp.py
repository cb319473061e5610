#!/usr/bin/env python3
"""QMP and the human monitor against the real binary (TAP output).

Usage: test-qmp.py EMULATOR

Launches EMULATOR -M virt -S -display none with a QMP monitor on a unix
socket and another on TCP, runs a session on each (greeting, negotiation,
commands, errors, events, HMP through human-monitor-command, quit), then
drives a human monitor on mon:stdio through a pty (Ctrl-a c, a command,
Ctrl-a x).  Expected texts are qemu-system-riscv64 7.2's.
"""
import json
import os
import pty
import select
import socket
import subprocess
import sys
import tempfile
import time

EMU = sys.argv[1]
results = []


def check(name, cond, detail=''):
    results.append((name, bool(cond), detail))


class Qmp:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b''

    def line(self, timeout=10):
        end = time.time() + timeout
        while b'\r\n' not in self.buf:
            self.sock.settimeout(max(0.01, end - time.time()))
            data = self.sock.recv(65536)
            if not data:
                raise EOFError('QMP peer closed')
            self.buf += data
        line, self.buf = self.buf.split(b'\r\n', 1)
        return json.loads(line)

    def send(self, obj):
        text = obj if isinstance(obj, (bytes, str)) else json.dumps(obj)
        self.sock.sendall(text.encode() if isinstance(text, str) else text)

    def cmd(self, name, **args):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.send(msg)
        return self.line()


def connect_retry(family, addr):
    for _ in range(200):
        s = socket.socket(family, socket.SOCK_STREAM)
        try:
            s.connect(addr)
            return s
        except OSError:
            s.close()
            time.sleep(0.02)
    raise RuntimeError('cannot connect to %r' % (addr,))


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def strip_ts(ev):
    check('event has timestamp', set(ev.get('timestamp', {})) ==
          {'seconds', 'microseconds'}, ev)
    ev.pop('timestamp', None)
    return ev


def session_tests(a, b):
    greeting = a.line()
    check('greeting', greeting['QMP']['capabilities'] == ['oob'] and
          set(greeting['QMP']['version']) == {'qemu', 'package'}, greeting)
    b.line()
    r = a.cmd('query-status')
    check('command before negotiation', r == {'error': {
        'class': 'CommandNotFound', 'desc': "Expecting capabilities "
        "negotiation with 'qmp_capabilities'"}}, r)
    check('negotiation', a.cmd('qmp_capabilities') == {'return': {}})
    check('negotiation B', b.cmd('qmp_capabilities') == {'return': {}})
    r = a.cmd('qmp_capabilities')
    check('second negotiation', r['error']['class'] == 'CommandNotFound', r)
    r = a.cmd('query-status')
    check('query-status', r == {'return': {'status': 'prelaunch',
          'singlestep': False, 'running': False}}, r)

    # Errors leave the session usable.
    a.send('{"execute": "nosuch", "id": "x1"}')
    r = a.line()
    check('unknown command', r == {'id': 'x1', 'error': {
        'class': 'CommandNotFound',
        'desc': 'The command nosuch has not been found'}}, r)
    a.send('not json\n')
    r1, r2 = a.line(), a.line()
    check('malformed JSON', r1['error']['desc'] ==
          "JSON parse error, invalid keyword 'not'" and
          r2['error']['desc'] == "JSON parse error, invalid keyword 'json'",
          (r1, r2))
    r = a.cmd('ringbuf-read', device='x', size='big')
    check('wrong argument type', r['error']['desc'] ==
          "Invalid parameter type for 'size', expected: integer", r)
    a.send('{"execute": "query-name", "arguments": {"junk": "' +
           'x' * (4 << 20) + '"}}')
    r = a.line()
    check('huge message', r['error']['desc'] ==
          "Parameter 'junk' is unexpected", r)
    r = a.cmd('query-target')
    check('usable after errors', r == {'return': {'arch': 'riscv64'}}, r)

    # Events reach both monitors, before the reply of the command.
    a.send('{"execute": "cont", "id": 42}')
    ev, r = a.line(), a.line()
    check('RESUME before reply', strip_ts(ev) == {'event': 'RESUME'} and
          r == {'return': {}, 'id': 42}, (ev, r))
    check('RESUME on B', strip_ts(b.line()) == {'event': 'RESUME'})
    r = b.cmd('human-monitor-command', **{'command-line': 'info status'})
    check('HMP info status', r == {'return': 'VM status: running\r\n'}, r)
    r = b.cmd('human-monitor-command', **{'command-line': 'nosuchcmd'})
    check('HMP unknown', r == {'return':
                               "unknown command: 'nosuchcmd'\r\n"}, r)
    r = b.cmd('human-monitor-command', **{'command-line': 'info qtree'})
    check('HMP info qtree', r['return'].startswith('bus: ') and
          'dev: virtio-mmio, id ""\r\n' in r['return'], r)
    r = b.cmd('human-monitor-command', **{'command-line': 'info mtree -f'})
    check('HMP info mtree -f', r['return'].startswith('FlatView #0\r\n')
          and 'riscv.sifive.plic' in r['return'], r)
    r = b.cmd('human-monitor-command', **{'command-line': 'xp /2xw 0x1000'})
    check('HMP xp of the boot ROM', r == {'return': '0000000000001000: '
                                          '0x00000297 0x02828613\r\n'}, r)
    r = b.cmd('query-cpus-fast')
    check('query-cpus-fast', [(c['cpu-index'], c['qom-path'], c['props'])
                              for c in r['return']] ==
          [(0, '/machine/soc0/harts[0]', {'core-id': 0})], r)
    b.send({'execute': 'stop'})
    ev, r = b.line(), b.line()
    check('STOP', strip_ts(ev) == {'event': 'STOP'} and r == {'return': {}})
    check('STOP on A', strip_ts(a.line()) == {'event': 'STOP'})
    b.send({'execute': 'system_reset'})
    ev, r = b.line(), b.line()
    check('RESET', strip_ts(ev) == {'event': 'RESET', 'data': {
        'guest': False, 'reason': 'host-qmp-system-reset'}}, ev)
    strip_ts(a.line())
    r = a.cmd('query-chardev')
    labels = sorted(c['label'] for c in r['return'])
    check('query-chardev', labels == ['compat_monitor0',
                                      'compat_monitor1'], r)
    r = a.cmd('qom-get', path='/nope', property='x')
    check('qom-get missing path', r == {'error': {
        'class': 'DeviceNotFound', 'desc': "Device '/nope' not found"}}, r)

    a.send({'execute': 'quit'})
    ev, r = a.line(), a.line()
    check('quit', strip_ts(ev) == {'event': 'SHUTDOWN', 'data': {
        'guest': False, 'reason': 'host-qmp-quit'}} and r == {'return': {}},
        (ev, r))


def test_sockets(tmp):
    path = os.path.join(tmp, 'qmp.sock')
    port = free_port()
    proc = subprocess.Popen([EMU, '-M', 'virt', '-S', '-display', 'none',
                             '-qmp', 'unix:%s,server=on,wait=off' % path,
                             '-qmp', 'tcp:127.0.0.1:%d,server=on,wait=off'
                             % port], stderr=subprocess.PIPE)
    try:
        a = Qmp(connect_retry(socket.AF_UNIX, path))
        b = Qmp(connect_retry(socket.AF_INET, ('127.0.0.1', port)))
        session_tests(a, b)
        rc = proc.wait(timeout=10)
        check('exit status 0 after quit', rc == 0, rc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def pty_read_until(fd, want, timeout=10):
    out = b''
    end = time.time() + timeout
    while want not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return out


def test_mon_stdio():
    """-nographic: serial console and monitor share the terminal; the
    serial console has the focus first, so the monitor stays silent until
    Ctrl-a c."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([EMU, '-M', 'virt', '-S', '-nographic'],
                            stdin=slave, stdout=slave, stderr=slave,
                            close_fds=True)
    os.close(slave)
    try:
        out = pty_read_until(master, b'(qemu) ', 1)
        check('mon:stdio silent while the serial has the focus',
              b'(qemu)' not in out, out)
        os.write(master, b'\x01c')      # Ctrl-a c: to the monitor
        out = pty_read_until(master, b'(qemu) ')
        check('Ctrl-a c: banner and prompt', b'monitor - type' in out and
              out.endswith(b'(qemu) '), out)
        os.write(master, b'info status\r')
        out = pty_read_until(master, b'(prelaunch)')
        check('mon:stdio info status', b'VM status: paused (prelaunch)'
              in out, out)
        os.write(master, b'\x01c')      # back to the serial console
        os.write(master, b'\x01x')      # Ctrl-a x: quit
        out = pty_read_until(master, b'Terminated')
        check('Ctrl-a x', b'QEMU: Terminated' in out, out)
        check('Ctrl-a x exit status', proc.wait(timeout=10) == 0)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for fn in (lambda: test_sockets(tmp), test_mon_stdio):
            try:
                fn()
            except Exception as e:      # report, then carry on
                check('no exception', False, repr(e))
    print('1..%d' % len(results))
    for i, (name, ok, detail) in enumerate(results, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
        if not ok:
            print('# %r' % (detail,))
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == '__main__':
    sys.exit(main())
