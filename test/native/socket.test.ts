// native/socket.cc and sockaddr.cc: non-blocking stream sockets over IPv4, IPv6 and AF_UNIX
// (paths and abstract names), on real sockets on 127.0.0.1, ::1 and the file system.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import * as native from '../../native';
import { closer } from './fds';

function waitFor(fd: number, events: number): void {
  const ep = native.epollCreate();
  try {
    native.epollAdd(ep, fd, events);
    native.epollWait(ep, 2000);
  } finally {
    native.close(ep);
  }
}

/** connect() on a non-blocking socket: done at once, or EINPROGRESS and then writable. */
function connectNow(fd: number, address: native.SockAddr): void {
  try {
    native.connect(fd, address);
  } catch (err) {
    if (!native.isSystemError(err, 'EINPROGRESS')) throw err;
    waitFor(fd, native.EPOLLOUT);
  }
}

/** A listening socket of `family` bound to `address`. */
function listener(keep: (fd: number) => number, address: native.SockAddr, backlog = 8): number {
  const fd = keep(native.socket(address.family, native.SOCK_STREAM, 0));
  native.bind(fd, address);
  native.listen(fd, backlog);
  return fd;
}

/** Client and server ends of one connection to `server`, each closed at the test's end. */
function connection(keep: (fd: number) => number, server: number): { client: number; conn: number; peer: native.SockAddr | null } {
  const where = native.getsockname(server) as native.SockAddr;
  const client = keep(native.socket(where.family, native.SOCK_STREAM, 0));
  connectNow(client, where);
  assert.equal(native.socketError(client), 0);
  waitFor(server, native.EPOLLIN);
  const [conn, peer] = native.accept(server);
  keep(conn);
  return { client, conn, peer };
}

/** Sends `text` one way and reads it back on the other end. */
function echo(from: number, to: number, text: string): string {
  native.send(from, Buffer.from(text));
  waitFor(to, native.EPOLLIN);
  const buf = Buffer.alloc(64);
  return buf.subarray(0, native.recv(to, buf)).toString();
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-sock-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a socket pair carries bytes; an empty non-blocking recv is EAGAIN', () => {
  const keep = closer();
  const [a, b] = native.socketpair().map(keep);
  assert.equal(native.send(a, Buffer.from('hello')), 5);
  const buf = Buffer.alloc(16);
  assert.equal(native.recv(b, buf), 5);
  assert.equal(buf.subarray(0, 5).toString(), 'hello');
  assert.throws(() => native.recv(b, buf), (e: unknown) => native.isSystemError(e, 'EAGAIN'));
  // recvOrAgain: the same, with -1 for "nothing yet", and the end of the stream still 0.
  assert.equal(native.recvOrAgain(b, buf), -1);
  native.send(a, Buffer.from('again'));
  assert.equal(native.recvOrAgain(b, buf), 5);
  assert.equal(native.socketType(a), native.SOCK_STREAM);
  assert.deepEqual(native.getsockname(a), { family: native.AF_UNIX, path: Buffer.alloc(0) });
});

test('IPv4 loopback: bind port 0, connect, accept, echo both ways; addresses as {family, host, port}', () => {
  const keep = closer();
  const server = listener(keep, { family: native.AF_INET, host: '127.0.0.1', port: 0 });
  const bound = native.getsockname(server) as native.InetSockAddr;
  assert.deepEqual(Object.keys(bound).sort(), ['family', 'host', 'port']);
  assert.equal(bound.family, native.AF_INET);
  assert.equal(bound.host, '127.0.0.1');
  assert.ok(bound.port > 0);
  const { client, conn, peer } = connection(keep, server);
  assert.deepEqual(native.getpeername(client), bound);
  assert.deepEqual(peer, native.getsockname(client));
  assert.equal(echo(client, conn, 'ping'), 'ping');
  assert.equal(echo(conn, client, 'pong'), 'pong');
});

test('IPv6 loopback: ::1 with flowinfo and scopeId in every address', () => {
  const keep = closer();
  const server = listener(keep, { family: native.AF_INET6, host: '::1', port: 0 });
  const bound = native.getsockname(server) as native.InetSockAddr;
  assert.deepEqual({ ...bound, port: 0 }, { family: native.AF_INET6, host: '::1', port: 0, flowinfo: 0, scopeId: 0 });
  const { client, conn, peer } = connection(keep, server);
  assert.deepEqual(peer, native.getsockname(client));
  assert.equal(echo(client, conn, 'v6'), 'v6');
});

