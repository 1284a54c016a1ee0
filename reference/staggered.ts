/**
 * Staggered starts (CPython's asyncio.staggered.staggered_race), the engine of Happy Eyeballs
 * in create_connection(happy_eyeballs_delay=...): "Run coroutines with staggered start times
 * and take the first to finish." The first attempt starts at once; the next one when the one
 * before it failed or `delay` seconds have passed, whichever comes first; the first to succeed
 * wins and every other one is cancelled.
 * RFC 8305: https://datatracker.ietf.org/doc/html/rfc8305
 */
import { isExitRequest } from './errors';
import type { Coroutine, Future } from './futures';
import type { Task } from './tasks';

/** What the race needs of its loop. */
export interface RaceLoop {
  createFuture<T>(): Future<T>;
  createTask<T>(coro: Coroutine<T>): Task<T>;
  callLater(delay: number, callback: () => void): { cancel(): void };
}

/** The race's outcome: the winner's result and index (null: nobody won), and each started attempt's exception (null for the winner). */
export interface RaceOutcome<T> {
  winnerResult: T | null;
  winnerIndex: number | null;
  exceptions: unknown[];
}

/**
 * Runs the attempts of `attempts` with starts staggered by `delay` seconds (null: one after
 * the other, each waiting for the failure of the one before). `discard` gets the result of an
 * attempt that succeeded after another had already won (two connections made in the same
 * iteration): CPython 3.12 asserts this never happens; here the extra one is handed back so
 * that its socket is closed.
 */
export function* staggeredRace<T>(loop: RaceLoop, attempts: Iterable<() => Coroutine<T>>, delay: number | null, discard: (result: T) => void = () => {}): Coroutine<RaceOutcome<T>> {
  const next = attempts[Symbol.iterator]();
  const outcome: RaceOutcome<T> = { winnerResult: null, winnerIndex: null, exceptions: [] };
  const running: Array<Task<void>> = [];

  function* runOne(previousFailed: Future<void> | null): Coroutine<void> {
    if (previousFailed !== null) yield* failedOrElapsed(loop, previousFailed, delay);
    const step = next.next();
    if (step.done) return;
    const index = outcome.exceptions.length;
    const thisFailed = loop.createFuture<void>();
    running.push(loop.createTask(runOne(thisFailed)));
    outcome.exceptions.push(null);
    let result: T;
    try {
      result = yield* step.value();
    } catch (exc) {
      // Any failure, a cancellation included, counts and starts the next attempt.
      if (isExitRequest(exc)) throw exc;
      outcome.exceptions[index] = exc;
      if (!thisFailed.done()) thisFailed.setResult(undefined);
      return;
    }
    if (outcome.winnerIndex !== null) {
      discard(result);
      return;
    }
    outcome.winnerIndex = index;
    outcome.winnerResult = result;
    // running[i] runs attempt i: all but the winner's own task are cancelled.
    running.forEach((task, i) => {
      if (i !== index) task.cancel();
    });
  }

  running.push(loop.createTask(runOne(null)));
  try {
    // Until every attempt started (more may start while waiting) has finished.
    for (;;) {
      const pending = running.filter((task) => !task.done());
      if (pending.length === 0) break;
      yield* allDone(loop, pending);
    }
    for (const task of running) if (!task.cancelled() && task.exception() !== null) throw task.exception();
    return outcome;
  } finally {
    for (const task of running) task.cancel();
  }
}

/** Waits until `failed` is done or `delay` seconds have passed (null: no limit). */
function* failedOrElapsed(loop: RaceLoop, failed: Future<void>, delay: number | null): Coroutine<void> {
  if (failed.done()) return;
  // A gate of this waiter's own: cancelling the waiter must not cancel the shared `failed`.
  const gate = loop.createFuture<void>();
  const open = (): void => {
    if (!gate.done()) gate.setResult(undefined);
  };
  failed.addDoneCallback(open);
  const timer = delay === null ? null : loop.callLater(delay, open);
  try {
    yield* gate;
  } finally {
    failed.removeDoneCallback(open);
    timer?.cancel();
  }
}

/** Waits until every one of `tasks` is done (asyncio.wait's ALL_COMPLETED). */
function* allDone(loop: RaceLoop, tasks: Array<Task<void>>): Coroutine<void> {
  const gate = loop.createFuture<void>();
  let left = tasks.length;
  const one = (): void => {
    if (--left === 0 && !gate.done()) gate.setResult(undefined);
  };
  for (const task of tasks) task.addDoneCallback(one);
  try {
    yield* gate;
  } finally {
    for (const task of tasks) task.removeDoneCallback(one);
  }
}
