// native/select.cc: select(2), SelectSelector's system call, and its FD_SETSIZE limit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as native from '../../native';

test('selectWait reports the readable and the writable fds, in the order given', () => {
  const [a, b] = native.socketpair();
  try {
    assert.deepEqual(native.selectWait([a, b], [], 0), [[], []]);
    assert.deepEqual(native.selectWait([a], [b, a], 0), [[], [b, a]]);
    native.send(b, Buffer.from('!'));
    assert.deepEqual(native.selectWait([b, a], [], 0), [[a], []]);
    // An fd given twice comes back once.
    assert.deepEqual(native.selectWait([a, a], [], 0), [[a], []]);
  } finally {
    native.close(a);
    native.close(b);
  }
});

test('selectWait blocks for its timeout, in microseconds', () => {
  const efd = native.eventfdCreate();
  try {
    const t0 = native.monotonic();
    assert.deepEqual(native.selectWait([efd], [], 50_000), [[], []]);
    const elapsed = native.monotonic() - t0;
    assert.ok(elapsed >= 0.045 && elapsed < 1, `waited ${elapsed}s`);
  } finally {
    native.close(efd);
  }
});

test('a closed fd in a set is the kernel\'s EBADF, raised as a SystemError', () => {
  const efd = native.eventfdCreate();
  native.close(efd);
  assert.throws(() => native.selectWait([efd], [], 0), (e: unknown) => native.isSystemError(e, 'EBADF') && e.syscall === 'select' && e.errno === 9);
});

test('FD_SETSIZE bounds the fds: TypeScript refuses FD_SETSIZE and over, and a timeout past 2^31-1 ms', () => {
  assert.equal(native.FD_SETSIZE, 1024);
  assert.throws(() => native.selectWait([native.FD_SETSIZE], [], 0), TypeError);
  assert.throws(() => native.selectWait([], [-1], 0), TypeError);
  assert.throws(() => native.selectWait([], [], 30 * 24 * 3600 * 1000 * 1000), TypeError);
});

test('the raw addon refuses an fd outside [0, FD_SETSIZE) itself: no write past the fd_set (child process)', () => {
  const script = `
    const raw = require(${JSON.stringify(native.addonPath)});
    let n = 0;
    for (const c of [() => raw.selectWait(new Int32Array([1024]), new Int32Array(0), 0), () => raw.selectWait(new Int32Array(0), new Int32Array([1 << 30]), 0),
                     () => raw.selectWait(new Int32Array([-1]), new Int32Array(0), 0), () => raw.selectWait([0], new Int32Array(0), 0),
                     () => raw.selectWait(new Int32Array(0), new Int32Array(0), 2 ** 60), () => raw.selectWait(new Int32Array(0), new Int32Array(0))]) {
      try { c(); } catch (e) { n++; }
    }
    process.stdout.write(String(n));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.stdout, '6', r.stderr);
});
