// reference/futures.ts and tasks.ts: generator coroutines stepped by Tasks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError, InvalidStateError, ValueError } from '../../reference/errors';
import { Coroutine } from '../../reference/futures';
import { UnixSelectorEventLoop } from '../../reference/unix_events';

test('done callbacks are scheduled with call_soon, not called at once', () => {
  const loop = new UnixSelectorEventLoop();
  try {
    const fut = loop.createFuture<number>();
    const seen: number[] = [];
    fut.addDoneCallback((f) => seen.push(f.result()));
    fut.setResult(3);
    assert.deepEqual(seen, []);
    assert.throws(() => fut.setResult(4), InvalidStateError);
    loop.callSoon(() => loop.stop());
    loop.runForever();
    assert.deepEqual(seen, [3]);
  } finally {
    loop.close();
  }
});

test('a task passes results and exceptions of awaited futures back into the coroutine', () => {
  const loop = new UnixSelectorEventLoop();
  try {
    function* child(): Coroutine<number> {
      const fut = loop.createFuture<number>();
      loop.callSoon(() => fut.setException(new ValueError('bad')));
      try {
        yield* fut;
      } catch (e) {
        assert.ok(e instanceof ValueError);
      }
      yield null; // a bare yield: sleep(0)
      return 7;
    }
    function* parent(): Coroutine<number> {
      const task = loop.createTask(child());
      return (yield* task) * 6;
    }
    assert.equal(loop.runUntilComplete(parent()), 42);
    assert.equal(loop.allTasks().length, 0);
  } finally {
    loop.close();
  }
});

test('cancelling a task throws CancelledError into it at its await', () => {
  const loop = new UnixSelectorEventLoop();
  try {
    let cleanedUp = false;
    function* forever(): Coroutine<void> {
      try {
        yield* loop.createFuture<void>();
      } finally {
        cleanedUp = true;
      }
    }
    const task = loop.createTask(forever());
    loop.callSoon(() => task.cancel());
    assert.throws(() => loop.runUntilComplete(task), CancelledError);
    assert.ok(task.cancelled());
    assert.ok(cleanedUp);
  } finally {
    loop.close();
  }
});
