/**
 * The reference event loop: entry points (asyncio.new_event_loop and the
 * current-loop functions of asyncio.events).
 */
import { BaseEventLoop } from './base_events';
import { UnixSelectorEventLoop } from './unix_events';

export { BaseEventLoop } from './base_events';
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
