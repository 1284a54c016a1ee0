/**
 * concurrent.futures' executors for the reference loop: a ThreadPoolExecutor whose threads are
 * Node worker_threads, the loop's default executor (loop.run_in_executor(None, func)).
 * Doc: https://docs.python.org/3/library/concurrent.futures.html#threadpoolexecutor
 *
 * JavaScript threads share no objects, so a worker cannot call a function made on the loop's
 * thread. What a worker runs is data, a Work: the part of a callback spec a thread can do on
 * its own (block the thread, return a value, raise an exception named by its class). The
 * worker performs it, posts the outcome through a MessagePort and wakes the loop waiting for
 * it the way call_soon_threadsafe does from another thread (pushThreadsafeToken,
 * threadsafe.ts); on its own thread the loop reads the outcome (receiveMessageOnPort, which
 * needs no turn of Node's event loop: run_forever holds the thread) and resolves the asyncio
 * Future that run_in_executor returned.
 *
 * The pool behaves as CPython's: one FIFO of submitted work; a thread is started on submit
 * when no thread is idle and fewer than max_workers run; threads stay until shutdown();
 * shutdown lets the work already submitted finish. Its shared control block:
 *
 *   [SEQ, SUBMITTED, TAKEN, DONE, ALIVE, SHUTDOWN]   (Int32Array over a SharedArrayBuffer)
 *
 * Work number n (from 1) is posted to every thread's port before SUBMITTED becomes n, so a
 * thread that takes n (compare-and-swap on TAKEN) always finds it: each piece of work runs
 * exactly once, in the order of submission. SEQ changes on every submit and on shutdown; idle
 * threads wait on it (Atomics.wait), so none misses either.
 *
 * Not done: cancelling the Future does not withdraw work still queued (CPython's does).
 */
import * as os from 'os';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import * as native from '../native';
import * as errors from './errors';
import { AttributeError, NotImplementedError, PyTypeError, RuntimeError, ValueError } from './errors';
import type { Handle } from './events';
import type { Future } from './futures';
import { pushThreadsafeToken, ThreadsafeTicket } from './threadsafe';

/**
 * CPython's default max_workers since 3.8: min(32, os.cpu_count() + 4), "at least 5 workers
 * for I/O bound tasks" and at most 32 "to avoid consuming surprisingly large resource on
 * many core machine" (concurrent/futures/thread.py).
 */
const DEFAULT_MAX_WORKERS_CAP = 32;
const DEFAULT_MAX_WORKERS_EXTRA = 4;

/** How long an idle thread sleeps between looks at the control block (it is woken on change anyway). */
const IDLE_WAIT_MS = 1000;

/**
 * How many workers whose thread has ended are kept, booted, for the next threads. Starting a
 * Node worker takes tens of milliseconds (a new isolate), a parked one takes work at once; each
 * loop has a default executor of its own, so without them every new loop that looks up a name
 * or runs a function would start its threads afresh. As many as a default executor can have
 * on a small machine; more are ended.
 */
const SPARE_WORKERS_MAX = 8;

const SEQ = 0;
const SUBMITTED = 1;
const TAKEN = 2;
const DONE = 3;
const ALIVE = 4;
const SHUTDOWN = 5;
const CONTROL_SLOTS = 6;

/** One step of a Work, as a worker performs it (the callback spec actions a thread can do alone). */
export type WorkAction =
  | { do: 'block'; seconds: number }
  | { do: 'return'; value: unknown }
  | { do: 'raise'; exception: string; args: unknown[] }
  | { do: 'system_call'; name: SystemCall; args: unknown[] };

/**
 * The native calls a worker may make for the loop: those that block (a name lookup), which the
 * loop runs off its own thread as CPython runs socket.getaddrinfo in its default executor.
 */
export type SystemCall = 'getaddrinfo' | 'getnameinfo';

/**
 * What a function run in an executor does, as data a worker thread performs: its steps in
 * order; `return` sets the value returned, `raise` ends it with that exception. Values are
 * structured-cloned to the worker and back (plain values: null, booleans, numbers, strings, lists).
 */
export interface Work {
  name: string;
  actions: WorkAction[];
}

/**
 * A function run_in_executor() can run on a worker thread: any callable that carries its
 * `work`. `workStarted`, if there, is told on the loop's thread when and with which arguments a
 * worker called it (when its outcome arrives).
 */
