// native/fd.cc and addon.cc: eventfd, files, dup, the per-environment
// state and its cleanup hook (checked in a worker_thread).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import * as native from '../../native';

test('eventfd counts writes and reads back 0 when empty', () => {
  const fd = native.eventfdCreate();
  try {
    assert.equal(native.eventfdRead(fd), 0);
    native.eventfdWrite(fd);
    native.eventfdWrite(fd);
    assert.equal(native.eventfdRead(fd), 2);
  } finally {
    native.close(fd);
  }
});

test('files: open read-only, size, pread at an offset, lseek', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-fd-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const p = path.join(dir, 'f.bin');
  fs.writeFileSync(p, 'hello world');
  const fd = native.openRead(p);
  try {
    assert.deepEqual(native.fstat(fd), { size: 11, isRegular: true });
    const buf = Buffer.alloc(5);
    assert.equal(native.pread(fd, buf, 0, 5, 6), 5);
    assert.equal(buf.toString(), 'world');
    assert.equal(native.lseek(fd, 0, native.SEEK_END), 11);
  } finally {
    native.close(fd);
  }
  assert.throws(() => native.openRead(p + '.missing'), (e: unknown) => native.isSystemError(e, 'ENOENT'));
});

test('openFds tracks what this environment opened until it is closed', () => {
  const before = native.openFds().length;
  const fd = native.eventfdCreate();
  assert.deepEqual(native.openFds().find((e) => e.fd === fd), { fd, kind: 'eventfd' });
  native.close(fd);
  assert.equal(native.openFds().length, before);
});

test('dup and dup2', () => {
  const [a, b] = native.socketpair();
  const c = native.dup(a);
  const d = native.eventfdCreate();
  try {
    native.send(c, Buffer.from('z'));
    const buf = Buffer.alloc(1);
    assert.equal(native.recv(b, buf), 1);
    native.dup2(a, d); // d now refers to the socket
    native.send(d, Buffer.from('y'));
    assert.equal(native.recv(b, buf), 1);
    assert.equal(buf.toString(), 'y');
  } finally {
    for (const fd of [a, b, c, d]) native.close(fd);
  }
});

function openFdCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

test('the addon loads in a worker_thread, and its cleanup hook closes what the worker left open', async () => {
  const before = openFdCount();
  const worker = new Worker(
    `const n = require(${JSON.stringify(native.addonPath)});
     const { parentPort } = require('worker_threads');
     const left = [n.eventfdCreate(), n.eventfdCreate(), ...n.socketpair()];
     parentPort.postMessage({ left, tracked: n.openFds().length });`,
    { eval: true, execArgv: [] },
  );
  const message = await new Promise<{ left: number[]; tracked: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  assert.equal(message.tracked, 4, 'the worker has its own state');
  await new Promise((resolve) => worker.once('exit', resolve));
  // A worker's own libuv descriptors close with it too; what matters is ours.
  for (const fd of message.left) {
    assert.throws(() => fs.fstatSync(fd), /EBADF/, `fd ${fd} still open after the worker exited`);
  }
  assert.ok(openFdCount() <= before + 1);
});
