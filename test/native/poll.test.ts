// native/poll.cc: poll(2), PollSelector's system call.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as native from '../../native';

test('pollWait reports what each fd is ready for, in the order given, and only those', () => {
  const [a, b] = native.socketpair();
  try {
    // Nothing to read anywhere; both ends can be written.
    assert.deepEqual(native.pollWait([[a, native.POLLIN], [b, native.POLLIN]], 0), []);
    assert.deepEqual(native.pollWait([[b, native.POLLOUT], [a, native.POLLIN | native.POLLOUT]], 0), [[b, native.POLLOUT], [a, native.POLLOUT]]);
    native.send(b, Buffer.from('!'));
    assert.deepEqual(native.pollWait([[a, native.POLLIN], [b, native.POLLIN]], 0), [[a, native.POLLIN]]);
  } finally {
    native.close(a);
    native.close(b);
  }
});

test('a hang-up is reported whatever was asked, and a closed fd as POLLNVAL, not as an error', () => {
  const [a, b] = native.socketpair();
  native.close(b);
  try {
    const [[fd, revents]] = native.pollWait([[a, native.POLLOUT]], 0);
    assert.equal(fd, a);
    assert.ok(revents & native.POLLHUP, `revents ${revents}`);
  } finally {
    native.close(a);
  }
  assert.deepEqual(native.pollWait([[a, native.POLLIN]], 0), [[a, native.POLLNVAL]]);
});

test('pollWait blocks for its timeout, with or without fds', () => {
  const efd = native.eventfdCreate();
  try {
    for (const fds of [[], [[efd, native.POLLIN]]] as Array<Array<[number, number]>>) {
      const t0 = native.monotonic();
      assert.deepEqual(native.pollWait(fds, 50), []);
      const elapsed = native.monotonic() - t0;
      assert.ok(elapsed >= 0.045 && elapsed < 1, `waited ${elapsed}s`);
    }
  } finally {
    native.close(efd);
  }
});

test('TypeScript refuses a negative fd, an event mask over 16 bits and a timeout past 2^31-1 ms', () => {
  assert.throws(() => native.pollWait([[-1, native.POLLIN]], 0), TypeError);
  assert.throws(() => native.pollWait([[0, 0x10000]], 0), TypeError);
  assert.throws(() => native.pollWait([], 30 * 24 * 3600 * 1000), TypeError);
});

test('more fds than RLIMIT_NOFILE is the kernel\'s EINVAL, raised as a SystemError (child process)', () => {
  const script = `
    const raw = require(${JSON.stringify(native.addonPath)});
    try { raw.pollWait(new Int32Array(2 * 200), 0); process.stdout.write('no error'); }
    catch (e) { process.stdout.write([e.code, e.errno, e.syscall].join(' ')); }
  `;
  const r = spawnSync('sh', ['-c', 'ulimit -n 64 && exec "$0" -e "$1"', process.execPath, script], { encoding: 'utf8' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.stdout, 'EINVAL 22 poll', r.stderr);
});

test('the raw addon rejects what is not a pairs array, or out of range, instead of crashing (child process)', () => {
  const script = `
    const raw = require(${JSON.stringify(native.addonPath)});
    let n = 0;
    for (const c of [() => raw.pollWait([0, 1], 0), () => raw.pollWait(new Int32Array(3), 0), () => raw.pollWait(new Int32Array([-1, 1]), 0),
                     () => raw.pollWait(new Int32Array([0, 0x10000]), 0), () => raw.pollWait(new Int32Array(0), 2 ** 40), () => raw.pollWait(new Int32Array(0))]) {
      try { c(); } catch (e) { n++; }
    }
    process.stdout.write(String(n));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.stdout, '6', r.stderr);
});