test('connecting to a closed port fails with ECONNREFUSED, at once or through SO_ERROR', () => {
  const keep = closer();
  const probe = native.socket(native.AF_INET, native.SOCK_STREAM, 0);
  native.bind(probe, { family: native.AF_INET, host: '127.0.0.1', port: 0 });
  const free = native.getsockname(probe) as native.SockAddr;
  native.close(probe);
  const client = keep(native.socket(native.AF_INET, native.SOCK_STREAM, 0));
  let err = 0;
  try {
    native.connect(client, free);
  } catch (e) {
    if (!native.isSystemError(e, 'EINPROGRESS', 'ECONNREFUSED')) throw e;
    err = e.errno;
  }
  if (err === 115 /* EINPROGRESS */) {
    waitFor(client, native.EPOLLOUT);
    err = native.socketError(client);
  }
  assert.equal(err, 111 /* ECONNREFUSED */);
});

test('socket() and accept4 make non-blocking, close-on-exec descriptors', () => {
  const keep = closer();
  const server = listener(keep, { family: native.AF_INET, host: '127.0.0.1', port: 0 });
  const { client, conn } = connection(keep, server);
  for (const fd of [server, client, conn]) {
    assert.ok(native.fcntl(fd, native.F_GETFL) & native.O_NONBLOCK, `fd ${fd} non-blocking`);
    assert.ok(native.fcntl(fd, native.F_GETFD) & native.FD_CLOEXEC, `fd ${fd} close-on-exec`);
  }
  assert.throws(() => native.accept(server), (e: unknown) => native.isSystemError(e, 'EAGAIN'));
});

test('fcntl sets and clears O_NONBLOCK; it refuses the commands that are not flag commands', () => {
  const keep = closer();
  const fd = keep(native.socket(native.AF_INET, native.SOCK_STREAM, 0));
  const flags = native.fcntl(fd, native.F_GETFL);
  native.fcntl(fd, native.F_SETFL, flags & ~native.O_NONBLOCK);
  assert.equal(native.fcntl(fd, native.F_GETFL) & native.O_NONBLOCK, 0);
  native.fcntl(fd, native.F_SETFL, flags);
  assert.ok(native.fcntl(fd, native.F_GETFL) & native.O_NONBLOCK);
  assert.throws(() => native.fcntl(fd, 0 /* F_DUPFD */, 0), TypeError);
});

test('every socket the addon opens is in openFds until closed', () => {
  const before = native.openFds().length;
  const server = native.socket(native.AF_INET, native.SOCK_STREAM, 0);
  native.bind(server, { family: native.AF_INET, host: '127.0.0.1', port: 0 });
  native.listen(server, 1);
  const client = native.socket(native.AF_INET, native.SOCK_STREAM, 0);
  connectNow(client, native.getsockname(server) as native.SockAddr);
  waitFor(server, native.EPOLLIN);
  const [conn] = native.accept(server);
  for (const fd of [server, client, conn]) assert.deepEqual(native.openFds().find((e) => e.fd === fd), { fd, kind: 'socket' });
  for (const fd of [conn, client, server]) native.close(fd);
  assert.equal(native.openFds().length, before);
});

test('AF_UNIX path socket: bind creates the file, getsockname gives the path bytes without the NUL', () => {
  const keep = closer();
  const file = path.join(tempDir(), 's.sock');
  const address = { family: native.AF_UNIX, path: Buffer.from(file) };
  const server = listener(keep, address);
  assert.ok(fs.statSync(file).isSocket());
  assert.deepEqual(native.getsockname(server), address);
  const { client, conn, peer } = connection(keep, server);
  assert.deepEqual(peer, { family: native.AF_UNIX, path: Buffer.alloc(0) }, 'an unbound client has the empty address');
  assert.deepEqual(native.getpeername(client), address);
  assert.equal(echo(client, conn, 'unix'), 'unix');
});

