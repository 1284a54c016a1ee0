/**
 * Callback handles (asyncio.events.Handle and TimerHandle).
 * Doc: https://docs.python.org/3/library/asyncio-eventloop.html#callback-handles
 */
import { Context, currentVars, runInCopyOf } from './contextvars';

/** What a handle needs from its loop. */
export interface HandleLoop {
  /** Called when a scheduled timer is cancelled (the loop counts them to purge its heap). */
  timerHandleCancelled(handle: TimerHandle): void;
  /** Reports an exception raised by a callback (loop.call_exception_handler). */
  callExceptionHandler(context: { message: string; exception?: unknown; handle?: Handle }): void;
}

/** A callback with its positional arguments, as Handle stores it. */
export type AnyCallback = (...args: never[]) => unknown;

/**
 * "A callback wrapper object returned by loop.call_soon(), loop.call_soon_threadsafe()."
 * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Handle
 */
export class Handle {
  protected cancelledFlag = false;
  private callback: AnyCallback | null;
  private args: readonly unknown[] | null;
  /** The context the callback runs in: the one given, or a copy of the current one (below). */
  private context: Context | null;
  private readonly vars: ReturnType<typeof currentVars>;

  /**
   * "An optional keyword-only context argument allows specifying a custom contextvars.Context
   * for the callback to run in. The current context is used when no context is provided."
   * (loop.call_soon) Without one, the handle keeps the current context's mapping and runs the
   * callback in a copy of it (a Context of its own, as copy_context() makes in CPython).
   */
  constructor(callback: AnyCallback, args: readonly unknown[], protected readonly loop: HandleLoop, context: Context | null = null) {
    this.callback = callback;
    this.args = args;
    this.context = context;
    this.vars = currentVars();
  }

  /**
   * "Cancel the callback. If the callback has already been canceled or executed, this method has no effect."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Handle.cancel
   */
  cancel(): void {
    if (this.cancelledFlag) return;
    this.cancelledFlag = true;
    // Drop the references so a cancelled callback can be collected at once.
    this.callback = null;
    this.args = null;
  }

  /**
   * "Return True if the callback was cancelled."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Handle.cancelled
   */
  cancelled(): boolean {
    return this.cancelledFlag;
  }

  /**
   * "Return the contextvars.Context object associated with the handle." (3.12) Without one
   * given, the copy of the current context made at scheduling is materialised now, and the
   * callback then runs in this very object.
   */
  getContext(): Context {
    if (this.context === null) this.context = new Context(this.vars);
    return this.context;
  }

  /** Runs the callback; an exception goes to the loop's exception handler, never out of the loop. */
  run(): void {
    const callback = this.callback;
    if (callback === null) return;
    try {
      if (this.context !== null) this.context.run(callback as (...args: unknown[]) => unknown, ...(this.args ?? []));
      else runInCopyOf(this.vars, callback as (...args: unknown[]) => unknown, this.args ?? []);
    } catch (exception) {
      this.loop.callExceptionHandler({ message: `Exception in callback ${describeCallback(callback)}`, exception, handle: this });
    }
  }

  toString(): string {
    const state = this.cancelledFlag ? 'cancelled' : describeCallback(this.callback);
    return `<${this.constructor.name} ${state}>`;
  }
}

let timerSequence = 0;

/**
 * "A callback wrapper object returned by loop.call_later(), and loop.call_at()."
 * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.TimerHandle
 */
export class TimerHandle extends Handle {
  /** True while the handle is in the loop's timer heap. */
  scheduled = false;
  /**
   * Tie-breaker for timers due at the same time: scheduling order. The doc
   * leaves that order undefined ("If two callbacks are scheduled for exactly
   * the same time, the order in which they are called is undefined"); the
   * reference pins FIFO so its own runs are reproducible.
   */
  readonly sequence = timerSequence++;
  private readonly whenValue: number;

  constructor(when: number, callback: AnyCallback, args: readonly unknown[], loop: HandleLoop, context: Context | null = null) {
    super(callback, args, loop, context);
    this.whenValue = when;
  }

  /**
   * "Return a scheduled callback time as float seconds. The time is an absolute
   * timestamp, using the same time reference as loop.time()."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.TimerHandle.when
   */
  when(): number {
    return this.whenValue;
  }

  /** Handle.cancel(), and tells the loop so it can purge its timer heap. */
  override cancel(): void {
    if (!this.cancelledFlag) this.loop.timerHandleCancelled(this);
    super.cancel();
  }

  /** Timer heap order: earlier `when` first, then scheduling order. */
  static before(a: TimerHandle, b: TimerHandle): boolean {
    return a.whenValue < b.whenValue || (a.whenValue === b.whenValue && a.sequence < b.sequence);
  }
}

function describeCallback(callback: AnyCallback | null): string {
  if (callback === null) return '<none>';
  return callback.name ? `${callback.name}()` : '<anonymous>()';
}
