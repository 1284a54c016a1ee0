/**
 * The reference event loop: entry points (asyncio.new_event_loop and the
 * current-loop functions of asyncio.events).
 */
import { BaseEventLoop } from './base_events';
import { UnixSelectorEventLoop } from './unix_events';

export { BaseEventLoop } from './base_events';
/** Python Development Mode for this process (`-X dev`): loops made afterwards start in debug mode. */
export { setDevMode } from './base_events';
import { getRunningLoop as runningLoopOf } from './base_events';
import { RuntimeError } from './errors';
import { Coroutine, Future, isCoroutine } from './futures';
import { currentTask, Task } from './tasks';
import { DefaultEventLoopPolicy, getEventLoopPolicy, setEventLoopPolicy } from './policies';
export { AbstractEventLoopPolicy, DefaultEventLoopPolicy, getEventLoopPolicy, setEventLoopPolicy } from './policies';
export { UnixSelectorEventLoop } from './unix_events';
export { BaseSelectorEventLoop } from './selector_events';
export { SelectorSocketTransport } from './selector_transport';
export { SelectorDatagramTransport } from './datagram_transport';
export { Server } from './server';
export { TransportSocket } from './trsock';
export { BaseSelector, DefaultSelector, EpollSelector, EVENT_READ, EVENT_WRITE, PollSelector, SelectSelector } from './selectors';
export type { SelectorKey } from './selectors';
import { BaseSelector, DefaultSelector, EpollSelector, PollSelector, SelectSelector } from './selectors';
export { Handle, TimerHandle } from './events';
export { Future } from './futures';
export type { Coroutine } from './futures';
export { Task } from './tasks';
export { BinaryFile } from './fileio';
export { Socket } from './socket';
import * as sockets from './socket';
import { Path } from './pathlib';
export { Protocol, BaseProtocol, DatagramProtocol } from './protocols';
export { Resource } from './resources';
export * as errors from './errors';
export { logger } from './log';
export { Kwargs } from './kwargs';
export { AsyncGenerator, EXHAUSTED } from './asyncgen';
export { catchWarnings } from './warnings';
export { Context, ContextVar, copyContext } from './contextvars';
import { Context, ContextVar, copyContext } from './contextvars';

/** The contextvars module's documented names, for the driver's `call` (target "contextvars"). */
export const contextvars = {
  /** contextvars.ContextVar(name, *, default) */
  ContextVar(name: string, ...dflt: unknown[]): ContextVar {
    return new ContextVar(name, ...(dflt as [unknown?]));
  },
  copyContext,
  /** contextvars.Context(): an empty context. */
  Context(): Context {
    return new Context();
  },
};
export { pushThreadsafeToken } from './threadsafe';
export { concurrentFutures, Executor, poolThreads, ProcessPoolExecutor, ThreadPoolExecutor } from './executor';
export type { PoolThread, Work, WorkAction, WorkFunction } from './executor';
export type { ThreadsafeTicket } from './threadsafe';

/** The Python name of the loop class, for the driver's handshake. */
export const LOOP_CLASS = 'loopspec.reference.UnixSelectorEventLoop';

/** asyncio.new_event_loop(): "Equivalent to calling get_event_loop_policy().new_event_loop()." */
export function newEventLoop(): UnixSelectorEventLoop {
  return getEventLoopPolicy().newEventLoop() as UnixSelectorEventLoop;
}