test('AF_UNIX abstract names keep their leading NUL and all their bytes; the empty path autobinds one', () => {
  const keep = closer();
  const name = Buffer.from(`\0loopspec-test-${process.pid}-${Date.now()}`);
  const server = listener(keep, { family: native.AF_UNIX, path: name });
  assert.deepEqual(native.getsockname(server), { family: native.AF_UNIX, path: name });
  const { client, conn } = connection(keep, server);
  assert.equal(echo(conn, client, 'abstract'), 'abstract');
  const auto = keep(native.socket(native.AF_UNIX, native.SOCK_STREAM, 0));
  native.bind(auto, { family: native.AF_UNIX, path: Buffer.alloc(0) });
  const picked = native.getsockname(auto) as native.UnixSockAddr;
  assert.equal(picked.path[0], 0);
  assert.ok(picked.path.length > 1);
});

test('sun_path holds 107 bytes and a NUL, or a 108-byte abstract name; longer never reaches C++', () => {
  const keep = closer();
  assert.equal(native.SUN_PATH_SIZE, 108);
  const abstract = Buffer.alloc(108, 'a');
  abstract[0] = 0;
  abstract.write(String(process.pid), 1);
  const fd = keep(native.socket(native.AF_UNIX, native.SOCK_STREAM, 0));
  native.bind(fd, { family: native.AF_UNIX, path: abstract });
  assert.deepEqual((native.getsockname(fd) as native.UnixSockAddr).path, abstract);
  const other = keep(native.socket(native.AF_UNIX, native.SOCK_STREAM, 0));
  assert.throws(() => native.bind(other, { family: native.AF_UNIX, path: Buffer.alloc(108, 'x') }), TypeError);
  assert.throws(() => native.bind(other, { family: native.AF_UNIX, path: Buffer.concat([abstract, Buffer.from('x')]) }), TypeError);
});

test('SO_REUSEPORT lets two listeners share a port; without it the second bind is EADDRINUSE', () => {
  const keep = closer();
  const first = keep(native.socket(native.AF_INET, native.SOCK_STREAM, 0));
  native.setsockoptInt(first, native.SOL_SOCKET, native.SO_REUSEPORT, 1);
  native.bind(first, { family: native.AF_INET, host: '127.0.0.1', port: 0 });
  native.listen(first, 4);
  const shared = native.getsockname(first) as native.SockAddr;
  const second = keep(native.socket(native.AF_INET, native.SOCK_STREAM, 0));
  native.setsockoptInt(second, native.SOL_SOCKET, native.SO_REUSEPORT, 1);
  native.bind(second, shared);
  native.listen(second, 4);
  assert.deepEqual(native.getsockname(second), shared);
  const third = keep(native.socket(native.AF_INET, native.SOCK_STREAM, 0));
  assert.throws(() => native.bind(third, shared), (e: unknown) => native.isSystemError(e, 'EADDRINUSE'));
});

test('integer options read back: TCP_NODELAY, SO_KEEPALIVE, SO_REUSEADDR, SO_TYPE, IPV6_V6ONLY', () => {
  const keep = closer();
  const fd = keep(native.socket(native.AF_INET, native.SOCK_STREAM, 0));
  for (const [level, name] of [[native.IPPROTO_TCP, native.TCP_NODELAY], [native.SOL_SOCKET, native.SO_KEEPALIVE], [native.SOL_SOCKET, native.SO_REUSEADDR]]) {
    assert.equal(native.getsockoptInt(fd, level, name), 0);
    native.setsockoptInt(fd, level, name, 1);
    assert.equal(native.getsockoptInt(fd, level, name), 1);
  }
  assert.equal(native.getsockoptInt(fd, native.SOL_SOCKET, native.SO_TYPE), native.SOCK_STREAM);
  const v6 = keep(native.socket(native.AF_INET6, native.SOCK_STREAM, 0));
  native.setsockoptInt(v6, native.IPPROTO_IPV6, native.IPV6_V6ONLY, 1);
  assert.equal(native.getsockoptInt(v6, native.IPPROTO_IPV6, native.IPV6_V6ONLY), 1);
  assert.throws(() => native.getsockoptInt(fd, native.SOL_SOCKET, 9999), (e: unknown) => native.isSystemError(e, 'ENOPROTOOPT'));
});

