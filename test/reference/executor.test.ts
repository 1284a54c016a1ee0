// reference/executor.ts: the thread pool on worker_threads, and the loop's executor methods.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { afterEach, test } from 'node:test';
import * as native from '../../native';
import { NotImplementedError, PyTypeError, RuntimeError, ValueError } from '../../reference/errors';
import { poolThreads, ProcessPoolExecutor, ThreadPoolExecutor, Work, WorkFunction } from '../../reference/executor';
import { UnixSelectorEventLoop } from '../../reference/unix_events';

/** A function run_in_executor can run on a worker: its work, and a log of when it started. */
function fn(work: Work, started: Array<[string, number, unknown[]]> = []): WorkFunction {
  const f = (() => assert.fail('a work function is never called on the loop thread')) as unknown as WorkFunction;
  Object.defineProperty(f, 'work', { value: work });
  Object.defineProperty(f, 'workStarted', { value: (time: number, args: unknown[]) => started.push([work.name, time, args]) });
  return f;
}

const returns = (name: string, value: unknown, blockS = 0): Work => ({ name, actions: [{ do: 'block', seconds: blockS }, { do: 'return', value }] });

function withLoop<T>(body: (loop: UnixSelectorEventLoop) => T): T {
  const loop = new UnixSelectorEventLoop();
  try {
    return body(loop);
  } finally {
    loop.close();
  }
}

afterEach(async () => {
  // Every pool thread a test started is gone before the next test.
  for (const t of poolThreads()) assert.ok(await t.join(5), `pool thread ${t.name} did not end`);
});

test('run_in_executor: the work runs on a worker, its value is the Future result, its start is reported', () => {
  withLoop((loop) => {
    const started: Array<[string, number, unknown[]]> = [];
    const before = loop.time();
    const fut = loop.runInExecutor(null, fn(returns('A', 'done'), started), 2, 'x');
    assert.equal(fut.done(), false);
    assert.equal(loop.runUntilComplete(fut), 'done');
    assert.equal(started.length, 1);
    const [name, time, args] = started[0];
    assert.equal(name, 'A');
    assert.deepEqual(args, [2, 'x']);
    assert.ok(time >= before && time <= loop.time(), 'the start time is on the loop clock');
  });
});

test('run_in_executor: an exception named by the work becomes the Future exception, by class', () => {
  withLoop((loop) => {
    const fut = loop.runInExecutor(null, fn({ name: 'A', actions: [{ do: 'raise', exception: 'ValueError', args: ['bad'] }] }));
    assert.throws(() => loop.runUntilComplete(fut), (err: unknown) => err instanceof ValueError && err.message === 'bad');
  });
});

test('run_in_executor: a JavaScript function without work cannot run on another thread', () => {
  withLoop((loop) => {
    assert.throws(() => loop.runInExecutor(null, (() => 1) as WorkFunction), NotImplementedError);
  });
});

test('ThreadPoolExecutor(max_workers=1): work runs one at a time, in submission order', () => {
  withLoop((loop) => {
    const pool = new ThreadPoolExecutor(1);
    const started: Array<[string, number, unknown[]]> = [];
    const a = loop.runInExecutor(pool, fn(returns('A', 1, 0.2), started));
    const b = loop.runInExecutor(pool, fn(returns('B', 2), started));
    assert.equal(loop.runUntilComplete(b), 2);
    assert.equal(a.result(), 1);
    assert.deepEqual(started.map((s) => s[0]), ['A', 'B']);
    assert.ok(started[1][1] >= started[0][1] + 0.2 - 0.001, 'B started after A finished');
    pool.shutdown(true);
  });
});

test('ThreadPoolExecutor: the default max_workers is min(32, cpus + 4); no thread before work; max_workers > 0', () => {
  assert.equal(new ThreadPoolExecutor().maxWorkers, Math.min(32, os.cpus().length + 4));
  assert.throws(() => new ThreadPoolExecutor(0), ValueError);
  assert.throws(() => new ThreadPoolExecutor(1.5), PyTypeError);
  assert.equal(poolThreads().length, 0);
});

test('ThreadPoolExecutor.shutdown(wait=True) lets the queued work finish and waits for the threads; submit afterwards raises RuntimeError', () => {
  withLoop((loop) => {
    const pool = new ThreadPoolExecutor(1);
    const a = loop.runInExecutor(pool, fn(returns('A', 1, 0.1)));
    const b = loop.runInExecutor(pool, fn(returns('B', 2, 0.1)));
    const t0 = native.monotonic();
    pool.shutdown(true);
    assert.ok(native.monotonic() - t0 >= 0.2 - 0.005, 'shutdown(wait=True) waited for both');
    pool.collect();
    assert.equal(a.result(), 1);
    assert.equal(b.result(), 2);
    assert.throws(() => loop.runInExecutor(pool, fn(returns('C', 3))), RuntimeError);
  });
});

test('shutdown_default_executor waits for the running work without holding the loop, then refuses the default executor', () => {
  withLoop((loop) => {
    const a = loop.runInExecutor(null, fn(returns('A', 1, 0.2)));
    const t0 = loop.time();
    let ticks = 0;
    const tick = (): void => {
      ticks++;
      if (ticks < 1000) loop.callLater(0.01, tick);
    };
    loop.callSoon(tick);
    loop.runUntilComplete(loop.shutdownDefaultExecutor());
    assert.ok(loop.time() - t0 >= 0.2 - 0.005, 'it waited for the work');
    assert.ok(ticks > 5, `the loop kept running callbacks while it waited (${ticks})`);
    assert.equal(a.result(), 1);
    assert.throws(() => loop.runInExecutor(null, fn(returns('B', 2))), RuntimeError);
    // Another executor still works.
    const pool = new ThreadPoolExecutor(1);
    assert.equal(loop.runUntilComplete(loop.runInExecutor(pool, fn(returns('C', 3)))), 3);
    pool.shutdown(true);
  });
});

test('shutdown_default_executor with the default executor never used returns at once', () => {
  withLoop((loop) => {
    assert.equal(loop.runUntilComplete(loop.shutdownDefaultExecutor()), undefined);
    assert.throws(() => loop.runInExecutor(null, fn(returns('A', 1))), RuntimeError);
  });
});

test('close() shuts the default executor down without waiting for it', async () => {
  const loop = new UnixSelectorEventLoop();
  const pool = new ThreadPoolExecutor(1);
  loop.setDefaultExecutor(pool);
  loop.runInExecutor(null, fn(returns('A', 1, 0.3)));
  const t0 = native.monotonic();
  loop.close();
  assert.ok(native.monotonic() - t0 < 0.1, 'close() did not wait');
  assert.throws(() => pool.submit(returns('B', 2), null, () => undefined), RuntimeError);
  for (const t of poolThreads()) assert.ok(await t.join(5));
});

test('set_default_executor takes a ThreadPoolExecutor only (TypeError otherwise, as from 3.11)', () => {
  withLoop((loop) => {
    assert.throws(() => loop.setDefaultExecutor(new ProcessPoolExecutor()), PyTypeError);
    assert.throws(() => loop.setDefaultExecutor(null), PyTypeError);
    const pool = new ThreadPoolExecutor(1);
    loop.setDefaultExecutor(pool);
    assert.equal(loop.runUntilComplete(loop.runInExecutor(null, fn(returns('A', 'mine')))), 'mine');
    pool.shutdown(true);
  });
});

test('ProcessPoolExecutor runs nothing (the reference has no process pool)', () => {
  assert.throws(() => new ProcessPoolExecutor().submit(), NotImplementedError);
});
