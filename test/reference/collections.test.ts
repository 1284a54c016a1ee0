// reference/collections.ts: the ready deque and the timer heap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Deque, Heap } from '../../reference/collections';

test('the deque is FIFO across growth and wrap-around', () => {
  const d = new Deque<number>();
  const out: number[] = [];
  for (let i = 0; i < 100; i++) {
    d.push(i);
    if (i % 3 === 0) out.push(d.shift() as number);
  }
  while (d.length > 0) out.push(d.shift() as number);
  assert.deepEqual(out, Array.from({ length: 100 }, (_, i) => i));
  assert.equal(d.shift(), undefined);
});

test('the heap pops in order and filter() keeps it a heap', () => {
  const h = new Heap<number>((a, b) => a < b);
  const values = [5, 3, 9, 1, 7, 2, 8, 6, 4, 0];
  for (const v of values) h.push(v);
  h.filter((v) => v % 2 === 0);
  const out: number[] = [];
  while (h.length > 0) out.push(h.pop() as number);
  assert.deepEqual(out, [0, 2, 4, 6, 8]);
});