test('shutdown(SHUT_WR) is end of stream for the peer; getpeername of an unconnected socket is ENOTCONN', () => {
  const keep = closer();
  const server = listener(keep, { family: native.AF_INET, host: '127.0.0.1', port: 0 });
  const { client, conn } = connection(keep, server);
  native.shutdown(client, native.SHUT_WR);
  waitFor(conn, native.EPOLLIN);
  assert.equal(native.recv(conn, Buffer.alloc(4)), 0);
  assert.throws(() => native.getpeername(server), (e: unknown) => native.isSystemError(e, 'ENOTCONN'));
});

test('inetPton tells numeric addresses from names', () => {
  assert.deepEqual(native.inetPton(native.AF_INET, '127.0.0.1'), Buffer.from([127, 0, 0, 1]));
  assert.equal(native.inetPton(native.AF_INET6, '::1')?.length, 16);
  assert.equal(native.inetPton(native.AF_INET, 'localhost'), null);
  assert.equal(native.inetPton(native.AF_INET, '::1'), null);
  assert.throws(() => native.inetPton(99, 'x'), (e: unknown) => native.isSystemError(e, 'EAFNOSUPPORT'));
});

test('SO_LINGER 0 makes close() reset the connection', () => {
  const keep = closer();
  const server = listener(keep, { family: native.AF_INET, host: '127.0.0.1', port: 0 });
  const where = native.getsockname(server) as native.SockAddr;
  const client = keep(native.socket(native.AF_INET, native.SOCK_STREAM, 0));
  connectNow(client, where);
  waitFor(server, native.EPOLLIN);
  const [conn] = native.accept(server);
  native.setLinger(conn, true, 0);
  native.close(conn);
  waitFor(client, native.EPOLLIN);
  assert.throws(() => native.recv(client, Buffer.alloc(4)), (e: unknown) => native.isSystemError(e, 'ECONNRESET'));
});

test('send to a closed peer is an EPIPE error (MSG_NOSIGNAL: no SIGPIPE even where it is not ignored) (child process)', () => {
  const script = `
    const n = require(${JSON.stringify(require.resolve('../../native'))});
    const [a, b] = n.socketpair();
    n.close(b);
    try { n.send(a, Buffer.from('x')); process.stdout.write('sent'); }
    catch (e) { process.stdout.write(e.code); }
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.stdout, 'EPIPE', r.stderr);
});

test('malformed addresses and spans reaching C++ throw TypeError or RangeError instead of crashing (child process)', () => {
  const script = `
    const raw = require(${JSON.stringify(native.addonPath)});
    const { AF_INET, AF_INET6, AF_UNIX, SOCK_STREAM } = raw.socketConstants;
    const fd = raw.socket(AF_INET, SOCK_STREAM, 0);
    const calls = [
      () => raw.bind(fd, null), () => raw.bind(fd, {}), () => raw.connect(fd, { family: AF_INET, host: 'localhost', port: 1 }),
      () => raw.bind(fd, { family: AF_INET6, host: '::1', port: 'x' }), () => raw.bind(fd, { family: AF_UNIX, path: 'p' }),
      () => raw.bind(fd, { family: AF_UNIX, path: Buffer.alloc(4096, 'x') }), () => raw.bind(fd, { family: 99 }),
      () => raw.getnameinfo({ family: AF_INET, host: 5, port: 1 }, 0), () => raw.getaddrinfo(5, null, 0, 0, 0, 0),
      () => raw.fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 0),
      // The buffer spans of send/recv: not a Buffer, another typed array, past the end, negative.
      () => raw.send(fd, 'abc', 0, 3), () => raw.recv(fd, new Float64Array(4), 0, 8),
      () => raw.send(fd, Buffer.alloc(4), 2, 3), () => raw.recv(fd, Buffer.alloc(4), -1, 1), () => raw.send(fd, Buffer.alloc(4), 0),
    ];
    let thrown = 0;
    for (const c of calls) { try { c(); } catch (e) { if (e instanceof TypeError || e instanceof RangeError) thrown++; } }
    raw.close(fd);
    process.stdout.write(String(thrown));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '15');
});

test('the tests above closed every descriptor they opened', () => {
  assert.deepEqual(native.openFds(), []);
});
