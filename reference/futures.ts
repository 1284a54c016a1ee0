/**
 * asyncio.Future for the reference loop.
 *
 * run_forever() blocks the JavaScript thread (as asyncio's blocks its
 * thread), so native Promises, which need Node's own event loop, cannot be
 * awaited inside the loop. Coroutines are generator functions instead: they
 * `yield` a Future (or write `const x = yield* future`, the reference's
 * `await future`) and the Task driving them resumes them with its result.
 * Doc: https://docs.python.org/3/library/asyncio-future.html#asyncio.Future
 */
import { CancelledError, InvalidStateError } from './errors';
import type { Handle } from './events';

/** What a Future needs from its loop. */
export interface FutureLoop {
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callExceptionHandler(context: { message: string; exception?: unknown }): void;
}

/** A coroutine of the reference loop: a generator yielding futures, returning T. */
export type Coroutine<T> = Generator<Future<unknown> | null | undefined, T, unknown>;

type State = 'PENDING' | 'CANCELLED' | 'FINISHED';

/** An eventual result (asyncio.Future): done callbacks are scheduled with call_soon. */
export class Future<T = unknown> {
  protected state: State = 'PENDING';
  private resultValue: T | undefined;
  private exceptionValue: unknown = undefined;
  private hasException = false;
  private cancelMessage: string | undefined;
  private callbacks: Array<(future: Future<T>) => unknown> = [];

  constructor(readonly loop: FutureLoop) {}

  /** Return the loop the Future is bound to. */
  getLoop(): FutureLoop {
    return this.loop;
  }

  /** Cancel the Future and schedule callbacks; false if it is already done. */
  cancel(msg?: string): boolean {
    if (this.state !== 'PENDING') return false;
    this.state = 'CANCELLED';
    this.cancelMessage = msg;
    this.scheduleCallbacks();
    return true;
  }

  /** Return True if the Future was cancelled. */
  cancelled(): boolean {
    return this.state === 'CANCELLED';
  }

  /** Return True if the Future is done (result, exception or cancelled). */
  done(): boolean {
    return this.state !== 'PENDING';
  }

  /** Return the result; raise the exception, CancelledError, or InvalidStateError if not done. */
  result(): T {
    if (this.state === 'CANCELLED') throw this.makeCancelledError();
    if (this.state !== 'FINISHED') throw new InvalidStateError('Result is not ready.');
    if (this.hasException) throw this.exceptionValue;
    return this.resultValue as T;
  }

  /** Return the exception set on the Future, or null. */
  exception(): unknown {
    if (this.state === 'CANCELLED') throw this.makeCancelledError();
    if (this.state !== 'FINISHED') throw new InvalidStateError('Exception is not set.');
    return this.hasException ? this.exceptionValue : null;
  }

  /** Add a callback to run (via call_soon) when the Future is done. */
  addDoneCallback(fn: (future: Future<T>) => unknown): void {
    if (this.state !== 'PENDING') this.loop.callSoon(fn, this);
    else this.callbacks.push(fn);
  }

  /** Remove a done callback; returns how many were removed. */
  removeDoneCallback(fn: (future: Future<T>) => unknown): number {
    const before = this.callbacks.length;
    this.callbacks = this.callbacks.filter((cb) => cb !== fn);
    return before - this.callbacks.length;
  }

  /** Mark the Future done and set its result. */
  setResult(result: T): void {
    if (this.state !== 'PENDING') throw new InvalidStateError(`${this.state}: ${String(this)}`);
    this.resultValue = result;
    this.state = 'FINISHED';
    this.scheduleCallbacks();
  }

  /** Mark the Future done and set an exception. */
  setException(exception: unknown): void {
    if (this.state !== 'PENDING') throw new InvalidStateError(`${this.state}: ${String(this)}`);
    this.exceptionValue = exception;
    this.hasException = true;
    this.state = 'FINISHED';
    this.scheduleCallbacks();
  }

  /** `yield* future` inside a coroutine is the reference's `await future`. */
  *[Symbol.iterator](): Generator<Future<unknown>, T, unknown> {
    if (!this.done()) yield this as Future<unknown>;
    return this.result();
  }

  protected makeCancelledError(): CancelledError {
    return new CancelledError(this.cancelMessage ?? '');
  }

  private scheduleCallbacks(): void {
    const callbacks = this.callbacks;
    this.callbacks = [];
    for (const cb of callbacks) this.loop.callSoon(cb, this);
  }

  toString(): string {
    return `<${this.constructor.name} ${this.state.toLowerCase()}>`;
  }
}

/** True for a generator object (a coroutine of the reference loop). */
export function isCoroutine(value: unknown): value is Coroutine<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Generator).next === 'function' &&
    typeof (value as Generator).throw === 'function'
  );
}
