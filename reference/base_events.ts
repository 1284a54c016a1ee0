/**
 * The loop core (asyncio.base_events.BaseEventLoop): the ready queue, the
 * timer heap and runOnce(), the one place where callbacks run.
 *
 * Methods are in the order of the documentation page:
 * https://docs.python.org/3/library/asyncio-eventloop.html
 * Each public method's comment quotes the documented sentence and links it.
 */
import * as native from '../native';
import { Deque, Heap } from './collections';
import {
  ASYNCIO_DEBUG_ENV,
  DEV_MODE_ENV,
  MAX_SELECT_TIMEOUT_S,
  MIN_CANCELLED_TIMER_HANDLES_FRACTION,
  MIN_SCHEDULED_TIMER_HANDLES,
  SENDFILE_FALLBACK_READBUFFER_SIZE,
  SendfileMode,
  SERVER_BACKLOG,
  WRITE_BUFFER_HIGH_WATER,
} from './constants';
import { NotImplementedError, PyTypeError, RuntimeError, SendfileNotAvailableError, ValueError } from './errors';
import { AnyCallback, Handle, HandleLoop, TimerHandle } from './events';
import { Executor, runWork, SystemCall, ThreadPoolExecutor, WorkFunction } from './executor';
import { BinaryFile } from './fileio';
import { Coroutine, Future, isCoroutine } from './futures';
import { logger } from './log';
import { Context } from './contextvars';
import { hasKwargs, splitKwargs } from './kwargs';
import { AsyncGenerator, setAsyncgenHooks } from './asyncgen';
import { ResourceWarning, RuntimeWarning, warn } from './warnings';
import { Address, addrinfoResult, AddrInfo, AF_UNSPEC, AI_PASSIVE, getaddrinfoCall, getnameinfoCall, SOCK_DGRAM, SOCK_STREAM, Socket } from './socket';
import { openConnection } from './connect';
import { openDatagramSocket } from './datagram';
import type { SelectorDatagramTransport } from './datagram_transport';
import { bindServerSockets } from './listen';
import type { BaseProtocol } from './protocols';
import { Server } from './server';
import { Task, TaskLoop } from './tasks';
import { ThreadsafeQueue, ThreadsafeTicket } from './threadsafe';
import type { SendfileTransport } from './transports';

/** Progress of a file transfer: bytes actually sent so far (the file position follows it). */
export interface SendfileProgress {
  sent: number;
}

/** The context passed to an exception handler (loop.call_exception_handler). */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  handle?: Handle;
  future?: Future<unknown>;
  /** The transport, its protocol and the socket concerned, where a transport or a server fails. */
  transport?: unknown;
  protocol?: unknown;
  socket?: unknown;
}

/** A loop's debug counters: what it holds right now (checked for leaks after each scenario). */
/** A task factory: (loop, coro) -> an asyncio.Future-compatible object. */
export type TaskFactory = (loop: BaseEventLoop, coro: Coroutine<unknown>) => Future<unknown>;

export interface LoopCounters {
  ready: number;
  scheduledTimers: number;
  cancelledTimersInHeap: number;
  pendingTasks: number;
  threadsafeRegistered: number;
}

/** The loop currently running on this thread (asyncio._get_running_loop()). */
let runningLoop: BaseEventLoop | null = null;

/** asyncio._get_running_loop(): the running loop of this thread, or null. */
export function getRunningLoop(): BaseEventLoop | null {
  return runningLoop;
}

/** Python Development Mode (sys.flags.dev_mode): PYTHONDEVMODE non-empty, or setDevMode(). */
let devMode = Boolean(process.env[DEV_MODE_ENV]);

/**
 * Turns Python Development Mode on or off for this process, as `python -X dev` does: the
 * reference driver calls it for its own `-X dev` argument. Loops made afterwards start in
 * debug mode.
 */
export function setDevMode(enabled: boolean): void {
  devMode = enabled;
}

/**
 * The debug mode a new loop starts with (asyncio.coroutines._is_debug_mode()): Python
 * Development Mode, or PYTHONASYNCIODEBUG set to any non-empty string, read when the loop is
 * made.
 */
export function isDebugMode(): boolean {
  return devMode || Boolean(process.env[ASYNCIO_DEBUG_ENV]);
}

export abstract class BaseEventLoop implements HandleLoop, TaskLoop {
  /** Handles to run in the next iteration, in order (CPython's _ready). */
  protected readonly ready = new Deque<Handle>();
  /** Timers by due time (CPython's _scheduled heap). */
  protected readonly scheduled = new Heap<TimerHandle>(TimerHandle.before);
  /** Handles other threads hand over with call_soon_threadsafe. */
  protected readonly threadsafe = new ThreadsafeQueue<Handle>();
  private timerCancelledCount = 0;
  private stopping = false;
  private closedFlag = false;
  private running = false;
  /** run_in_executor(None, ...)'s executor, made on first use (CPython's _default_executor). */
  private defaultExecutor: Executor | null = null;
  /** Set by shutdown_default_executor() and close(): the default executor is refused from then on. */
  private executorShutdownCalled = false;
  private readonly clockResolution = native.monotonicResolution();
  private readonly pendingTasks = new Set<Task<unknown>>();
  private exceptionHandler: ((loop: BaseEventLoop, context: ExceptionContext) => void) | null = null;
  /** The debug mode (getDebug/setDebug); its default comes from the process, when the loop is made. */
  private debug = isDebugMode();
  private taskFactory: TaskFactory | null = null;
  /** Async generators first iterated on this loop and not closed (asyncio's _asyncgens). */
  private readonly asyncgens = new Set<AsyncGenerator>();
  private asyncgensShutdownCalled = false;

  // ---------------------------------------------------------------------------
  // What a concrete loop provides (selector_events.ts).

