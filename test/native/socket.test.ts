// native/socket.cc: non-blocking TCP sockets and socket pairs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as native from '../../native';

function waitWritable(fd: number): void {
  const ep = native.epollCreate();
  try {
    native.epollAdd(ep, fd, native.EPOLLOUT);
    native.epollWait(ep, 2000);
  } finally {
    native.close(ep);
  }
}

test('a socket pair carries bytes; an empty non-blocking recv is EAGAIN', () => {
  const [a, b] = native.socketpair();
  try {
    assert.equal(native.send(a, Buffer.from('hello')), 5);
    const buf = Buffer.alloc(16);
    assert.equal(native.recv(b, buf), 5);
    assert.equal(buf.subarray(0, 5).toString(), 'hello');
    assert.throws(() => native.recv(b, buf), (e: unknown) => native.isSystemError(e, 'EAGAIN'));
    assert.equal(native.socketType(a), native.SOCK_STREAM);
  } finally {
    native.close(a);
    native.close(b);
  }
});

test('connect to a listener on 127.0.0.1 port 0 completes, SO_ERROR 0', () => {
  const listener = native.listenTcp('127.0.0.1', 0);
  const { port } = native.getsockname(listener);
  const client = native.socketTcp();
  try {
    const immediate = native.connect(client, '127.0.0.1', port as number);
    if (!immediate) waitWritable(client);
    assert.equal(native.socketError(client), 0);
    const server = native.accept(listener);
    assert.equal(native.getpeername(client).port, port);
    native.close(server);
  } finally {
    native.close(client);
    native.close(listener);
  }
});

test('connecting to a closed port reports ECONNREFUSED through SO_ERROR or at once', () => {
  const listener = native.listenTcp('127.0.0.1', 0);
  const { port } = native.getsockname(listener);
  native.close(listener);
  const client = native.socketTcp();
  try {
    let err = 0;
    try {
      if (!native.connect(client, '127.0.0.1', port as number)) {
        waitWritable(client);
        err = native.socketError(client);
      }
    } catch (e) {
      assert.ok(native.isSystemError(e, 'ECONNREFUSED'));
      err = 111;
    }
    assert.equal(err, 111);
  } finally {
    native.close(client);
  }
});

test('SO_LINGER 0 makes close() reset the connection', () => {
  const listener = native.listenTcp('127.0.0.1', 0);
  const { port } = native.getsockname(listener);
  const client = native.socketTcp();
  try {
    if (!native.connect(client, '127.0.0.1', port as number)) waitWritable(client);
    const server = native.accept(listener);
    native.setLinger(server, true, 0);
    native.close(server);
    const ep = native.epollCreate();
    native.epollAdd(ep, client, native.EPOLLIN);
    native.epollWait(ep, 2000);
    native.close(ep);
    assert.throws(() => native.recv(client, Buffer.alloc(4)), (e: unknown) => native.isSystemError(e, 'ECONNRESET'));
  } finally {
    native.close(client);
    native.close(listener);
  }
});

test('send to a closed peer is an EPIPE error (MSG_NOSIGNAL: no SIGPIPE even where it is not ignored) (child process)', () => {
  const script = `
    const n = require(${JSON.stringify(require.resolve('../../native'))});
    const [a, b] = n.socketpair();
    n.close(b);
    try { n.send(a, Buffer.from('x')); process.stdout.write('sent'); }
    catch (e) { process.stdout.write(e.code); }
  `;
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf8' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.stdout, 'EPIPE', r.stderr);
});
