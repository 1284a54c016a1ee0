// reference/threadsafe.ts: the shared-memory hand-off of call_soon_threadsafe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pushThreadsafeToken, ThreadsafeQueue } from '../../reference/threadsafe';

test('tokens are drained in push order and map back to their handles', () => {
  const q = new ThreadsafeQueue<string>();
  const a = q.register('A');
  const b = q.register('B');
  const wakes: number[] = [];
  assert.equal(q.hasTokens(), false);
  assert.equal(pushThreadsafeToken(q.buffer, 5, b, (fd) => wakes.push(fd)), true);
  assert.equal(pushThreadsafeToken(q.buffer, 5, a, (fd) => wakes.push(fd)), true);
  assert.deepEqual(wakes, [5, 5]);
  assert.equal(q.hasTokens(), true);
  assert.deepEqual(q.drain(), ['B', 'A']);
  assert.deepEqual(q.drain(), []);
  assert.equal(q.registered, 0);
});

test('after close a push fails and does not wake anything', () => {
  const q = new ThreadsafeQueue<string>();
  const token = q.register('A');
  let closedWakeup = false;
  q.close(() => {
    closedWakeup = true;
  });
  assert.ok(closedWakeup);
  assert.equal(pushThreadsafeToken(q.buffer, 5, token, () => assert.fail('woke a closed loop')), false);
});

test('pushThreadsafeToken is self-contained (workers run its source text)', () => {
  const rebuilt = new Function(`return (${pushThreadsafeToken.toString()});`)() as typeof pushThreadsafeToken;
  const q = new ThreadsafeQueue<string>();
  const token = q.register('A');
  assert.equal(rebuilt(q.buffer, 1, token, () => undefined), true);
  assert.deepEqual(q.drain(), ['A']);
});
