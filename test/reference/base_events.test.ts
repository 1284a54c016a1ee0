// reference/base_events.ts: scheduling, running and stopping, timers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_SELECT_TIMEOUT_S } from '../../reference/constants';
import { RuntimeError } from '../../reference/errors';
import { Socket } from '../../reference/socket';
import { UnixSelectorEventLoop } from '../../reference/unix_events';
import { pushFromWorker } from './helpers';

/** A loop that records every poll timeout. */
class ProbeLoop extends UnixSelectorEventLoop {
  readonly timeouts: Array<number | null> = [];
  protected override poll(timeoutS: number | null): void {
    this.timeouts.push(timeoutS);
    super.poll(timeoutS);
  }
}

function withLoop<T>(fn: (loop: ProbeLoop) => T): T {
  const loop = new ProbeLoop();
  try {
    return fn(loop);
  } finally {
    loop.close();
  }
}

test('call_soon: FIFO, exactly once, with the positional args', () => {
  withLoop((loop) => {
    const calls: unknown[][] = [];
    for (const name of ['A', 'B', 'C']) loop.callSoon((...args: unknown[]) => calls.push([name, ...args]), 1, 'x');
    loop.callSoon(() => loop.stop());
    loop.runForever();
    loop.callSoon(() => loop.stop());
    loop.runForever();
    assert.deepEqual(calls, [['A', 1, 'x'], ['B', 1, 'x'], ['C', 1, 'x']]);
  });
});

test('stop() before run_forever(): poll once with timeout 0, run what was scheduled and what I/O made ready', () => {
  withLoop((loop) => {
    const [writer, watched] = Socket.pair();
    const [, idle] = Socket.pair();
    try {
      const calls: string[] = [];
      writer.send(Buffer.from('!'));
      loop.addReader(watched, () => calls.push('reader'));
      loop.addReader(idle, () => calls.push('idle reader'));
      loop.callSoon(() => {
        calls.push('A');
        loop.callSoon(() => calls.push('scheduled by A'));
      });
      loop.stop();
      loop.runForever();
      assert.deepEqual(calls, ['A', 'reader']);
      assert.deepEqual(loop.timeouts, [0]);
      loop.removeReader(watched);
      loop.removeReader(idle);
    } finally {
      writer.close();
      watched.close();
    }
  });
});

test('stop() while running: the batch finishes; what it scheduled runs on the next run', () => {
  withLoop((loop) => {
    const calls: string[] = [];
    loop.callSoon(() => {
      calls.push('A');
      loop.stop();
      loop.callSoon(() => calls.push('C'));
    });
    loop.callSoon(() => calls.push('B'));
    loop.runForever();
    assert.deepEqual(calls, ['A', 'B']);
    loop.callSoon(() => loop.stop());
    loop.runForever();
    assert.deepEqual(calls, ['A', 'B', 'C']);
  });
});

test('a closed loop refuses call_soon, call_later, call_at and call_soon_threadsafe', () => {
  const loop = new ProbeLoop();
  loop.close();
  loop.close(); // idempotent
  for (const schedule of [
    () => loop.callSoon(() => undefined),
    () => loop.callLater(1, () => undefined),
    () => loop.callAt(1, () => undefined),
    () => loop.callSoonThreadsafe(() => undefined),
    () => loop.runForever(),
  ]) {
    assert.throws(schedule, (e: unknown) => e instanceof RuntimeError && e.message === 'Event loop is closed');
  }
});

test('timers run in due order; cancelled ones never run; when() is absolute', () => {
  withLoop((loop) => {
    const calls: string[] = [];
    const t0 = loop.time();
    loop.callLater(0.03, () => {
      calls.push('late');
      loop.stop();
    });
    const cancelled = loop.callLater(0.01, () => calls.push('cancelled'));
    loop.callLater(0.02, () => calls.push('early'));
    const at = loop.callAt(t0 + 0.005, () => calls.push('at'));
    assert.ok(Math.abs(at.when() - (t0 + 0.005)) < 1e-9);
    cancelled.cancel();
    assert.equal(cancelled.cancelled(), true);
    loop.runForever();
    assert.deepEqual(calls, ['at', 'early', 'late']);
    assert.ok(loop.time() - t0 >= 0.03);
  });
});

test('many cancelled timers are purged from the heap', () => {
  withLoop((loop) => {
    const timers = Array.from({ length: 300 }, (_, i) => loop.callLater(1000 + i, () => undefined));
    for (const t of timers.slice(0, 250)) t.cancel();
    loop.callSoon(() => loop.stop());
    loop.runForever();
    assert.equal(loop.debugCounters().scheduledTimers, 50);
  });
});

test('a 400-day timer polls at most one day at a time (bpo-34263) and a threadsafe call wakes the loop', async () => {
  const loop = new ProbeLoop();
  try {
    for (const days of [30, 60, 400]) loop.callLater(days * 86400, () => undefined);
    const { ticket } = loop.prepareThreadsafeCall(() => loop.stop());
    const pushed = pushFromWorker(ticket, 0.05);
    const t0 = loop.time();
    loop.runForever();
    assert.ok(loop.time() - t0 < 5, 'woken by the other thread');
    assert.equal(loop.timeouts[0], MAX_SELECT_TIMEOUT_S);
    assert.equal(await pushed, true);
  } finally {
    loop.close();
  }
});

test('call_soon_threadsafe from another thread raises (push fails) once the loop is closed', async () => {
  const loop = new ProbeLoop();
  const { ticket } = loop.prepareThreadsafeCall(() => undefined);
  loop.close();
  assert.equal(await pushFromWorker(ticket, 0), false);
});

test('run_until_complete returns a coroutine\'s value and raises its exception', () => {
  withLoop((loop) => {
    function* answer(): Generator<never, number, unknown> {
      return 42;
    }
    assert.equal(loop.runUntilComplete(answer()), 42);
    function* fails(): Generator<never, number, unknown> {
      throw new RuntimeError('boom');
    }
    assert.throws(() => loop.runUntilComplete(fails()), /boom/);
    function* waits() {
      const fut = loop.createFuture<string>();
      loop.callLater(0.01, () => fut.setResult('later'));
      return yield* fut;
    }
    assert.equal(loop.runUntilComplete(waits()), 'later');
  });
});

test('run_forever inside a running loop raises RuntimeError', () => {
  withLoop((loop) => {
    let error: unknown;
    loop.callSoon(() => {
      try {
        loop.runForever();
      } catch (e) {
        error = e;
      }
      loop.stop();
    });
    loop.runForever();
    assert.ok(error instanceof RuntimeError && /already running/.test(error.message));
  });
});