/** asyncio.set_event_loop(loop): "Equivalent to calling get_event_loop_policy().set_event_loop(loop)." */
export function setEventLoop(loop: BaseEventLoop | null): void {
  getEventLoopPolicy().setEventLoop(loop);
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
  /** "Get the current event loop": the running loop, else the policy's (which may create one). */
  getEventLoop(): BaseEventLoop {
    return runningLoopOf() ?? getEventLoopPolicy().getEventLoop();
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
  /** asyncio.Task(coro, *, loop=None, name=None): what a task factory returns. */
  Task(coro: Coroutine<unknown>, loop: BaseEventLoop | null = null, name: string | null = null): Task<unknown> {
    return new Task(coro, loop ?? asyncio.getEventLoop(), name);
  },
  getEventLoopPolicy,
  setEventLoopPolicy,
  /** asyncio.DefaultEventLoopPolicy(): a new default policy. */
  DefaultEventLoopPolicy(): DefaultEventLoopPolicy {
    return new DefaultEventLoopPolicy();
  },
  /** asyncio.iscoroutine(obj): a coroutine object (the reference's are generators). */
  iscoroutine(obj: unknown): boolean {
    return isCoroutine(obj);
  },
  /** asyncio.isfuture(obj): an asyncio Future (Tasks included). */
  isfuture(obj: unknown): boolean {
    return obj instanceof Future;
  },
  /**
   * asyncio.SelectorEventLoop(selector=None): "An event loop based on the selectors module. Uses
   * the most efficient selector available for the given platform. It is also possible to
   * manually configure the exact selector implementation to be used." (Unix's, as in CPython.)
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.SelectorEventLoop
   */
  SelectorEventLoop(selector: BaseSelector | null = null): UnixSelectorEventLoop {
    return new UnixSelectorEventLoop(selector);
  },
};

/**
 * The socket module's name lookups and the constants they take, by their documented names:
 * what the driver's `call` and `get` operations reach with the target "socket".
 * https://docs.python.org/3/library/socket.html#socket.getaddrinfo
 */
export const socket = {
  getaddrinfo: sockets.getaddrinfo,
  getnameinfo: sockets.getnameinfo,
  /** socket.socket(family=AF_INET, type=SOCK_STREAM, proto=0): blocking, as Python makes it. */
  socket(family: number | undefined = undefined, type: number | undefined = undefined, proto: number | undefined = undefined): sockets.Socket {
    const made = sockets.Socket.create(family ?? sockets.AF_INET, type ?? sockets.SOCK_STREAM, proto ?? 0);
    made.setblocking(true);
    return made;
  },
  SOL_SOCKET: sockets.SOL_SOCKET, SO_REUSEADDR: sockets.SO_REUSEADDR, SO_REUSEPORT: sockets.SO_REUSEPORT, SO_TYPE: sockets.SO_TYPE, SO_BROADCAST: sockets.SO_BROADCAST,
  TCP_NODELAY: sockets.TCP_NODELAY,
  AF_UNSPEC: sockets.AF_UNSPEC, AF_INET: sockets.AF_INET, AF_INET6: sockets.AF_INET6, AF_UNIX: sockets.AF_UNIX,
  SOCK_STREAM: sockets.SOCK_STREAM, SOCK_DGRAM: sockets.SOCK_DGRAM,
  IPPROTO_TCP: sockets.IPPROTO_TCP, IPPROTO_UDP: sockets.IPPROTO_UDP,
  AI_PASSIVE: sockets.AI_PASSIVE, AI_CANONNAME: sockets.AI_CANONNAME, AI_NUMERICHOST: sockets.AI_NUMERICHOST, AI_NUMERICSERV: sockets.AI_NUMERICSERV,
  NI_NUMERICHOST: sockets.NI_NUMERICHOST, NI_NUMERICSERV: sockets.NI_NUMERICSERV, NI_NAMEREQD: sockets.NI_NAMEREQD, NI_DGRAM: sockets.NI_DGRAM,
  EAI_NONAME: sockets.EAI_NONAME,
};

/** The pathlib module's Path: what the driver's `call` reaches with the target "pathlib". */
export const pathlib = {
  Path(...segments: string[]): Path {
    return new Path(...segments);
  },
};

/**
 * The selectors module's selector classes, by their documented names: what the driver's `call`
 * operation reaches with the target "selectors" (reference/selectors.ts).
 * https://docs.python.org/3/library/selectors.html
 */
export const selectors = {
  /** "The default selector class, using the most efficient implementation available on the current platform." */
  DefaultSelector(): BaseSelector {
    return new DefaultSelector();
  },
  /** "select.select()-based selector." */
  SelectSelector(): SelectSelector {
    return new SelectSelector();
  },
  /** "select.poll()-based selector." */
  PollSelector(): PollSelector {
    return new PollSelector();
  },
  /** "select.epoll()-based selector." */
  EpollSelector(): EpollSelector {
    return new EpollSelector();
  },
};