export interface WorkFunction {
  (...args: unknown[]): unknown;
  readonly work?: Work;
  readonly workStarted?: (time: number, args: unknown[]) => void;
}

/** What a worker reports about one piece of work. `started` is on the loop's clock (native.monotonic). */
export type WorkOutcome =
  | { id: number; started: number; returned: unknown }
  | { id: number; started: number; raised: { exception: string; args: unknown[] } }
  | { id: number; started: number; systemError: { errno: number; strerror: string; syscall: string } }
  | { id: number; started: number | null; failed: string };

/** Called on the submitting thread with the outcome of a piece of work. */
export type WorkDone = (outcome: WorkOutcome) => void;

/** concurrent.futures.Executor: "An abstract class that provides methods to execute calls asynchronously." */
export abstract class Executor {
  /**
   * Schedules `work` and returns at once. When it has run, `done` gets the outcome on the
   * thread that reads it (collect()); `wake` is pushed right after the outcome is posted, so
   * a loop waiting in its poll comes to collect it.
   */
  abstract submit(work: Work, wake: ThreadsafeTicket | null, done: WorkDone): void;

  /** Reads the outcomes that have arrived and hands each to its `done`. */
  abstract collect(): void;

  /**
   * "Signal the executor that it should free any resources that it is using when the currently
   * pending futures are done executing. Calls to Executor.submit() ... made after shutdown will
   * raise RuntimeError. If wait is True then this method will not return until all the pending
   * futures are done executing and the resources associated with the executor have been freed."
   * https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.Executor.shutdown
   */
  abstract shutdown(wait?: boolean): void;

  /**
   * Arranges for `wake` to be pushed once every thread of the executor has ended (after
   * shutdown). Returns true, pushing nothing, when none is left already.
   */
  abstract notifyWhenJoined(wake: ThreadsafeTicket): boolean;
}

/** A thread of a pool, as the process sees it: for the driver's check that none outlives a scenario. */
export interface PoolThread {
  readonly name: string;
  readonly exited: boolean;
  /** Waits for the thread to end, at most `timeoutS` seconds; true if it ended. */
  join(timeoutS: number): Promise<boolean>;
  /** Stops a thread that would not end by itself. */
  terminate(): Promise<void>;
}

/** Every pool thread of the process that has not ended yet. */
const liveThreads = new Set<PoolThread>();

/** The pool threads still alive (their 'exit' not seen yet). */
export function poolThreads(): PoolThread[] {
  return [...liveThreads];
}

