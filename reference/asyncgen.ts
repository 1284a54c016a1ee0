/**
 * Asynchronous generators for the reference loop, with the hooks Python's
 * sys.set_asyncgen_hooks() gives a loop: the running loop learns of each generator when it is
 * first iterated, so that loop.shutdown_asyncgens() can close the ones still open.
 * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.shutdown_asyncgens
 *
 * JavaScript has async generators, but not on the reference loop's generator-based
 * coroutines; an AsyncGenerator here is what the driver builds from data: the values it
 * yields, and what to do when it is closed (its `finally`).
 */
import { Coroutine } from './futures';

/** What a running loop installs (sys.set_asyncgen_hooks(firstiter=...)). */
export interface AsyncgenHooks { firstiter(agen: AsyncGenerator): void }

let hooks: AsyncgenHooks | null = null;

/** sys.set_asyncgen_hooks(): returns the hooks that were installed, to restore them after. */
export function setAsyncgenHooks(next: AsyncgenHooks | null): AsyncgenHooks | null {
  const outer = hooks;
  hooks = next;
  return outer;
}

/** StopAsyncIteration's role: the generator is exhausted. */
export const EXHAUSTED = Symbol('StopAsyncIteration');

export class AsyncGenerator {
  private index = 0;
  private started = false;
  private closed = false;

  constructor(private readonly values: readonly unknown[], private readonly onClose: () => void) {}

  /** `await agen.__anext__()`: the next value; the first iteration calls the firstiter hook. */
  // eslint-disable-next-line require-yield
  *anext(): Coroutine<unknown> {
    if (!this.started) {
      this.started = true;
      hooks?.firstiter(this);
    }
    if (this.closed || this.index >= this.values.length) {
      this.close();
      return EXHAUSTED;
    }
    return this.values[this.index++];
  }

  /** `await agen.aclose()`: runs the generator's finally once. */
  // eslint-disable-next-line require-yield
  *aclose(): Coroutine<void> {
    this.close();
  }

  isClosed(): boolean {
    return this.closed;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.started) this.onClose();
  }
}