  /** Waits for I/O for at most `timeoutS` seconds (null: no limit) and appends the ready handlers. */
  protected abstract poll(timeoutS: number | null): void;
  /** Wakes a poll blocked on another thread's behalf (writes the eventfd). */
  protected abstract writeToSelf(): void;
  /** The descriptor other threads write to wake the poll. */
  protected abstract wakeupFd(): number;
  /** Closes the selector and the wakeup descriptor. */
  protected abstract closeSelector(): void;
  /** loop.sock_connect(): connects a non-blocking socket (selector_events.ts). */
  abstract sockConnect(sock: Socket, address: unknown): Coroutine<void>;
  /** The transport of a connected socket (CPython's _make_socket_transport). */
  protected abstract makeSocketTransport(sock: Socket, protocol: BaseProtocol, waiter: Future<void> | null): SendfileTransport;
  /** The transport of a datagram socket (CPython's _make_datagram_transport); `address` is where sendto() sends by default. */
  protected abstract makeDatagramTransport(sock: Socket, protocol: BaseProtocol, address: Address | null, waiter: Future<void> | null): SelectorDatagramTransport;
  /** Starts accepting connections on a listening socket (CPython's _start_serving). */
  abstract startAccepting(protocolFactory: () => BaseProtocol, sock: Socket, sslContext: unknown, server: Server, backlog: number): void;
  /** Stops accepting on a listening socket and closes it (CPython's _stop_serving). */
  abstract stopAccepting(sock: Socket): void;

  // ---------------------------------------------------------------------------
  // Running and stopping the loop

  /**
   * "Run until the future (an instance of Future) has completed. If the argument
   * is a coroutine object it is implicitly scheduled to run as a asyncio.Task.
   * Return the Future's result or raise its exception."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.run_until_complete
   */
  runUntilComplete<T>(future: Future<T> | Coroutine<T>): T {
    this.checkClosed();
    this.checkRunning();
    const newTask = !(future instanceof Future);
    const fut = this.ensureFuture(future);
    const stopWhenDone = (): void => this.stop();
    fut.addDoneCallback(stopWhenDone);
    try {
      this.runForever();
    } catch (exc) {
      // Retrieve the exception of a task we made, so it is not reported as never retrieved.
      if (newTask && fut.done() && !fut.cancelled()) fut.exception();
      throw exc;
    } finally {
      fut.removeDoneCallback(stopWhenDone);
    }
    if (!fut.done()) throw new RuntimeError('Event loop stopped before Future completed.');
    return fut.result();
  }

  /**
   * "Run the event loop until stop() is called.
   * If stop() is called before run_forever() is called, the loop will poll the
   * I/O selector once with a timeout of zero, run all callbacks scheduled in
   * response to I/O events (and those that were already scheduled), and then exit.
   * If stop() is called while run_forever() is running, the loop will run the
   * current batch of callbacks and then exit. Note that new callbacks scheduled
   * by callbacks will not run in this case; instead, they will run the next time
   * run_forever() or run_until_complete() is called."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.run_forever
   *
   * Blocks the calling thread, as asyncio's does: the selector's epoll_wait
   * runs on this thread.
   */
  runForever(): void {
    this.checkClosed();
    this.checkRunning();
    if (runningLoop !== null) {
      throw new RuntimeError('Cannot run the event loop while another loop is running');
    }
    this.running = true;
    runningLoop = this;
    // The loop learns of each async generator first iterated while it runs (shutdown_asyncgens).
    const outerHooks = setAsyncgenHooks({ firstiter: (agen) => this.asyncgenFirstiter(agen) });
    try {
      for (;;) {
        this.runOnce();
        if (this.stopping) break;
      }
    } finally {
      setAsyncgenHooks(outerHooks);
      this.stopping = false;
      this.running = false;
      runningLoop = null;
    }
  }

  /** The firstiter hook: remember the generator; after shutdown_asyncgens(), warn (a ResourceWarning, as CPython). */
  private asyncgenFirstiter(agen: AsyncGenerator): void {
    if (this.asyncgensShutdownCalled) {
      warn(ResourceWarning, `asynchronous generator ${String(agen)} was scheduled after loop.shutdown_asyncgens() call`);
    }
    this.asyncgens.add(agen);
  }

  /**
   * "Schedule all currently open asynchronous generator objects to close with an aclose()
   * call. After calling this method, the event loop will issue a warning if a new
   * asynchronous generator is iterated."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.shutdown_asyncgens
   */
  *shutdownAsyncgens(): Coroutine<void> {
    this.asyncgensShutdownCalled = true;
    const open = [...this.asyncgens].filter((agen) => !agen.isClosed());
    this.asyncgens.clear();
    for (const agen of open) {
      try {
        yield* agen.aclose();
      } catch (exception) {
        this.callExceptionHandler({ message: 'an error occurred during closing of asynchronous generator', exception });
      }
    }
  }

  /**
   * "Stop the event loop."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.stop
   */
  stop(): void {
    this.stopping = true;
  }

  /**
   * "Return True if the event loop is currently running."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.is_running
   */
  isRunning(): boolean {
    return this.running;
  }

  /**
   * "Return True if the event loop was closed."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.is_closed
   */
  isClosed(): boolean {
    return this.closedFlag;
  }

  /**
   * "Close the event loop. The loop must not be running when this function is
   * called. Any pending callbacks will be discarded. This method clears all
   * queues and shuts down the executor, but does not wait for the executor to
   * finish. This method is idempotent and irreversible."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.close
   */
  close(): void {
    if (this.running) throw new RuntimeError('Cannot close a running event loop');
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.ready.clear();
    for (const timer of this.scheduled.toArray()) timer.scheduled = false;
    this.scheduled.clear();
    this.timerCancelledCount = 0;
    // "shuts down the executor, but does not wait for the executor to finish"
    this.executorShutdownCalled = true;
    const executor = this.defaultExecutor;
    if (executor !== null) {
      this.defaultExecutor = null;
      executor.shutdown(false);
    }
    // Under the hand-off lock: no other thread is writing the eventfd as it closes.
    this.threadsafe.close(() => this.closeSelector());
  }

