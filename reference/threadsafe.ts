/**
 * The hand-off behind loop.call_soon_threadsafe() when the caller is another
 * thread.
 *
 * JavaScript threads (worker_threads) share no objects, so another thread
 * cannot append a Handle to the loop's ready queue as a Python thread does.
 * Instead the loop thread registers the Handle under a numeric token; the
 * other thread later pushes that token into a SharedArrayBuffer queue and
 * writes the loop's eventfd, which wakes a blocked epoll_wait. The loop
 * drains the queue after every poll and appends the handles, in push order,
 * to its ready queue.
 *
 * Shared layout (Int32Array): [LOCK, CLOSED, COUNT, token0, token1, ...].
 * Producers and the consumer take LOCK (a compare-and-swap spin lock that
 * sleeps with Atomics.wait). The eventfd is written while LOCK is held and
 * loop.close() takes LOCK before closing the eventfd, so a producer never
 * writes to a descriptor number the loop has already closed (and maybe reused).
 */
import { THREADSAFE_QUEUE_CAPACITY } from './constants';

const LOCK = 0;
const CLOSED = 1;
const COUNT = 2;
const HEADER = 3;

/** What another thread needs to call call_soon_threadsafe on a loop: structured-cloneable. */
export interface ThreadsafeTicket {
  /** The loop's shared queue. */
  buffer: SharedArrayBuffer;
  /** The loop's eventfd (written to wake the poll). */
  wakeupFd: number;
  /** The token of the Handle registered on the loop thread. */
  token: number;
}

/**
 * The producer side, run by any thread: pushes `token` and wakes the loop by
 * calling `wake(wakeupFd)` (the native eventfdWrite). Returns false, pushing
 * nothing, when the loop is closed. `onPushed` runs while the lock is held,
 * right after the token is queued (the driver records the thread's outcome
 * there, so it is known before the loop can run the callback).
 *
 * This function is self-contained (no imports, no closures): workers run
 * its source text, so it must stay plain JavaScript once types are stripped.
 */
// Coverage cannot see this function run: workers run a copy made from its source text, which
// V8 reports as an anonymous script of the worker's, not as this file.
/* c8 ignore start */
export function pushThreadsafeToken(
  buffer: SharedArrayBuffer,
  wakeupFd: number,
  token: number,
  wake: (fd: number) => void,
  onPushed?: () => void,
): boolean {
  const view = new Int32Array(buffer);
  for (;;) {
    while (Atomics.compareExchange(view, 0, 0, 1) !== 0) Atomics.wait(view, 0, 1, 5);
    let pushed = false;
    let closed = false;
    try {
      if (Atomics.load(view, 1) !== 0) {
        closed = true;
      } else {
        const count = Atomics.load(view, 2);
        if (count < view.length - 3) {
          Atomics.store(view, 3 + count, token);
          Atomics.store(view, 2, count + 1);
          pushed = true;
          if (onPushed) onPushed();
          wake(wakeupFd);
        }
      }
    } finally {
      Atomics.store(view, 0, 0);
      Atomics.notify(view, 0, 1);
    }
    if (closed) return false;
    if (pushed) return true;
    // Full: give the loop a moment to drain it.
    Atomics.wait(view, 0, 0, 1);
  }
}
/* c8 ignore stop */

/** The loop side: a registry of handles by token and the shared queue they arrive through. */
export class ThreadsafeQueue<H> {
  readonly buffer = new SharedArrayBuffer((HEADER + THREADSAFE_QUEUE_CAPACITY) * 4);
  private readonly view = new Int32Array(this.buffer);
  private readonly pending = new Map<number, H>();
  private nextToken = 1;

  /** Registers `handle`; returns the token another thread will push. */
  register(handle: H): number {
    const token = this.nextToken++;
    if (this.nextToken > 0x7fffffff) this.nextToken = 1;
    this.pending.set(token, handle);
    return token;
  }

  /** True when a token waits in the shared queue (one atomic load). */
  hasTokens(): boolean {
    return Atomics.load(this.view, COUNT) > 0;
  }

  /** Takes the queued tokens in push order and returns their handles. */
  drain(): H[] {
    if (!this.hasTokens()) return [];
    const tokens: number[] = [];
    this.withLock(() => {
      const count = Atomics.load(this.view, COUNT);
      for (let i = 0; i < count; i++) tokens.push(Atomics.load(this.view, HEADER + i));
      Atomics.store(this.view, COUNT, 0);
    });
    const handles: H[] = [];
    for (const token of tokens) {
      const handle = this.pending.get(token);
      if (handle === undefined) continue;
      this.pending.delete(token);
      handles.push(handle);
    }
    return handles;
  }

  /**
   * Marks the queue closed (producers then get false) and runs `closeWakeup`
   * under the lock, so no producer is writing the eventfd while it closes.
   */
  close(closeWakeup: () => void): void {
    this.withLock(() => {
      Atomics.store(this.view, CLOSED, 1);
      Atomics.store(this.view, COUNT, 0);
      closeWakeup();
    });
    this.pending.clear();
  }

  /** Tokens registered and not yet delivered. */
  get registered(): number {
    return this.pending.size;
  }

  private withLock(fn: () => void): void {
    while (Atomics.compareExchange(this.view, LOCK, 0, 1) !== 0) Atomics.wait(this.view, LOCK, 1, 5);
    try {
      fn();
    } finally {
      Atomics.store(this.view, LOCK, 0);
      Atomics.notify(this.view, LOCK, 1);
    }
  }
}
