// native/epoll.cc: the selector.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as native from '../../native';

test('epollWait reports a readable eventfd, and nothing once it is read', () => {
  const ep = native.epollCreate();
  const efd = native.eventfdCreate();
  try {
    native.epollAdd(ep, efd, native.EPOLLIN);
    assert.deepEqual(native.epollWait(ep, 0), []);
    native.eventfdWrite(efd);
    assert.deepEqual(native.epollWait(ep, 0), [[efd, native.EPOLLIN]]);
    assert.equal(native.eventfdRead(efd), 1);
    assert.deepEqual(native.epollWait(ep, 0), []);
  } finally {
    native.close(efd);
    native.close(ep);
  }
});

test('modify and delete change what is reported', () => {
  const ep = native.epollCreate();
  const [a, b] = native.socketpair();
  try {
    native.epollAdd(ep, a, native.EPOLLIN);
    assert.deepEqual(native.epollWait(ep, 0), []);
    native.epollModify(ep, a, native.EPOLLOUT);
    assert.deepEqual(native.epollWait(ep, 0), [[a, native.EPOLLOUT]]);
    native.epollDelete(ep, a);
    assert.deepEqual(native.epollWait(ep, 0), []);
    assert.throws(() => native.epollDelete(ep, a), (e: unknown) => native.isSystemError(e, 'ENOENT'));
  } finally {
    native.close(a);
    native.close(b);
    native.close(ep);
  }
});

test('epollWait blocks for its timeout', () => {
  const ep = native.epollCreate();
  try {
    const t0 = native.monotonic();
    native.epollWait(ep, 50);
    const elapsed = native.monotonic() - t0;
    assert.ok(elapsed >= 0.045 && elapsed < 1, `waited ${elapsed}s`);
  } finally {
    native.close(ep);
  }
});

test('a timeout past 2^31-1 ms (~24.8 days) is refused: callers clamp (bpo-34263)', () => {
  const ep = native.epollCreate();
  try {
    assert.throws(() => native.epollWait(ep, 30 * 24 * 3600 * 1000), TypeError);
  } finally {
    native.close(ep);
  }
});

test('the raw addon rejects out-of-range values instead of crashing (child process)', () => {
  const script = `
    const raw = require(${JSON.stringify(native.addonPath)});
    const ep = raw.epollCreate();
    let n = 0;
    for (const c of [() => raw.epollWait(ep, 0, 0), () => raw.epollWait(ep, 2 ** 40, 1), () => raw.epollCtl(ep, 1, -1, 1)]) {
      try { c(); } catch (e) { n++; }
    }
    process.stdout.write(String(n));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.stdout, '3', r.stderr);
});

test('epollWaitInto writes (fd, events) pairs into the array it is given, at most maxEvents', () => {
  const ep = native.epollCreate();
  const [a, b] = native.socketpair();
  try {
    native.epollAdd(ep, a, native.EPOLLOUT);
    native.epollAdd(ep, b, native.EPOLLOUT);
    const out = new Int32Array(8).fill(-1);
    assert.equal(native.epollWaitInto(ep, 0, out, 1), 1);
    assert.ok([a, b].includes(out[0]) && out[1] === native.EPOLLOUT);
    assert.deepEqual([...out.subarray(2)], [-1, -1, -1, -1, -1, -1], 'nothing past maxEvents');
    assert.equal(native.epollWaitInto(ep, 0, out, 4), 2);
    assert.throws(() => native.epollWaitInto(ep, 0, out, 5), TypeError, 'more events than the array holds');
  } finally {
    native.close(a);
    native.close(b);
    native.close(ep);
  }
});