  /**
   * "Schedule the closure of the default executor and wait for it to join all of the threads
   * in the ThreadPoolExecutor. After calling this method, a RuntimeError will be raised if
   * loop.run_in_executor() is called while using the default executor."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.shutdown_default_executor
   *
   * The loop keeps running while it waits: the last thread of the pool to end wakes it, as
   * another thread's call_soon_threadsafe does. `timeout` (3.12, not on the 3.9 page) stops
   * the wait after that many seconds, as 3.13 does.
   */
  *shutdownDefaultExecutor(timeout: number | null = null): Coroutine<void> {
    this.executorShutdownCalled = true;
    const executor = this.defaultExecutor;
    if (executor === null) return;
    executor.shutdown(false);
    const joined = this.createFuture<void>();
    const settle = (): void => {
      if (!joined.done()) joined.setResult(undefined);
    };
    const { ticket } = this.prepareThreadsafeCall(settle);
    if (executor.notifyWhenJoined(ticket)) settle();
    let timedOut = false;
    // "If the timeout duration is reached, a warning is emitted and executor is terminated
    // without waiting for its threads to finish joining." (3.12 page)
    const timer = timeout === null || timeout === undefined ? null : this.callLater(timeout, () => {
      timedOut = !joined.done();
      settle();
    });
    try {
      yield* joined;
    } finally {
      timer?.cancel();
    }
    if (timedOut) warn(RuntimeWarning, `The executor did not finishing joining its threads within ${timeout} seconds.`);
  }

  // ---------------------------------------------------------------------------
  // Scheduling callbacks

