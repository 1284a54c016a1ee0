// native/datagram.cc: sendto() and recvfrom() on real datagram sockets on 127.0.0.1, ::1 and
// an AF_UNIX path, each with the sender's address as the kernel gives it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import * as native from '../../native';
import { closer } from './fds';

/** recvfrom() once the datagram is there (loopback delivers it at once; EAGAIN means not yet). */
function receive(fd: number, buf: Buffer): [number, native.SockAddr | null] {
  const ep = native.epollCreate();
  try {
    native.epollAdd(ep, fd, native.EPOLLIN);
    native.epollWait(ep, 2000);
  } finally {
    native.close(ep);
  }
  return native.recvfrom(fd, buf);
}

for (const [family, host] of [[native.AF_INET, '127.0.0.1'], [native.AF_INET6, '::1']] as const) {
  test(`sendto() reaches a UDP socket on ${host}, and recvfrom() gives the sender's address`, () => {
    const keep = closer();
    const a = keep(native.socket(family, native.SOCK_DGRAM, 0));
    const b = keep(native.socket(family, native.SOCK_DGRAM, 0));
    native.bind(a, { family, host, port: 0 } as native.SockAddr);
    native.bind(b, { family, host, port: 0 } as native.SockAddr);
    const to = native.getsockname(b)!;
    assert.equal(native.sendto(a, Buffer.from('ping'), 0, 4, to), 4);
    const buf = Buffer.alloc(16);
    const [n, from] = receive(b, buf);
    assert.equal(buf.subarray(0, n).toString(), 'ping');
    assert.deepEqual(from, native.getsockname(a));
  });
}

test('recvfrom() cuts a datagram longer than the span and throws EAGAIN when none waits', () => {
  const keep = closer();
  const a = keep(native.socket(native.AF_INET, native.SOCK_DGRAM, 0));
  native.bind(a, { family: native.AF_INET, host: '127.0.0.1', port: 0 });
  native.sendto(a, Buffer.from('abcdef'), 0, 6, native.getsockname(a)!);
  const buf = Buffer.alloc(3);
  assert.equal(receive(a, buf)[0], 3);
  assert.equal(buf.toString(), 'abc');
  assert.throws(() => native.recvfrom(a, buf), (err: unknown) => native.isSystemError(err, 'EAGAIN'));
});

test('an AF_UNIX datagram from an unbound socket comes with no address', () => {
  const keep = closer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ldg-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = Buffer.from(path.join(dir, 'd.sock'));
  const server = keep(native.socket(native.AF_UNIX, native.SOCK_DGRAM, 0));
  native.bind(server, { family: native.AF_UNIX, path: file });
  const client = keep(native.socket(native.AF_UNIX, native.SOCK_DGRAM, 0));
  native.sendto(client, Buffer.from('unix'), 0, 4, { family: native.AF_UNIX, path: file });
  const buf = Buffer.alloc(8);
  const [n, from] = receive(server, buf);
  assert.equal(buf.subarray(0, n).toString(), 'unix');
  assert.ok(from === null || ('path' in from && from.path.length === 0), JSON.stringify(from));
});

test('sendto() checks its span before any system call', () => {
  assert.throws(() => native.sendto(0, Buffer.alloc(2), 1, 4, { family: native.AF_INET, host: '127.0.0.1', port: 9 }), /length must be an integer/);
});
