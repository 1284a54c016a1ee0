/**
 * "Other threads" for the from_thread operation: a worker_thread that sleeps,
 * then calls call_soon_threadsafe on the loop through the reference's
 * shared-memory hand-off (reference/threadsafe.ts).
 *
 * The worker is plain JavaScript run from a string (eval), so it starts in
 * milliseconds without TypeScript: it loads only the native addon (which is
 * context-aware) and the source text of pushThreadsafeToken. The callback
 * spec stays on the main thread, in the Handle registered under the ticket's
 * token; the worker only hands the token over.
 */
import { Worker } from 'worker_threads';
import * as native from '../../native';
import { pushThreadsafeToken, ThreadsafeTicket } from '../../reference/threadsafe';

/** Outcome of a thread, as it writes it into shared memory. */
export enum ThreadState {
  RUNNING = 0,
  /** call_soon_threadsafe returned (the token is queued). */
  DONE = 1,
  /** call_soon_threadsafe raised RuntimeError('Event loop is closed'). */
  LOOP_CLOSED = 2,
  /** The worker itself failed (a driver bug); see `failure`. */
  FAILED = 3,
}

const WORKER_SOURCE = `
'use strict';
const { workerData } = require('worker_threads');
// status[0]: the outcome (ThreadState); status[1]: 1 once the scenario ended.
const status = new Int32Array(workerData.status);
(function run() {
  try {
    const native = require(workerData.addonPath);
    const push = (${pushThreadsafeToken.toString()});
    for (;;) {
      const left = workerData.deadline - native.monotonic();
      if (left <= 0) break;
      Atomics.wait(status, 1, 0, Math.max(1, Math.ceil(left * 1000)));
      if (Atomics.load(status, 1) !== 0) return; // the scenario ended first
    }
    const t = workerData.ticket;
    const ok = push(t.buffer, t.wakeupFd, t.token, native.eventfdWrite, () => Atomics.store(status, 0, 1));
    if (!ok) Atomics.store(status, 0, 2);
  } catch (err) {
    Atomics.store(status, 0, 3);
    throw err;
  }
})();
`;

/** One other thread. */
export class OtherThread {
  private readonly worker: Worker;
  private readonly status = new Int32Array(new SharedArrayBuffer(8));
  private exitedFlag = false;
  private readonly exitPromise: Promise<void>;
  /** The worker's own error, when state is FAILED. */
  failure: unknown = null;
  /** True once its outcome was reported (as an event or a response). */
  reported = false;

  constructor(readonly name: string, readonly handleId: string, ticket: ThreadsafeTicket, delayS: number, readonly wait: boolean) {
    const deadline = native.monotonic() + Math.max(0, delayS);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      name,
      stdout: false,
      stderr: false,
      workerData: { status: this.status.buffer, addonPath: native.addonPath, deadline, ticket },
    });
    this.worker.on('error', (err) => {
      this.failure = err;
    });
    this.exitPromise = new Promise((resolve) => {
      this.worker.on('exit', () => {
        this.exitedFlag = true;
        resolve();
      });
    });
  }

  /** The outcome so far (read from shared memory: known even while the main thread is blocked). */
  get state(): ThreadState {
    return Atomics.load(this.status, 0) as ThreadState;
  }

  get exited(): boolean {
    return this.exitedFlag;
  }

  /** Waits for the thread to end, at most `timeoutS` seconds; true if it ended. */
  async join(timeoutS: number | null = null): Promise<boolean> {
    if (this.exitedFlag) return true;
    if (timeoutS === null) {
      await this.exitPromise;
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutS * 1000);
    });
    await Promise.race([this.exitPromise, timeout]);
    if (timer !== undefined) clearTimeout(timer);
    return this.exitedFlag;
  }

  /** The scenario ended: a thread still sleeping returns without scheduling anything. */
  abandon(): void {
    Atomics.store(this.status, 1, 1);
    Atomics.notify(this.status, 1);
  }

  /** Stops a thread that would not end by itself. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}