// A worker serves one thread of a pool at a time: it is handed the pool's control block and
// the thread's ports (a 'thread' message), runs until the pool shuts down, then says
// 'released' and waits, booted, to be handed the next thread (SPARE_WORKERS_MAX).
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData, receiveMessageOnPort } = require('worker_threads');
const [SEQ, SUBMITTED, TAKEN, DONE, ALIVE, SHUTDOWN] = [${SEQ}, ${SUBMITTED}, ${TAKEN}, ${DONE}, ${ALIVE}, ${SHUTDOWN}];
let native = null;
const push = (${pushThreadsafeToken.toString()});
let thread = null;          // the thread served now: {control, jobs, results}
let ctl = null;
let posted = new Map();     // work id -> {work, wake}
let exitWakes = [];
function read() {
  for (let m = receiveMessageOnPort(thread.jobs); m !== undefined; m = receiveMessageOnPort(thread.jobs)) {
    if (m.message.kind === 'work') posted.set(m.message.id, m.message);
    else exitWakes.push(m.message.wake);
  }
}
function wake(t) {
  if (t && native) push(t.buffer, t.wakeupFd, t.token, native.eventfdWrite);
}
function perform(id, work) {
  const started = native.monotonic();
  let returned = null;
  for (const a of work.actions) {
    if (a.do === 'block') {
      if (a.seconds > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, a.seconds * 1000);
    } else if (a.do === 'return') {
      returned = a.value;
    } else if (a.do === 'system_call') {
      try {
        returned = native[a.name](...a.args);
      } catch (err) {
        if (typeof err.errno !== 'number') throw err;
        return { id, started, systemError: { errno: err.errno, strerror: err.strerror, syscall: err.syscall } };
      }
    } else {
      return { id, started, raised: { exception: a.exception, args: a.args } };
    }
  }
  return { id, started, returned };
}
function serve() {
  try {
    for (;;) {
      const seq = Atomics.load(ctl, SEQ);
      const taken = Atomics.load(ctl, TAKEN);
      if (taken < Atomics.load(ctl, SUBMITTED)) {
        if (Atomics.compareExchange(ctl, TAKEN, taken, taken + 1) !== taken) continue;
        const id = taken + 1;
        read();
        const job = posted.get(id);
        for (const k of [...posted.keys()]) if (k <= id) posted.delete(k);
        let outcome;
        try {
          outcome = job ? perform(id, job.work) : { id, started: null, failed: 'work ' + id + ' never reached this thread' };
        } catch (err) {
          outcome = { id, started: null, failed: String(err && err.stack || err) };
        }
        thread.results.postMessage(outcome);
        Atomics.add(ctl, DONE, 1);
        wake(job && job.wake);
        continue;
      }
      if (Atomics.load(ctl, SHUTDOWN) !== 0) break;
      Atomics.wait(ctl, SEQ, seq, ${IDLE_WAIT_MS});
    }
  } finally {
    const left = Atomics.sub(ctl, ALIVE, 1) - 1;
    Atomics.notify(ctl, ALIVE);
    if (left === 0) {
      // The last thread out wakes whoever waits for the pool to be joined (shutdown_default_executor).
      read();
      for (const t of exitWakes) wake(t);
    }
  }
}
native = require(workerData.addonPath);
parentPort.on('message', (m) => {
  thread = m;
  ctl = new Int32Array(m.control);
  posted = new Map();
  exitWakes = [];
  serve();
  thread.jobs.close();
  thread.results.close();
  thread = null;
  parentPort.postMessage('released');
});
`;

/** Booted workers whose thread has ended, for the next threads (SPARE_WORKERS_MAX). */
const spareWorkers: Worker[] = [];

function newWorker(): Worker {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    stdout: false,
    stderr: false,
    workerData: { addonPath: native.addonPath },
  });
  worker.on('error', (err) => process.stderr.write(`executor thread failed: ${String(err)}\n`));
  worker.once('exit', () => {
    const at = spareWorkers.indexOf(worker);
    if (at >= 0) spareWorkers.splice(at, 1);
  });
  return worker;
}

/** A spare worker, or a new one. */
function takeWorker(): Worker {
  const worker = spareWorkers.pop() ?? newWorker();
  worker.ref();
  return worker;
}

/** Keeps a worker whose thread ended for the next thread; it keeps no process alive meanwhile. */
function parkWorker(worker: Worker): void {
  if (spareWorkers.length >= SPARE_WORKERS_MAX) {
    void worker.terminate();
    return;
  }
  worker.unref();
  spareWorkers.push(worker);
}

/**
 * One thread of a ThreadPoolExecutor: a worker, its work port and its outcome port. The thread
 * has ended when its worker says 'released' (the worker is then parked for a later thread) or
 * when the worker exits.
 */
class Thread implements PoolThread {
  readonly worker: Worker;
  /** Work and exit requests go to the worker through this port. */
  readonly jobs: MessagePort;
  /** Outcomes come back through this one (read with receiveMessageOnPort). */
  readonly results: MessagePort;
  exited = false;
  private readonly exit: Promise<void>;

  /**
   * `queued`: the work the thread may take first. It is in the thread's port before the worker
   * gets the port: a parked worker starts at once, and must find what it takes there.
   */
  constructor(readonly name: string, control: SharedArrayBuffer, queued: unknown[]) {
    const jobs = new MessageChannel();
    const results = new MessageChannel();
    this.jobs = jobs.port1;
    this.results = results.port1;
    this.worker = takeWorker();
    this.exit = new Promise((resolve) => {
      const ended = (released: boolean) => {
        this.worker.off('message', onMessage);
        this.worker.off('exit', onExit);
        this.exited = true;
        liveThreads.delete(this);
        if (released) parkWorker(this.worker);
        resolve();
      };
      const onMessage = (m: unknown) => { if (m === 'released') ended(true); };
      const onExit = () => ended(false);
      this.worker.on('message', onMessage);
      this.worker.once('exit', onExit);
    });
    for (const message of queued) this.jobs.postMessage(message);
    this.worker.postMessage({ control, jobs: jobs.port2, results: results.port2 }, [jobs.port2, results.port2]);
    // No port may keep the process alive: the loop reads them synchronously.
    this.jobs.unref();
    this.results.unref();
    liveThreads.add(this);
  }

  async join(timeoutS: number): Promise<boolean> {
    if (this.exited) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, timeoutS) * 1000);
    });
    await Promise.race([this.exit, timeout]);
    clearTimeout(timer);
    return this.exited;
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

let poolCounter = 0;

/**
 * "An Executor subclass that uses a pool of at most max_workers threads to execute calls
 * asynchronously." "If max_workers is None or not given, it will default to
 * min(32, os.cpu_count() + 4)."
 * https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.ThreadPoolExecutor
 */
export class ThreadPoolExecutor extends Executor {
  readonly maxWorkers: number;
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  private readonly threads: Thread[] = [];
  /** Work posted and maybe not taken yet: a thread started later is sent what is still queued. */
  private readonly queued = new Map<number, { kind: 'work'; id: number; work: Work; wake: ThreadsafeTicket | null }>();
  /** Who gets each outcome, by work id. */
  private readonly waiting = new Map<number, WorkDone>();
  private readonly prefix: string;
  private shutdownCalled = false;

  constructor(maxWorkers: number | null = null, threadNamePrefix = '') {
    super();
    if (maxWorkers === null || maxWorkers === undefined) {
      maxWorkers = Math.min(DEFAULT_MAX_WORKERS_CAP, os.cpus().length + DEFAULT_MAX_WORKERS_EXTRA);
    }
    if (typeof maxWorkers !== 'number' || !Number.isInteger(maxWorkers)) throw new PyTypeError('max_workers must be an int');
    if (maxWorkers <= 0) throw new ValueError('max_workers must be greater than 0');
    this.maxWorkers = maxWorkers;
    this.prefix = threadNamePrefix || `ThreadPoolExecutor-${poolCounter++}`;
  }

  submit(work: Work, wake: ThreadsafeTicket | null, done: WorkDone): void {
    if (this.shutdownCalled) throw new RuntimeError('cannot schedule new futures after shutdown');
    const ctl = this.control;
    const id = Atomics.load(ctl, SUBMITTED) + 1;
    const message = { kind: 'work' as const, id, work, wake };
    this.waiting.set(id, done);
    this.queued.set(id, message);
    for (const t of this.threads) if (!t.exited) t.jobs.postMessage(message);
    Atomics.store(ctl, SUBMITTED, id);
    this.signal();
    this.adjustThreadCount();
    const taken = Atomics.load(ctl, TAKEN);
    for (const k of [...this.queued.keys()]) if (k <= taken) this.queued.delete(k);
  }

  /** As CPython's _adjust_thread_count: a new thread only when none is idle and the pool is not full. */
  private adjustThreadCount(): void {
    const ctl = this.control;
    const alive = Atomics.load(ctl, ALIVE);
    const busy = Atomics.load(ctl, TAKEN) - Atomics.load(ctl, DONE);
    const queued = Atomics.load(ctl, SUBMITTED) - Atomics.load(ctl, TAKEN);
    if (queued <= alive - busy || this.threads.length >= this.maxWorkers) return;
    Atomics.add(ctl, ALIVE, 1);
    const taken = Atomics.load(ctl, TAKEN);
    const untaken = [...this.queued].filter(([id]) => id > taken).map(([, message]) => message);
    this.threads.push(new Thread(`${this.prefix}_${this.threads.length}`, ctl.buffer as SharedArrayBuffer, untaken));
  }

  collect(): void {
    for (const t of this.threads) {
      for (let m = receiveMessageOnPort(t.results); m !== undefined; m = receiveMessageOnPort(t.results)) {
        const outcome = m.message as WorkOutcome;
        const done = this.waiting.get(outcome.id);
        this.waiting.delete(outcome.id);
        if (done !== undefined) done(outcome);
      }
    }
  }

  shutdown(wait = true): void {
    const ctl = this.control;
    this.shutdownCalled = true;
    Atomics.store(ctl, SHUTDOWN, 1);
    this.signal();
    if (!wait) return;
    // Blocks this thread, as CPython's shutdown(wait=True) joins its threads.
    for (let alive = Atomics.load(ctl, ALIVE); alive > 0; alive = Atomics.load(ctl, ALIVE)) {
      Atomics.wait(ctl, ALIVE, alive);
    }
  }

  notifyWhenJoined(wake: ThreadsafeTicket): boolean {
    const ctl = this.control;
    if (Atomics.load(ctl, ALIVE) === 0) return true;
    for (const t of this.threads) if (!t.exited) t.jobs.postMessage({ kind: 'exit', wake });
    // A thread that left between the two loads took its last look before this message: the
    // count says so (threads decrement ALIVE before that look).
    return Atomics.load(ctl, ALIVE) === 0;
  }

  private signal(): void {
    Atomics.add(this.control, SEQ, 1);
    Atomics.notify(this.control, SEQ);
  }

  override toString(): string {
    return `<ThreadPoolExecutor max_workers=${this.maxWorkers}>`;
  }
}

/**
 * "An Executor subclass that uses a pool of processes to execute calls asynchronously."
 * https://docs.python.org/3/library/concurrent.futures.html#processpoolexecutor
 *
 * The reference has the class, so that set_default_executor() can refuse an executor that is
 * not a ThreadPoolExecutor as CPython does, but no process pool: it runs nothing.
 */
export class ProcessPoolExecutor extends Executor {
  constructor(readonly maxWorkers: number | null = null) {
    super();
  }

  submit(): void {
    throw new NotImplementedError('the reference loop has no process pool');
  }

  collect(): void {}

  shutdown(): void {}

  notifyWhenJoined(): boolean {
    return true;
  }
}

/** The concurrent.futures module, by the documented names: what the driver's `call` reaches. */
export const concurrentFutures = {
  ThreadPoolExecutor(maxWorkers: number | null = null): ThreadPoolExecutor {
    return new ThreadPoolExecutor(maxWorkers);
  },
  ProcessPoolExecutor(maxWorkers: number | null = null): ProcessPoolExecutor {
    return new ProcessPoolExecutor(maxWorkers);
  },
};

/** The exception a work raised, by its Python class name, as the loop's thread makes it. */
export function exceptionOf(raised: { exception: string; args: unknown[] }): unknown {
  const table = errors as unknown as Record<string, unknown>;
  const cls = table[raised.exception === 'TypeError' ? 'PyTypeError' : raised.exception];
  if (typeof cls === 'function' && (cls === errors.BaseException || cls.prototype instanceof errors.BaseException)) {
    return new (cls as new (...a: string[]) => Error)(...raised.args.map(String));
  }
  return new RuntimeError(`the work raised ${raised.exception}, a class the reference loop does not have`);
}

/** What runWork() needs from the loop that submits. */
export interface ExecutorLoop {
  createFuture<T = unknown>(): Future<T>;
  prepareThreadsafeCall<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): { handle: Handle; ticket: ThreadsafeTicket };
}

/**
 * Submits `func` to `executor` for `loop` and returns the asyncio Future of its outcome
 * (CPython's wrap_future(executor.submit(func, *args), loop=loop)). The worker wakes the loop
 * with a ticket registered for this work; on the loop's thread its handle collects the outcome,
 * tells `func.workStarted`, then sets the Future's result or exception (unless it was cancelled).
 */
export function runWork(loop: ExecutorLoop, executor: unknown, func: WorkFunction, args: unknown[]): Future<unknown> {
  if (!(executor instanceof Executor)) {
    throw new AttributeError(`'${executor === null ? 'NoneType' : typeof executor}' object has no attribute 'submit'`);
  }
  const work = typeof func === 'function' ? func.work : undefined;
  if (work === undefined) {
    throw new NotImplementedError('a JavaScript function cannot run on another thread: run_in_executor() takes a function that carries its work (reference/executor.ts)');
  }
  const future = loop.createFuture<unknown>();
  const { ticket } = loop.prepareThreadsafeCall(() => executor.collect());
  executor.submit(work, ticket, (outcome) => {
    if (outcome.started !== null) func.workStarted?.(outcome.started, args);
    if (future.cancelled()) return;
    if ('returned' in outcome) future.setResult(outcome.returned);
    else if ('raised' in outcome) future.setException(exceptionOf(outcome.raised));
    else if ('systemError' in outcome) future.setException(errors.fromSystemError(Object.assign(new Error(outcome.systemError.strerror), outcome.systemError)));
    else future.setException(new RuntimeError(`the executor's thread failed: ${outcome.failed}`));
  });
  return future;
}
