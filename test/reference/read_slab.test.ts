// reference/read_slab.ts: every read is a view of its own bytes, never written over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as native from '../../native';
import { READ_SLAB_SIZE, SOCKET_READ_SIZE } from '../../reference/constants';
import { ReadSlab } from '../../reference/read_slab';

test('each recv gives the bytes received, which later reads leave alone, across slabs', () => {
  const [a, b] = native.socketpair();
  let writerOpen = true;
  try {
    const slab = new ReadSlab();
    const kept: Array<[Buffer, string]> = [];
    // Enough reads to fill a slab and start another one.
    const chunk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < 20; i++) {
      chunk.fill(65 + i);
      native.send(a, chunk, 0, chunk.length);
      const got = slab.recv(b);
      kept.push([got, chunk.toString('latin1', 0, got.length)]);
    }
    for (const [got, want] of kept) assert.equal(got.toString('latin1'), want);
    assert.ok(kept.every(([got]) => got.length <= SOCKET_READ_SIZE));
    assert.ok(new Set(kept.map(([got]) => got.buffer)).size >= 2, `20 reads of 64 KiB fill more than one ${READ_SLAB_SIZE}-byte slab`);
    native.close(a);
    writerOpen = false;
    assert.equal(slab.recv(b).length, 0, 'empty at the end of the stream');
  } finally {
    if (writerOpen) native.close(a);
    native.close(b);
  }
});

test('a failed recv throws the system call\'s error and leaves the slab as it was', () => {
  const [a, b] = native.socketpair();
  try {
    const slab = new ReadSlab();
    assert.throws(() => slab.recv(b), (e: unknown) => native.isSystemError(e, 'EAGAIN'));
    native.send(a, Buffer.from('x'), 0, 1);
    assert.equal(slab.recv(b).toString(), 'x');
  } finally {
    native.close(a);
    native.close(b);
  }
});
