/**
 * The reference event loop: entry points (asyncio.new_event_loop and the
 * current-loop functions of asyncio.events).
 */
import { BaseEventLoop } from './base_events';
import { UnixSelectorEventLoop } from './unix_events';

export { BaseEventLoop } from './base_events';
import { getRunningLoop as runningLoopOf } from './base_events';
import { RuntimeError } from './errors';
import { Future } from './futures';
import { currentTask, Task } from './tasks';
export { UnixSelectorEventLoop } from './unix_events';
export { BaseSelectorEventLoop, SelectorSocketTransport } from './selector_events';
export { Handle, TimerHandle } from './events';
export { Future } from './futures';
export type { Coroutine } from './futures';
export { Task } from './tasks';
export { BinaryFile } from './fileio';
export { Socket } from './socket';
export { Protocol, BaseProtocol } from './protocols';
export { Resource } from './resources';
export * as errors from './errors';
export { logger } from './log';
export { pushThreadsafeToken } from './threadsafe';
export type { ThreadsafeTicket } from './threadsafe';

/** The Python name of the loop class, for the driver's handshake. */
export const LOOP_CLASS = 'loopspec.reference.UnixSelectorEventLoop';

/** asyncio.new_event_loop(). */
export function newEventLoop(): UnixSelectorEventLoop {
  return new UnixSelectorEventLoop();
}

let currentLoop: BaseEventLoop | null = null;

/** asyncio.set_event_loop(loop): the current loop of this thread. */
export function setEventLoop(loop: BaseEventLoop | null): void {
  currentLoop = loop;
}

/** asyncio.get_event_loop() without the implicit creation: the current loop or null. */
export function getCurrentLoop(): BaseEventLoop | null {
  return currentLoop;
}

/**
 * The asyncio module's documented functions, by their documented names in camelCase: what the
 * driver's `call` operation reaches with the target "asyncio".
 * https://docs.python.org/3/library/asyncio-eventloop.html#event-loop
 */
export const asyncio = {
  /** "Return the running event loop in the current OS thread. Raise a RuntimeError if there is no running event loop." */
  getRunningLoop(): BaseEventLoop {
    const loop = runningLoopOf();
    if (loop === null) throw new RuntimeError('no running event loop');
    return loop;
  },
  /** "Get the current event loop": the running loop, else the loop set with set_event_loop(). */
  getEventLoop(): BaseEventLoop {
    const loop = runningLoopOf() ?? currentLoop;
    if (loop === null) throw new RuntimeError('There is no current event loop in thread MainThread.');
    return loop;
  },
  /** "Set loop as the current event loop for the current OS thread." */
  setEventLoop(loop: BaseEventLoop | null): void {
    setEventLoop(loop);
  },
  /** "Create and return a new event loop object." */
  newEventLoop(): UnixSelectorEventLoop {
    return newEventLoop();
  },
  /** asyncio.current_task(loop=None): the Task the (running) loop is stepping, or None. */
  currentTask(loop: BaseEventLoop | null = null): Task<unknown> | null {
    return currentTask(loop ?? asyncio.getRunningLoop());
  },
  /** asyncio.isfuture(obj): an asyncio Future (Tasks included). */
  isfuture(obj: unknown): boolean {
    return obj instanceof Future;
  },
};
