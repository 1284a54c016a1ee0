/**
 * asyncio.Task for the reference loop: steps a generator coroutine, resuming
 * it with the result (or exception) of each Future it yields.
 * Doc: https://docs.python.org/3/library/asyncio-task.html#asyncio.Task
 */
import { BaseException, CancelledError, RuntimeError } from './errors';
import { Coroutine, Future, FutureLoop } from './futures';
import { Context, copyContext } from './contextvars';

/** What a Task needs from its loop. */
export interface TaskLoop extends FutureLoop {
  /** The loop keeps pending tasks so that shutdown can cancel them. */
  taskStarted(task: Task<unknown>): void;
  taskFinished(task: Task<unknown>): void;
}

let taskCounter = 0;

/** The task each loop is stepping right now (asyncio's _current_tasks). */
const currentTasks = new Map<TaskLoop, Task<unknown>>();

/**
 * asyncio.current_task(loop=None): "Return the currently running Task instance, or None if no
 * task is running."
 * https://docs.python.org/3/library/asyncio-task.html#asyncio.current_task
 */
export function currentTask(loop: TaskLoop): Task<unknown> | null {
  return currentTasks.get(loop) ?? null;
}

/** A Future that runs a coroutine. */
export class Task<T = unknown> extends Future<T> {
  private waiter: Future<unknown> | null = null;
  private mustCancel = false;
  private name: string;

  /**
   * "An optional keyword-only context argument allows specifying a custom contextvars.Context
   * for the coro to run in. The current context copy is created when no context is provided."
   * (loop.create_task, 3.11) Every step of the coroutine runs in it.
   */
  private readonly context: Context;

  constructor(private readonly coro: Coroutine<T>, readonly taskLoop: TaskLoop, name?: string | null, context: Context | null = null) {
    super(taskLoop);
    this.context = context ?? copyContext();
    this.name = name ?? `Task-${++taskCounter}`;
    taskLoop.taskStarted(this as Task<unknown>);
    taskLoop.callSoon(() => this.step());
  }

  /** Task.get_context(): "Return the contextvars.Context object associated with the task." (3.12) */
  getContext(): Context {
    return this.context;
  }

  getName(): string {
    return this.name;
  }

  setName(name: string): void {
    this.name = String(name);
  }

  /** Request cancellation: CancelledError is thrown into the coroutine at its next step. */
  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    if (this.waiter !== null && this.waiter.cancel(msg)) return true;
    this.mustCancel = true;
    return true;
  }

  override setResult(): void {
    throw new RuntimeError('Task does not support set_result operation');
  }

  override setException(): void {
    throw new RuntimeError('Task does not support set_exception operation');
  }

  /** One step: resume the coroutine with `value` or throw `error` into it. */
  private step(value?: unknown, error?: unknown, hasError = false): void {
    if (this.done()) return;
    if (this.mustCancel) {
      if (!(error instanceof CancelledError)) error = new CancelledError();
      hasError = true;
      this.mustCancel = false;
    }
    this.waiter = null;
    let next: IteratorResult<Future<unknown> | null | undefined, T>;
    try {
      currentTasks.set(this.taskLoop, this as Task<unknown>);
      try {
        next = this.context.run(() => (hasError ? this.coro.throw(error) : this.coro.next(value)));
      } finally {
        currentTasks.delete(this.taskLoop);
      }
    } catch (exc) {
      if (exc instanceof CancelledError) super.cancel(exc.message || undefined);
      else super.setException(exc);
      this.taskLoop.taskFinished(this as Task<unknown>);
      return;
    }
    if (next.done) {
      if (this.mustCancel) {
        this.mustCancel = false;
        super.cancel();
      } else {
        super.setResult(next.value);
      }
      this.taskLoop.taskFinished(this as Task<unknown>);
      return;
    }
    const yielded = next.value;
    if (yielded === null || yielded === undefined) {
      // A bare `yield` gives other callbacks a turn (asyncio.sleep(0)).
      this.loop.callSoon(() => this.step());
    } else if (yielded instanceof Future) {
      if (yielded === (this as Future<unknown>)) {
        this.loop.callSoon(() => this.step(undefined, new RuntimeError(`Task cannot await on itself: ${String(this)}`), true));
      } else if (yielded.getLoop() !== this.loop) {
        this.loop.callSoon(() => this.step(undefined, new RuntimeError(`Task ${String(this)} got Future ${String(yielded)} attached to a different loop`), true));
      } else {
        this.waiter = yielded;
        yielded.addDoneCallback((fut) => this.wakeup(fut));
        if (this.mustCancel && yielded.cancel()) this.mustCancel = false;
      }
    } else {
      this.loop.callSoon(() => this.step(undefined, new RuntimeError(`Task got bad yield: ${String(yielded)}`), true));
    }
  }

  private wakeup(fut: Future<unknown>): void {
    let value: unknown;
    try {
      value = fut.result();
    } catch (exc) {
      this.step(undefined, exc instanceof BaseException || exc instanceof Error ? exc : exc, true);
      return;
    }
    this.step(value);
  }

  override toString(): string {
    return `<Task ${this.done() ? 'done' : 'pending'} name='${this.name}'>`;
  }
}

/** What gather() needs of its loop. */
export interface GatherLoop {
  createTask<T>(coro: Coroutine<T>): Task<T>;
  createFuture<T>(): Future<T>;
}

/**
 * asyncio.gather(*coros) for the loop's own use: each coroutine in a Task, their results in
 * order once all are done. The first exception (in time) is raised and the others go on; if
 * the gathering coroutine is cancelled, so are they.
 * https://docs.python.org/3/library/asyncio-task.html#asyncio.gather
 */
export function* gather<T>(loop: GatherLoop, coros: Array<Coroutine<T>>): Coroutine<T[]> {
  const tasks = coros.map((coro) => loop.createTask(coro));
  if (tasks.length === 0) return [];
  const outer = loop.createFuture<T[]>();
  let left = tasks.length;
  const settle = (task: Future<T>): void => {
    if (outer.done()) return;
    if (task.cancelled()) outer.setException(new CancelledError());
    else if (task.exception() !== null) outer.setException(task.exception());
    else if (--left === 0) outer.setResult(tasks.map((t) => t.result()));
  };
  for (const task of tasks) task.addDoneCallback(settle);
  try {
    return yield* outer;
  } catch (exc) {
    if (outer.cancelled()) for (const task of tasks) task.cancel();
    throw exc;
  }
}