  /**
   * "Schedule the callback callback to be called with args arguments at the next
   * iteration of the event loop. Callbacks are called in the order in which they
   * are registered. Each callback will be called exactly once."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_soon
   */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    this.checkClosed();
    checkCallback(callback, 'call_soon');
    if (!hasKwargs(args)) return this.appendReady(callback as AnyCallback, args);
    const [callArgs, kw] = splitKwargs(args);
    return this.appendReady(callback as AnyCallback, callArgs, contextArgument(kw, 'call_soon'));
  }

  /**
   * "A thread-safe variant of call_soon(). Must be used to schedule callbacks
   * from another thread. Raises RuntimeError if called on a loop that's been closed."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_soon_threadsafe
   *
   * This is the loop thread's entry; another thread uses prepareThreadsafeCall()
   * here and pushThreadsafeToken() there (threadsafe.ts).
   */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    this.checkClosed();
    checkCallback(callback, 'call_soon_threadsafe');
    const [callArgs, kw] = hasKwargs(args) ? splitKwargs(args) : [args, {}];
    const handle = this.appendReady(callback as AnyCallback, callArgs, contextArgument(kw, 'call_soon_threadsafe'));
    this.writeToSelf();
    return handle;
  }

  /**
   * Prepares call_soon_threadsafe(callback, ...args) for another thread: the
   * Handle is made here (JavaScript threads share no objects) and waits, off
   * the ready queue, for the other thread to push the returned ticket's token.
   * The closed check happens when the other thread pushes (that is when
   * Python's call_soon_threadsafe runs): pushThreadsafeToken() then returns
   * false and the other thread raises RuntimeError('Event loop is closed').
   */
  prepareThreadsafeCall<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): { handle: Handle; ticket: ThreadsafeTicket } {
    checkCallback(callback, 'call_soon_threadsafe');
    const handle = new Handle(callback as AnyCallback, args, this);
    if (this.closedFlag) {
      // The queue is marked closed: a push of this ticket fails, as it should.
      return { handle, ticket: { buffer: this.threadsafe.buffer, wakeupFd: -1, token: 0 } };
    }
    const token = this.threadsafe.register(handle);
    return { handle, ticket: { buffer: this.threadsafe.buffer, wakeupFd: this.wakeupFd(), token } };
  }

  // ---------------------------------------------------------------------------
  // Scheduling delayed callbacks

  /**
   * "Schedule callback to be called after the given delay number of seconds
   * (can be either an int or a float). An instance of asyncio.TimerHandle is
   * returned which can be used to cancel the callback. callback will be called
   * exactly once."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_later
   */
  callLater<A extends unknown[]>(delay: number, callback: (...args: A) => unknown, ...args: A): TimerHandle {
    if (typeof delay !== 'number') throw new PyTypeError('delay must not be None');
    return this.callAt(this.time() + delay, callback, ...args);
  }

  /**
   * "Schedule callback to be called at the given absolute timestamp when (an int
   * or a float), using the same time reference as loop.time()."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_at
   */
  callAt<A extends unknown[]>(when: number, callback: (...args: A) => unknown, ...args: A): TimerHandle {
    if (typeof when !== 'number') throw new PyTypeError('when cannot be None');
    this.checkClosed();
    checkCallback(callback, 'call_at');
    const timer = hasKwargs(args)
      ? new TimerHandle(when, callback as AnyCallback, splitKwargs(args)[0], this, contextArgument(splitKwargs(args)[1], 'call_at'))
      : new TimerHandle(when, callback as AnyCallback, args, this);
    this.scheduled.push(timer);
    timer.scheduled = true;
    return timer;
  }

  /**
   * "Return the current time, as a float value, according to the event loop's
   * internal monotonic clock."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.time
   */
  time(): number {
    return native.monotonic();
  }

  // ---------------------------------------------------------------------------
  // Creating Futures and Tasks

  /**
   * "Create an asyncio.Future object attached to the event loop."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_future
   */
  createFuture<T = unknown>(): Future<T> {
    return new Future<T>(this);
  }

  /**
   * "Schedule the execution of a coroutine. Return a Task object." ... "If the name argument is
   * provided and not None, it is set as the name of the task using Task.set_name."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_task
   */
  createTask<T>(coro: Coroutine<T>, name: string | null = null, context: Context | null = null): Task<T> {
    this.checkClosed();
    if (context !== null && context !== undefined && !(context instanceof Context)) throw new PyTypeError(`create_task(): context must be a contextvars.Context, not ${String(context)}`);
    if (this.taskFactory === null) {
      if (!isCoroutine(coro)) throw new PyTypeError(`a coroutine was expected, got ${String(coro)}`);
      return new Task<T>(coro, this, name, context ?? null);
    }
    // The factory's result is "an asyncio.Future-compatible object"; the name is set on it.
    const task = this.taskFactory(this, coro as Coroutine<unknown>) as Task<T>;
    if (name !== null && name !== undefined) task.setName(name);
    return task;
  }

  /**
   * "Set a task factory that will be used by loop.create_task(). If factory is None the default
   * task factory will be set. Otherwise, factory must be a callable with the signature matching
   * (loop, coro)"
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.set_task_factory
   */
  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== 'function') throw new PyTypeError('task factory must be a callable or None');
    this.taskFactory = factory;
  }

  /**
   * "Return a task factory or None if the default one is in use."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.get_task_factory
   */
  getTaskFactory(): TaskFactory | null {
    return this.taskFactory;
  }

  // ---------------------------------------------------------------------------
  // Opening network connections

  /**
   * "Open a streaming transport connection to a given address specified by host and port. ...
   * protocol_factory must be a callable returning an asyncio protocol implementation. This
   * method will try to establish the connection in the background. When successful, it returns
   * a (transport, protocol) pair."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_connection
   *
   * The host is looked up with loop.getaddrinfo() (type SOCK_STREAM and the family, proto and
   * flags given) and every address is tried in turn; TCP_NODELAY is set (3.6). TLS is another
   * part of the reference: ssl raises NotImplementedError once the arguments are checked.
   */
  *createConnection<P extends BaseProtocol>(
    protocolFactory: () => P, host: unknown = null, port: unknown = null, ssl: unknown = null, family = 0, proto = 0, flags = 0,
    sock: Socket | null = null, localAddr: unknown = null, serverHostname: string | null = null,
    sslHandshakeTimeout: number | null = null, sslShutdownTimeout: number | null = null,
    happyEyeballsDelay: number | null = null, interleave: number | null = null, allErrors = false,
  ): Coroutine<[SendfileTransport, P]> {
    if (serverHostname !== null && serverHostname !== undefined && !ssl) throw new ValueError('server_hostname is only meaningful with ssl');
    if ((serverHostname === null || serverHostname === undefined) && ssl && !host) {
      throw new ValueError('You must set server_hostname when using ssl without a host');
    }
    checkTlsTimeouts(ssl, sslHandshakeTimeout, sslShutdownTimeout);
    checkNoTls(ssl);
    // "The default is 0 if happy_eyeballs_delay is not specified, and 1 if it is."
    if (happyEyeballsDelay !== null && happyEyeballsDelay !== undefined && (interleave === null || interleave === undefined)) interleave = 1;
    if (isGiven(host) || isGiven(port)) {
      if (isGiven(sock)) throw new ValueError('host/port and sock can not be specified at the same time');
      sock = yield* openConnection(this, host, port, {
        family: family ?? 0, proto: proto ?? 0, flags: flags ?? 0, localAddr: localAddr ?? null,
        happyEyeballsDelay: happyEyeballsDelay ?? null, interleave: interleave ?? null, allErrors: Boolean(allErrors),
      });
    } else {
      if (!isGiven(sock)) throw new ValueError('host and port was not specified and no sock specified');
      // AF_UNIX is allowed too, as CPython allows it: any stream socket.
      checkStreamSocket(sock as Socket, 'A Stream Socket');
    }
    return yield* this.createConnectionTransport(sock as Socket, protocolFactory);
  }

  /**
   * "Create a datagram connection. The socket family can be either AF_INET, AF_INET6, or
   * AF_UNIX, depending on host (or the family argument, if provided). The socket type will be
   * SOCK_DGRAM. protocol_factory must be a callable returning a protocol implementation. A tuple
   * of (transport, protocol) is returned on success."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_datagram_endpoint
   *
   * As CPython 3.12: reuse_address is gone (3.11 removed it; "Explicitly passing
   * reuse_address=True will raise an exception"), so passing it at all is the TypeError of an
   * unknown keyword. AF_UNIX takes paths as local_addr and remote_addr; "sock ... If specified,
   * local_addr and remote_addr should be omitted (must be None)", and so should every option
   * that shapes a new socket.
   */
  *createDatagramEndpoint<P extends BaseProtocol>(
    protocolFactory: () => P, localAddr: unknown = null, remoteAddr: unknown = null, family = 0, proto = 0, flags = 0,
    reuseAddress: unknown = undefined, reusePort: boolean | null = null, allowBroadcast: boolean | null = null, sock: Socket | null = null,
  ): Coroutine<[SelectorDatagramTransport, P]> {
    if (reuseAddress !== undefined) throw new PyTypeError("BaseEventLoop.create_datagram_endpoint() got an unexpected keyword argument 'reuse_address'");
    let rAddr: Address | null = null;
    if (isGiven(sock)) {
      if (!(sock instanceof Socket) || sock.type !== SOCK_DGRAM) throw new ValueError(`A UDP Socket was expected, got ${String(sock)}`);
      const modifiers = { local_addr: localAddr, remote_addr: remoteAddr, family, proto, flags, reuse_port: reusePort, allow_broadcast: allowBroadcast };
      const problems = Object.entries(modifiers).filter(([, v]) => Boolean(v)).map(([k, v]) => `${k}=${String(v)}`);
      if (problems.length > 0) throw new ValueError(`socket modifier keyword arguments can not be used when sock is specified. (${problems.join(', ')})`);
      sock.setblocking(false);
    } else {
      [sock, rAddr] = yield* openDatagramSocket(this, {
        localAddr, remoteAddr, family: family ?? 0, proto: proto ?? 0, flags: flags ?? 0,
        reusePort: Boolean(reusePort), allowBroadcast: Boolean(allowBroadcast),
      });
    }
    const protocol = protocolFactory();
    const waiter = this.createFuture<void>();
    const transport = this.makeDatagramTransport(sock, protocol, rAddr, waiter);
    yield* untilConnectionMade(transport, waiter);
    return [transport, protocol];
  }

  // ---------------------------------------------------------------------------
  // Creating network servers

  /**
   * "Create a TCP server (socket type SOCK_STREAM) listening on port of the host address.
   * Returns a Server object."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
   *
   * One listening socket per distinct getaddrinfo() row of the host(s); SO_REUSEADDR unless
   * reuse_address is false ("If not specified will automatically be set to True on Unix"),
   * SO_REUSEPORT with reuse_port, SO_KEEPALIVE with keep_alive (3.13), IPV6_V6ONLY on IPv6
   * sockets. "start_serving set to True (the default) causes the created server to start
   * accepting connections immediately."
   */
  *createServer(
    protocolFactory: () => BaseProtocol, host: unknown = null, port: unknown = null, family: number = AF_UNSPEC, flags: number = AI_PASSIVE,
    sock: Socket | null = null, backlog: number = SERVER_BACKLOG, ssl: unknown = null, reuseAddress: boolean | null = null,
    reusePort: boolean | null = null, keepAlive: boolean | null = null, sslHandshakeTimeout: number | null = null,
    sslShutdownTimeout: number | null = null, startServing = true,
  ): Coroutine<Server> {
    if (typeof ssl === 'boolean') throw new PyTypeError('ssl argument must be an SSLContext or None');
    checkTlsTimeouts(isGiven(ssl), sslHandshakeTimeout, sslShutdownTimeout);
    checkNoTls(ssl);
    let sockets: Socket[];
    if (isGiven(host) || isGiven(port)) {
      if (isGiven(sock)) throw new ValueError('host/port and sock can not be specified at the same time');
      sockets = yield* bindServerSockets(this, host, port, {
        family: family ?? AF_UNSPEC, flags: flags ?? AI_PASSIVE,
        // Unix: reuse_address is True unless it is given.
        reuseAddress: reuseAddress ?? true, reusePort: Boolean(reusePort), keepAlive: Boolean(keepAlive),
      });
    } else {
      if (!isGiven(sock)) throw new ValueError('Neither host/port nor sock were specified');
      checkStreamSocket(sock as Socket, 'A Stream Socket');
      sockets = [sock as Socket];
    }
    return yield* this.serverOn(sockets, protocolFactory, backlog ?? SERVER_BACKLOG, startServing);
  }

  /**
   * "Wrap an already accepted connection into a transport/protocol pair. This method can be used
   * by servers that accept connections outside of asyncio but that use asyncio to handle them.
   * ... Returns a (transport, protocol) pair."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.connect_accepted_socket
   */
  *connectAcceptedSocket<P extends BaseProtocol>(
    protocolFactory: () => P, sock: Socket, ssl: unknown = null, sslHandshakeTimeout: number | null = null, sslShutdownTimeout: number | null = null,
  ): Coroutine<[SendfileTransport, P]> {
    checkStreamSocket(sock, 'A Stream Socket');
    checkTlsTimeouts(ssl, sslHandshakeTimeout, sslShutdownTimeout);
    checkNoTls(ssl);
    return yield* this.createConnectionTransport(sock, protocolFactory);
  }

  /** A Server on bound sockets, serving unless asked not to (create_server and create_unix_server). */
  protected *serverOn(sockets: Socket[], protocolFactory: () => BaseProtocol, backlog: number, startServing: boolean): Coroutine<Server> {
    for (const s of sockets) s.setblocking(false);
    const server = new Server(this, sockets, protocolFactory, null, backlog);
    // startServing(): one loop iteration passes, so the listening sockets are watched by then.
    if (startServing) yield* server.startServing();
    return server;
  }

  /**
   * The transport and protocol of a connected socket (CPython's _create_connection_transport):
   * "protocol_factory is called without arguments", the transport calls connection_made(), and
   * the pair is returned once it has. If that wait is cancelled, the transport is closed.
   */
  protected *createConnectionTransport<P extends BaseProtocol>(sock: Socket, protocolFactory: () => P): Coroutine<[SendfileTransport, P]> {
    sock.setblocking(false);
    const protocol = protocolFactory();
    const waiter = this.createFuture<void>();
    const transport = this.makeSocketTransport(sock, protocol, waiter);
    yield* untilConnectionMade(transport, waiter);
    return [transport, protocol];
  }

  // ---------------------------------------------------------------------------
  // Transferring files

  /**
   * "Send a file over a transport. Return the total number of bytes sent.
   * ... File position is always updated, even when this method raises an
   * error, and file.tell() can be used to obtain the actual number of bytes
   * sent. ... Raise SendfileNotAvailableError if the system does not support
   * the sendfile syscall and fallback is False."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sendfile
   */
  *sendfile(transport: SendfileTransport, file: BinaryFile, offset = 0, count: number | null = null, fallback = true): Coroutine<number> {
    if (transport.isClosing()) throw new RuntimeError('Transport is closing');
    const mode = transport.sendfileMode ?? SendfileMode.UNSUPPORTED;
    if (mode === SendfileMode.UNSUPPORTED) {
      throw new RuntimeError(`sendfile is not supported for transport ${String(transport)}`);
    }
    checkSendfileParams(file, offset, count);
    const progress: SendfileProgress = { sent: 0 };
    try {
      if (mode === SendfileMode.TRY_NATIVE) {
        try {
          return yield* this.sendfileNative(transport, file, offset, count, progress);
        } catch (exc) {
          if (!(exc instanceof SendfileNotAvailableError) || !fallback) throw exc;
        }
      }
      if (!fallback) {
        throw new SendfileNotAvailableError(`fallback is disabled and native sendfile is not supported for transport ${String(transport)}`);
      }
      return yield* this.sendfileFallback(transport, file, offset, count, progress);
    } finally {
      file.seek(offset + progress.sent);
    }
  }

  /** The syscall path of sendfile(); here: not available (unix_events.ts overrides it). */
  // eslint-disable-next-line require-yield
  protected *sendfileNative(transport: SendfileTransport, _file: BinaryFile, _offset: number, _count: number | null, _progress: SendfileProgress): Coroutine<number> {
    throw new SendfileNotAvailableError(`syscall sendfile is not available for transport ${String(transport)}`);
  }

  /**
   * Reads the file and writes it to the transport, waiting for the write buffer
   * to drain. progress.sent counts bytes the transport actually sent (not just
   * buffered), so after a peer reset the file position tells what left.
   */
  protected *sendfileFallback(transport: SendfileTransport, file: BinaryFile, offset: number, count: number | null, progress: SendfileProgress): Coroutine<number> {
    const alreadySent = progress.sent;
    const startCounter = transport.bytesSent;
    let readPosition = offset + alreadySent;
    const buf = Buffer.allocUnsafe(SENDFILE_FALLBACK_READBUFFER_SIZE);
    try {
      for (;;) {
        const want = count === null ? buf.length : Math.min(buf.length, count - (readPosition - offset));
        if (want <= 0) break;
        const n = file.preadInto(buf, want, readPosition);
        if (n === 0) break;
        readPosition += n;
        transport.write(Buffer.from(buf.subarray(0, n)));
        progress.sent = alreadySent + (transport.bytesSent - startCounter);
        if (transport.getWriteBufferSize() > WRITE_BUFFER_HIGH_WATER) yield* transport.drained();
      }
      yield* transport.drained();
    } finally {
      progress.sent = alreadySent + (transport.bytesSent - startCounter);
    }
    return progress.sent;
  }

  // ---------------------------------------------------------------------------
  // Working with socket objects directly (the rest is in selector_events.ts)

  /**
   * "Send a file using high-performance os.sendfile if possible. Return the
   * total number of bytes sent. ... File position is always updated, even when
   * this method raises an error ... Raise SendfileNotAvailableError if the
   * system does not support sendfile syscall and fallback is False."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_sendfile
   */
  *sockSendfile(sock: Socket, file: BinaryFile, offset = 0, count: number | null = null, fallback = true): Coroutine<number> {
    if (sock.getblocking()) throw new ValueError('the socket must be non-blocking');
    if (!sock.isStream()) throw new ValueError('only SOCK_STREAM type sockets are supported');
    checkSendfileParams(file, offset, count);
    const progress: SendfileProgress = { sent: 0 };
    try {
      try {
        return yield* this.sockSendfileNative(sock, file, offset, count, progress);
      } catch (exc) {
        if (!(exc instanceof SendfileNotAvailableError) || !fallback) throw exc;
      }
      return yield* this.sockSendfileFallback(sock, file, offset, count, progress);
    } finally {
      file.seek(offset + progress.sent);
    }
  }

  /** The syscall path of sock_sendfile(); here: not available (unix_events.ts overrides it). */
  // eslint-disable-next-line require-yield
  protected *sockSendfileNative(_sock: Socket, _file: BinaryFile, _offset: number, _count: number | null, _progress: SendfileProgress): Coroutine<number> {
    throw new SendfileNotAvailableError('os.sendfile() is not available');
  }

  /** Reads the file and sends it with sock_sendall; progress.sent counts bytes the socket accepted. */
  protected *sockSendfileFallback(sock: Socket, file: BinaryFile, offset: number, count: number | null, progress: SendfileProgress): Coroutine<number> {
    const buf = Buffer.allocUnsafe(SENDFILE_FALLBACK_READBUFFER_SIZE);
    for (;;) {
      const want = count === null ? buf.length : Math.min(buf.length, count - progress.sent);
      if (want <= 0) break;
      const n = file.preadInto(buf, want, offset + progress.sent);
      if (n === 0) break;
      yield* this.sockSendallCounting(sock, buf.subarray(0, n), progress);
    }
    return progress.sent;
  }

  /** sock_sendall that adds every byte the socket accepts to progress.sent. */
  protected abstract sockSendallCounting(sock: Socket, data: Buffer, progress: SendfileProgress): Coroutine<void>;

  // ---------------------------------------------------------------------------
  // Executing code in thread or process pools

  /**
   * "Arrange for func to be called in the specified executor. The executor argument should be
   * an concurrent.futures.Executor instance. The default executor is used if executor is None.
   * ... This method returns a asyncio.Future object."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.run_in_executor
   *
   * func runs on a worker thread, so it is a function that carries its work as data
   * (executor.ts). The default executor is a ThreadPoolExecutor with ThreadPoolExecutor's own
   * default max_workers (the 3.5.3 change).
   */
  runInExecutor(executor: Executor | null, func: WorkFunction, ...args: unknown[]): Future<unknown> {
    this.checkClosed();
    if (executor === null || executor === undefined) {
      if (this.executorShutdownCalled) throw new RuntimeError('Executor shutdown has been called');
      if (this.defaultExecutor === null) this.defaultExecutor = new ThreadPoolExecutor(null, 'asyncio');
      executor = this.defaultExecutor;
    }
    return runWork(this, executor, func, args);
  }

  /**
   * "Set executor as the default executor used by run_in_executor(). executor should be an
   * instance of ThreadPoolExecutor. ... executor must be an instance of
   * concurrent.futures.ThreadPoolExecutor."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.set_default_executor
   *
   * Anything else is a TypeError, as from CPython 3.11 (the reference speaks 3.12).
   */
  setDefaultExecutor(executor: unknown): void {
    if (!(executor instanceof ThreadPoolExecutor)) throw new PyTypeError('executor must be ThreadPoolExecutor');
    this.defaultExecutor = executor;
  }

  // ---------------------------------------------------------------------------
  // DNS

  /**
   * "Asynchronous version of socket.getaddrinfo()." The arguments are checked here, as
   * socket.getaddrinfo() checks them, and the lookup itself runs in the default executor, as
   * CPython's does: the loop goes on while it waits.
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.getaddrinfo
   */
  *getaddrinfo(host: unknown, port: unknown, family: unknown = 0, type: unknown = 0, proto: unknown = 0, flags: unknown = 0): Coroutine<AddrInfo[]> {
    const call = getaddrinfoCall(host, port, family ?? 0, type ?? 0, proto ?? 0, flags ?? 0);
    return addrinfoResult((yield* this.runSystemCall('getaddrinfo', call)) as native.AddrInfo[]);
  }

  /**
   * "Asynchronous version of socket.getnameinfo()."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.getnameinfo
   */
  *getnameinfo(sockaddr: unknown, flags: unknown = 0): Coroutine<[host: string, port: string]> {
    return (yield* this.runSystemCall('getnameinfo', getnameinfoCall(sockaddr, flags ?? 0))) as [string, string];
  }

  /** A blocking native call, run on the default executor's thread as a Future of its result. */
  private runSystemCall(name: SystemCall, args: unknown[]): Future<unknown> {
    const call: WorkFunction = Object.assign(() => undefined, { work: { name, actions: [{ do: 'system_call' as const, name, args }] } });
    return this.runInExecutor(null, call);
  }

  // ---------------------------------------------------------------------------
  // Error Handling API

  /**
   * "Set handler as the new event loop exception handler."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.set_exception_handler
   */
  setExceptionHandler(handler: ((loop: BaseEventLoop, context: ExceptionContext) => void) | null): void {
    this.exceptionHandler = handler;
  }

  /**
   * "Return the current exception handler, or None if no custom exception handler was set."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.get_exception_handler
   */
  getExceptionHandler(): ((loop: BaseEventLoop, context: ExceptionContext) => void) | null {
    return this.exceptionHandler;
  }

  /**
   * "Default exception handler. This is called when an exception occurs and no
   * exception handler is set."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.default_exception_handler
   */
  defaultExceptionHandler(context: ExceptionContext): void {
    logger.log({ level: 'error', message: context.message, exception: context.exception });
  }

  /**
   * "Call the current event loop exception handler."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_exception_handler
   */
  callExceptionHandler(context: ExceptionContext): void {
    if (this.exceptionHandler === null) {
      this.defaultExceptionHandler(context);
      return;
    }
    try {
      this.exceptionHandler(this, context);
    } catch (exc) {
      this.defaultExceptionHandler({ message: 'Unhandled error in exception handler', exception: exc });
    }
  }

  // ---------------------------------------------------------------------------
  // Enabling debug mode
  //
  // What debug mode checks is described on another page (the debug mode of asyncio,
  // asyncio-dev), not on this one: here it is the switch and its default.

  /**
   * "Get the debug mode (bool) of the event loop. The default value is True if the
   * environment variable PYTHONASYNCIODEBUG is set to a non-empty string, False otherwise."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.get_debug
   *
   * Also True by default in Python Development Mode (setDevMode()), from 3.7.
   */
  getDebug(): boolean {
    return this.debug;
  }

  /**
   * "Set the debug mode of the event loop."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.set_debug
   *
   * Kept as a bool, as get_debug() documents it (CPython keeps whatever it was given).
   */
  setDebug(enabled: boolean): void {
    this.debug = Boolean(enabled);
  }

  // ---------------------------------------------------------------------------
  // The core

  /**
   * One iteration of the loop, and the only place callbacks run (CPython's
   * _run_once, libuv's uv_run). Its phases, in order:
   */
  protected runOnce(): void {
    // 1. Purge cancelled timers. Many cancelled timers: rebuild the heap
    //    without them; otherwise just drop the cancelled ones at its top.
    const scheduledCount = this.scheduled.length;
    if (
      scheduledCount > MIN_SCHEDULED_TIMER_HANDLES &&
      this.timerCancelledCount / scheduledCount > MIN_CANCELLED_TIMER_HANDLES_FRACTION
    ) {
      this.scheduled.filter((timer) => {
        if (!timer.cancelled()) return true;
        timer.scheduled = false;
        return false;
      });
      this.timerCancelledCount = 0;
    } else {
      for (let top = this.scheduled.peek(); top !== undefined && top.cancelled(); top = this.scheduled.peek()) {
        this.timerCancelledCount--;
        this.scheduled.pop();
        top.scheduled = false;
      }
    }

    // 2. Compute the poll timeout: 0 when callbacks are ready, the loop is
    //    stopping or another thread handed one over; else until the nearest
    //    timer, clamped to MAX_SELECT_TIMEOUT_S (one day, bpo-34263);
    //    else no limit.
    let timeout: number | null = null;
    const nearest = this.scheduled.peek();
    if (this.ready.length > 0 || this.stopping || this.threadsafe.hasTokens()) {
      timeout = 0;
    } else if (nearest !== undefined) {
      timeout = Math.min(Math.max(0, nearest.when() - this.time()), MAX_SELECT_TIMEOUT_S);
    }

    // 3. Poll the selector; handlers of ready fds are appended to the ready
    //    queue. Then take what other threads handed over (call_soon_threadsafe).
    this.poll(timeout);
    if (this.threadsafe.hasTokens()) this.drainThreadsafe();

    // 4. Move due timers to the ready queue. "Due" includes timers within the
    //    clock's resolution of now, so a timer is never run a tick late.
    const endTime = this.time() + this.clockResolution;
    for (let top = this.scheduled.peek(); top !== undefined; top = this.scheduled.peek()) {
      if (top.when() >= endTime) break;
      this.scheduled.pop();
      top.scheduled = false;
      if (top.cancelled()) {
        this.timerCancelledCount--;
        continue;
      }
      this.ready.push(top);
    }

    // 5. Run only the callbacks ready now: those they schedule wait for the
    //    next iteration (this is also what makes stop() finish the batch).
    const ntodo = this.ready.length;
    for (let i = 0; i < ntodo; i++) {
      const handle = this.ready.shift() as Handle;
      if (handle.cancelled()) continue;
      handle.run();
    }
  }

  /** Appends the handles other threads pushed, in push order. */
  protected drainThreadsafe(): void {
    for (const handle of this.threadsafe.drain()) {
      if (!handle.cancelled()) this.ready.push(handle);
    }
  }

  /** Appends a Handle to the ready queue, after anything other threads already handed over. */
  protected appendReady(callback: AnyCallback, args: readonly unknown[], context: Context | null = null): Handle {
    // Another thread's earlier call_soon_threadsafe was registered first: keep that order.
    if (this.threadsafe.hasTokens()) this.drainThreadsafe();
    const handle = new Handle(callback, args, this, context);
    this.ready.push(handle);
    return handle;
  }

  /** Appends an existing handle (an I/O callback) to the ready queue. */
  protected addCallback(handle: Handle): void {
    if (!handle.cancelled()) this.ready.push(handle);
  }

  /** The one guard for the message 'Event loop is closed'. */
  protected checkClosed(): void {
    if (this.closedFlag) throw new RuntimeError('Event loop is closed');
  }

  /** The one guard for the message 'This event loop is already running'. */
  protected checkRunning(): void {
    if (this.running) throw new RuntimeError('This event loop is already running');
  }

  /** Wraps a coroutine in a Task; a Future is returned as it is. */
  protected ensureFuture<T>(future: Future<T> | Coroutine<T>): Future<T> {
    if (future instanceof Future) {
      if (future.getLoop() !== this) throw new ValueError('The future belongs to a different loop than the one specified as the loop argument');
      return future;
    }
    if (isCoroutine(future)) return this.createTask(future);
    throw new PyTypeError('An asyncio.Future, a coroutine or an awaitable is required');
  }

  /** HandleLoop: a scheduled timer was cancelled. */
  timerHandleCancelled(handle: TimerHandle): void {
    if (handle.scheduled) this.timerCancelledCount++;
  }

  /** TaskLoop: bookkeeping of pending tasks (asyncio.all_tasks). */
  taskStarted(task: Task<unknown>): void {
    this.pendingTasks.add(task);
  }

  taskFinished(task: Task<unknown>): void {
    this.pendingTasks.delete(task);
  }

  /** asyncio.all_tasks(loop): the tasks not done yet. */
  allTasks(): Task<unknown>[] {
    return [...this.pendingTasks].filter((t) => !t.done());
  }

  /** Debug counters: what the loop holds now. */
  debugCounters(): LoopCounters {
    let cancelled = 0;
    for (const timer of this.scheduled.toArray()) if (timer.cancelled()) cancelled++;
    return {
      ready: this.ready.length,
      scheduledTimers: this.scheduled.length,
      cancelledTimersInHeap: cancelled,
      pendingTasks: this.allTasks().length,
      threadsafeRegistered: this.threadsafe.registered,
    };
  }
}

/** asyncio's _check_callback: a callback must be callable. */
function checkCallback(callback: unknown, method: string): void {
  if (typeof callback !== 'function') {
    throw new PyTypeError(`a callable object was expected by ${method}(), got ${String(callback)}`);
  }
}

/** Checks the file, offset and count arguments shared by sendfile() and sock_sendfile(). */
function checkSendfileParams(file: BinaryFile, offset: unknown, count: unknown): void {
  if (!(file instanceof BinaryFile)) throw new PyTypeError('file must be a regular file object');
  if (!file.mode.includes('b')) throw new ValueError('file should be opened in binary mode');
  if (file.closed) throw new ValueError('I/O operation on closed file.');
  if (count !== null) {
    if (typeof count !== 'number' || !Number.isInteger(count)) {
      throw new PyTypeError(`count must be a positive integer (got ${String(count)})`);
    }
    if (count <= 0) throw new ValueError(`count must be a positive integer (got ${count})`);
  }
  if (typeof offset !== 'number' || !Number.isInteger(offset)) {
    throw new PyTypeError(`offset must be a non-negative integer (got ${String(offset)})`);
  }
  if (offset < 0) throw new ValueError(`offset must be a non-negative integer (got ${offset})`);
}

/** The `context` keyword of a scheduling method: a contextvars.Context, or None for the current one. */
function contextArgument(kw: Readonly<Record<string, unknown>>, method: string): Context | null {
  for (const key of Object.keys(kw)) {
    if (key !== 'context') throw new PyTypeError(`${method}() got an unexpected keyword argument '${key}'`);
  }
  const context = kw.context ?? null;
  if (context !== null && !(context instanceof Context)) throw new PyTypeError(`${method}(): context must be a contextvars.Context, not ${String(context)}`);
  return context as Context | null;
}

/** Waits for a new transport's waiter (set once connection_made() was called); if the wait fails, the transport is closed. */
export function* untilConnectionMade(transport: { close(): void }, waiter: Future<void>): Coroutine<void> {
  try {
    yield* waiter;
  } catch (exc) {
    transport.close();
    throw exc;
  }
}

/** A Python argument that is not None. */
export function isGiven(value: unknown): boolean {
  return value !== null && value !== undefined;
}

/** ssl_handshake_timeout and ssl_shutdown_timeout: "only meaningful with ssl". */
export function checkTlsTimeouts(ssl: unknown, handshakeTimeout: unknown, shutdownTimeout: unknown): void {
  if (isGiven(handshakeTimeout) && !ssl) throw new ValueError('ssl_handshake_timeout is only meaningful with ssl');
  if (isGiven(shutdownTimeout) && !ssl) throw new ValueError('ssl_shutdown_timeout is only meaningful with ssl');
}

/** The one guard for TLS, which the reference loop does not have yet. */
export function checkNoTls(ssl: unknown): void {
  if (ssl) throw new NotImplementedError('TLS (the ssl argument) is not implemented by the reference loop');
}

/** The sock argument: a stream socket (CPython names the kind it expected in the message). */
export function checkStreamSocket(sock: Socket, expected: string, family: number | null = null): void {
  if (!(sock instanceof Socket) || sock.type !== SOCK_STREAM || (family !== null && sock.family !== family)) {
    throw new ValueError(`${expected} was expected, got ${String(sock)}`);
  }
}
