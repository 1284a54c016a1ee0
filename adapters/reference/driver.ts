/**
 * The reference driver: speaks the loopspec driver protocol
 * (adapters/PROTOCOL.md) for the reference loop (reference/).
 *
 *   node dist/adapters/reference/driver.js [-X dev]     (built by scripts/build.js)
 *
 * `-X dev` is Python's option for Python Development Mode: the reference loop then starts in
 * debug mode, as asyncio's does under `python -X dev` (PYTHONDEVMODE=1 does the same).
 *
 * Works from any working directory: every file it needs is found from
 * the kit's folder (ROOT). Requests are read from stdin; protocol lines go to a private
 * duplicate of fd 1, and fd 1 itself is pointed at fd 2 before any loop code
 * runs, so console.log in loop code can never corrupt the protocol.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { isPyInt, parse, pyFloat, PyFloat, stringify, toNumber } from './pyjson';
import { descendantsOf, describeProcess, endProcesses } from '../processes';
import { ProcessState } from './process-state';
import { ROOT } from '../adapter-spec';

type Native = typeof import('../../native');
type Reference = typeof import('../../reference');
type Errors = typeof import('../../reference/errors');
type Threads = typeof import('./threads');
type CallsModule = typeof import('./calls');
type WorkModule = typeof import('./work');
type BenchModule = typeof import('./bench');
type Loop = import('../../reference').UnixSelectorEventLoop;
type Handle = import('../../reference').Handle;
type BinaryFile = import('../../reference').BinaryFile;
type Socket = import('../../reference').Socket;
type Transport = import('../../reference').SelectorSocketTransport;
type Future<T> = import('../../reference').Future<T>;
type Coroutine<T> = import('../../reference').Coroutine<T>;
type OtherThread = import('./threads').OtherThread;
type PyExceptionInfo = import('../../reference/errors').PyExceptionInfo;

type Json = Record<string, unknown>;

const PROTOCOL_VERSION = 2;
// The Python the reference speaks: 3.12 with its point releases' fixes (wait_closed waits for the
// connections, 3.12.1; shutdown_default_executor's timeout, 3.12.3).
const LANGUAGE_VERSION = '3.12.3';
// transport-without-sendfile: connect's no_sendfile_syscall gets a TCP transport that never
// uses the syscall, the stand-in for TLS until the reference loop has it. unix-sockets:
// create_unix_server and create_unix_connection.
const CAPABILITIES = ['threads', 'sendfile-syscall', 'transport-without-sendfile', 'unix-sockets'];
const THREAD_JOIN_TIMEOUT_S = 1;
/** Loop seconds close_conn and end_scenario wait for connection_lost before giving up. */
const CLOSE_WAIT_S = 2;

// ---------------------------------------------------------------------------
// Loading: anything that fails here is a "fatal" handshake, exit status 2.

let protocolFd = 1;

function writeLine(obj: unknown): void {
  const line = `${stringify(obj)}\n`;
  const buf = Buffer.from(line, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(protocolFd, buf, off, buf.length - off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      // The kit stopped reading: the session is over.
      if (code === 'EPIPE') process.exit(0);
      throw err;
    }
  }
}

function fatal(message: string): never {
  writeLine({ type: 'fatal', message: message.split('\n')[0] });
  process.exit(2);
}

let native: Native;
let reference: Reference;
let errors: Errors;
let threads: Threads;
let callsModule: CallsModule;
let workModule: WorkModule;
let benchModule: BenchModule;
let api: import('./calls').Api;
try {
  native = require('../../native') as Native;
} catch (err) {
  fatal(`cannot load the native addon (run npm ci or npm run build:native): ${(err as Error).message}`);
}
// Before any loop code runs: what a loop double-forks is reparented here, not to init.
try {
  native.setChildSubreaper();
} catch { /* not Linux: the leak check sees only what stays below the driver */ }
// The protocol gets a private descriptor; fd 1 becomes stderr for everyone else.
protocolFd = native.dup(1);
native.dup2(2, 1);
try {
  reference = require('../../reference') as Reference;
  errors = require('../../reference/errors') as Errors;
  threads = require('./threads') as Threads;
  callsModule = require('./calls') as CallsModule;
  workModule = require('./work') as WorkModule;
  benchModule = require('./bench') as BenchModule;
  api = new callsModule.Api();
  const argv = process.argv.slice(2);
  if (argv.length === 2 && argv[0] === '-X' && argv[1] === 'dev') reference.setDevMode(true);
  else if (argv.length > 0) fatal(`unknown arguments ${JSON.stringify(argv.join(' '))} (the driver takes only -X dev)`);
  // The factory is called once and what it returned closed, as the protocol asks.
  const probe = reference.newEventLoop();
  if (typeof probe.runForever !== 'function') throw new Error('newEventLoop() did not return an event loop');
  probe.close();
} catch (err) {
  fatal(`cannot make a reference loop: ${(err as Error).message}`);
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

// ---------------------------------------------------------------------------
// Errors crossing the protocol: converted here, in one place.

/** Malformed request or unknown op: the protocol's own error class. */
class ProtocolError extends errors.Exception {
  static override pyModule = 'loopspec';
}

function describeError(err: unknown): PyExceptionInfo {
  // The protocol's own error is not a Python class of the loop: no bases (as the Python driver).
  if (err instanceof ProtocolError) return { type: 'ProtocolError', bases: [], module: 'loopspec', message: err.message, errno: null };
  if (err instanceof errors.BaseException) return errors.describeException(err);
  const converted = errors.fromSystemError(err);
  if (converted instanceof errors.BaseException) return errors.describeException(converted);
  const message = err instanceof Error ? err.message : String(err);
  const generic = ['Exception', 'BaseException', 'object'];
  // Argument checks of the typed native layer are Python's TypeError/ValueError.
  if (err instanceof TypeError) return { type: 'TypeError', bases: generic, module: 'builtins', message, errno: null };
  if (err instanceof RangeError) return { type: 'ValueError', bases: generic, module: 'builtins', message, errno: null };
  process.stderr.write(`reference driver: internal error: ${err instanceof Error ? err.stack ?? message : message}\n`);
  return { type: 'InternalError', bases: generic, module: 'loopspec.reference', message, errno: null };
}

// ---------------------------------------------------------------------------
// Argument helpers: malformed args are a ProtocolError.

function obj(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof PyFloat) {
    throw new ProtocolError(`${what} must be an object`);
  }
  return value as Json;
}

function str(args: Json, key: string): string {
  const v = args[key];
  if (typeof v !== 'string') throw new ProtocolError(`args.${key} must be a string`);
  return v;
}

function bool(args: Json, key: string, dflt?: boolean): boolean {
  const v = args[key];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'boolean') throw new ProtocolError(`args.${key} must be a boolean`);
  return v;
}

function num(args: Json, key: string): number {
  const v = toNumber(args[key]);
  if (v === undefined) throw new ProtocolError(`args.${key} must be a number`);
  return v;
}

/** A JSON value as the loop receives it: PyFloat stays a (non-int) object so int checks fail as in Python. */
function loopValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  return v;
}

interface CallbackSpec {
  name: string;
  args: unknown[];
  actions: Json[];
}

function callbackSpec(value: unknown): CallbackSpec {
  const spec = obj(value, 'callback');
  if (typeof spec.name !== 'string') throw new ProtocolError('callback.name must be a string');
  const args = spec.args ?? [];
  if (!Array.isArray(args)) throw new ProtocolError('callback.args must be a list');
  const actions = spec.actions ?? [];
  if (!Array.isArray(actions)) throw new ProtocolError('callback.actions must be a list');
  const checked = actions.map((a, i) => {
    const action = obj(a, `callback.actions[${i}]`);
    if (!['stop', 'schedule', 'cancel', 'call', 'return', 'raise', 'block'].includes(action.do as string)) {
      throw new ProtocolError(`unknown action ${stringify(action.do)}`);
    }
    if (action.do === 'schedule') {
      str(action, 'method');
      callbackSpec(action.callback);
    }
    if (action.do === 'cancel' && typeof action.callback !== 'string') str(action, 'handle');
    if (action.do === 'block') num(action, 'seconds');
    return action;
  });
  return { name: spec.name, args, actions: checked };
}

// ---------------------------------------------------------------------------
// The session: one scenario's loop and everything it named.

/** Records nothing but the loss of the connection, so close_conn can wait for it. */
function makeRecordingProtocol(loop: Loop): import('../../reference').Protocol & { lost: Future<void> } {
  class RecordingProtocol extends reference.Protocol {
    readonly lost: Future<void> = loop.createFuture<void>();
    override connectionLost(): void {
      if (!this.lost.done()) this.lost.setResult(undefined);
    }
  }
  return new RecordingProtocol();
}

type Conn =
  | { kind: 'transport'; loop: Loop; transport: Transport; protocol: { lost: Future<void> } }
  | { kind: 'socket'; loop: Loop; sock: Socket };

/** Runs the connection's loop until its protocol saw connection_lost, at most CLOSE_WAIT_S. */
function waitLost(conn: Conn & { kind: 'transport' }): void {
  const loop = conn.loop;
  if (conn.protocol.lost.done() || loop.isClosed() || loop.isRunning()) return;
  const waiter = loop.createFuture<void>();
  const settle = (): void => {
    if (!waiter.done()) waiter.setResult(undefined);
  };
  conn.protocol.lost.addDoneCallback(settle);
  const timer = loop.callLater(CLOSE_WAIT_S, settle);
  try {
    loop.runUntilComplete(waiter);
  } finally {
    timer.cancel();
  }
}

interface Watch {
  fd: number;
  ends: [Socket, Socket];
  loop: Loop;
}

class Session {
  private loop: Loop | null = null;
  private loops: Loop[] = [];
  private events: Json[] = [];
  private readonly handles = new Map<string, Handle>();
  /** Callback name -> id of the last handle made for it (the cancel action's {"callback": "B"}). */
  private readonly latestHandle = new Map<string, string>();
  private readonly files = new Map<string, BinaryFile>();
  private readonly conns = new Map<string, Conn>();
  private readonly watches = new Map<string, Watch>();
  private socketPairs: Array<[import('../../reference').Socket, import('../../reference').Socket]> = [];
  private threadList: OtherThread[] = [];
  private counters = { h: 0, f: 0, c: 0, w: 0, t: 0, o: 0 };
  /** The call operation's objects and values (adapters/reference/calls.ts). */
  private calls = this.newCalls();
  private fdSnapshot: Set<number> | null = null;
  /** The processes below the driver and its process state before the scenario (containment). */
  private processBaseline = processSnapshot();
  /** The bench op's, between its echo_server and serve trials. */
  private echoServer: import('./bench').EchoServer | import('./bench').SockEchoServer | null = null;

  // -- names ------------------------------------------------------------------

  private newCalls(): import('./calls').Calls {
    return new callsModule.Calls({
      reference, errors, ProtocolError,
      loop: () => this.currentLoop(),
      newId: (prefix) => this.newId(prefix),
      record: (event) => this.record(event),
      makeCallback: (loop, spec) => this.makeCallback(callbackSpec(spec), loop),
      describeError: (err) => describeError(err) as unknown as Json,
      madeHandle: (name, id) => this.latestHandle.set(name, id),
      modules: { asyncio: reference.asyncio, 'concurrent.futures': reference.concurrentFutures, contextvars: reference.contextvars, selectors: reference.selectors, socket: reference.socket, pathlib: reference.pathlib },
    }, api);
  }

  private newId(prefix: 'h' | 'f' | 'c' | 'w' | 't' | 'o'): string {
    this.counters[prefix]++;
    return `${prefix}${this.counters[prefix]}`;
  }

  private currentLoop(): Loop {
    if (this.loop === null) throw new ProtocolError('no loop: send new_loop first');
    return this.loop;
  }

  private lookup<T>(table: Map<string, T>, id: unknown, what: string): T {
    const found = typeof id === 'string' ? table.get(id) : undefined;
    if (found === undefined) throw new ProtocolError(`unknown ${what} ${stringify(id)}`);
    return found;
  }

  // -- the event log ----------------------------------------------------------

  /** Appends an event (after any thread outcome that is already known). */
  record(event: Json): void {
    this.pollThreads();
    this.events.push(event);
  }

  /**
   * Logs the outcome of threads started with wait=false. A thread marks its
   * outcome in shared memory before the loop can see its callback, so its
   * thread_done comes before that callback's "called" event.
   */
  private pollThreads(): void {
    for (const t of this.threadList) {
      if (t.reported || t.wait) continue;
      const state = t.state;
      if (state === threads.ThreadState.RUNNING) continue;
      t.reported = true;
      if (state === threads.ThreadState.DONE) this.events.push({ event: 'thread_done', handle: t.handleId });
      else this.events.push({ event: 'thread_error', error: this.threadError(t) });
    }
  }

  private threadError(t: OtherThread): PyExceptionInfo {
    if (t.state === threads.ThreadState.LOOP_CLOSED) return describeError(new errors.RuntimeError('Event loop is closed'));
    return describeError(t.failure ?? new Error('the thread failed'));
  }

  // -- callbacks from specs ---------------------------------------------------

  private makeCallback(spec: CallbackSpec, loop: Loop): (...args: unknown[]) => unknown {
    const callback = (...received: unknown[]): unknown => {
      this.record({ event: 'called', name: spec.name, args: received.map((a) => this.calls.encode(a)), time: pyFloat(loop.time()), thread: 'main' });
      let returned: unknown = null;
      const outer = this.calls.withCallbackArgs(received);
      try {
        for (const action of spec.actions) {
          if (action.do === 'return') {
            returned = this.calls.decode(action.value);
            continue;
          }
          // Out of the callback: this is how an exception reaches the loop.
          if (action.do === 'raise') throw new (this.calls.exceptionClass(action.exception))(...((action.args as unknown[] | undefined) ?? []).map(String));
          try {
            const result = this.perform(action, loop, spec.name);
            if (action.do === 'call' && action.returns === true) returned = result;
          } catch (err) {
            this.record({ event: 'action_error', name: spec.name, error: describeError(err) });
          }
        }
      } finally {
        this.calls.withCallbackArgs(outer);
      }
      return returned;
    };
    // Answers name it: {"callback": "A"}.
    Object.defineProperty(callback, 'loopspecName', { value: spec.name });
    // Run in an executor, a worker thread does the spec's work (adapters/reference/work.ts); the
    // work is read when run_in_executor takes the function, and its start is logged on arrival.
    Object.defineProperty(callback, 'work', { get: () => workModule.workOf(spec.name, spec.actions, (v) => this.calls.decode(v), (n) => this.calls.exceptionClass(n), ProtocolError) });
    Object.defineProperty(callback, 'workStarted', {
      value: (time: number, args: unknown[]) => this.record({ event: 'called', name: spec.name, args: args.map((a) => this.calls.encode(a)), time: pyFloat(time), thread: 'other' }),
    });
    return callback;
  }

  private perform(action: Json, loop: Loop, by: string): unknown {
    switch (action.do) {
      case 'stop':
        loop.stop();
        return;
      case 'block':
        callsModule.blockThread(num(action, 'seconds'));
        return;
      case 'call': {
        const { value, answer } = this.calls.invoke(action);
        this.record({ event: 'action_result', name: by, call: action.name, value: answer.value, type: answer.type, bases: answer.bases });
        return value;
      }
      case 'schedule': {
        const { handle } = this.schedule(action, loop);
        this.record({ event: 'scheduled', name: callbackSpec(action.callback).name, by, handle });
        return;
      }
      case 'cancel': {
        // {"callback": "B"}: the handle most recently made for B; {"handle": "h1"} is accepted too.
        const id = typeof action.callback === 'string' ? this.lookup(this.latestHandle, action.callback, 'handle made for callback') : action.handle;
        (this.calls.get(id) as Handle).cancel();
        return;
      }
      default:
        throw new ProtocolError(`unknown action ${stringify(action.do)}`);
    }
  }

  /** The schedule operation (also the schedule action). */
  private schedule(args: Json, loop: Loop): Json {
    const method = str(args, 'method');
    const spec = callbackSpec(args.callback);
    const fn = this.makeCallback(spec, loop);
    const number = args.number ?? 'float';
    if (number !== 'int' && number !== 'float') throw new ProtocolError('args.number must be "int" or "float"');
    // The value passed as the delay or when: int() or float() of the given number, as asked.
    const asked = (v: unknown): unknown => {
      const n = toNumber(v);
      if (n === undefined) return loopValue(v);
      return number === 'int' ? Math.trunc(n) : n;
    };
    let whenRequested: unknown = null;
    const timeBefore = loop.time();
    let handle: Handle;
    switch (method) {
      case 'call_soon':
        handle = loop.callSoon(fn, ...spec.args);
        break;
      case 'call_soon_threadsafe':
        handle = loop.callSoonThreadsafe(fn, ...spec.args);
        break;
      case 'call_later':
        if (!('delay' in args)) throw new ProtocolError('call_later needs args.delay');
        handle = loop.callLater(asked(args.delay) as number, fn, ...spec.args);
        break;
      case 'call_at': {
        let when: unknown;
        if ('when' in args) when = asked(args.when);
        else if ('when_offset' in args) when = asked(loop.time() + num(args, 'when_offset'));
        else throw new ProtocolError('call_at needs args.when or args.when_offset');
        whenRequested = typeof when === 'number' && number === 'float' ? pyFloat(when) : when;
        handle = loop.callAt(when as number, fn, ...spec.args);
        break;
      }
      default:
        throw new ProtocolError(`unknown schedule method ${stringify(method)}`);
    }
    const timeAfter = loop.time();
    const id = this.calls.ref(handle); // a call target too
    this.handles.set(id, handle);
    this.latestHandle.set(spec.name, id);
    const isTimer = handle instanceof reference.TimerHandle;
    return {
      handle: id,
      type: isTimer ? 'TimerHandle' : 'Handle',
      bases: isTimer ? ['Handle', 'object'] : ['object'],
      time_before: pyFloat(timeBefore),
      time_after: pyFloat(timeAfter),
      when_requested: whenRequested,
    };
  }

  // -- operations ---------------------------------------------------------------

  new_loop(): Json {
    if (this.fdSnapshot === null) this.fdSnapshot = new Set(native.openFds().map((e) => e.fd));
    const loop = reference.newEventLoop();
    this.loops.push(loop);
    this.loop = loop;
    reference.setEventLoop(loop);
    this.events = [];
    return { loop_class: reference.LOOP_CLASS, loop: this.calls.ref(loop) };
  }

  call(args: Json): Json {
    this.currentLoop();
    return this.calls.call(args);
  }

  get(args: Json): Json {
    this.currentLoop();
    return this.calls.getAttribute(args);
  }

  set(args: Json): Json {
    this.currentLoop();
    return this.calls.setAttribute(args);
  }

  scheduleOp(args: Json): Json {
    return this.schedule(args, this.currentLoop());
  }

  handle(args: Json): Json {
    const h = this.lookup(this.handles, args.handle, 'handle');
    const method = str(args, 'method');
    switch (method) {
      case 'cancel':
        h.cancel();
        return { value: null, value_type: 'NoneType' };
      case 'cancelled':
        return { value: h.cancelled(), value_type: 'bool' };
      case 'when':
        if (!(h instanceof reference.TimerHandle)) throw new errors.AttributeError("'Handle' object has no attribute 'when'");
        // The doc: "Return a scheduled callback time as float seconds."
        return { value: pyFloat(h.when()), value_type: 'float' };
      default:
        throw new ProtocolError(`unknown handle method ${stringify(method)}`);
    }
  }

  async from_thread(args: Json): Promise<Json> {
    const loop = this.currentLoop();
    const delay = args.delay === undefined ? 0 : num(args, 'delay');
    const wait = bool(args, 'wait', false);
    const sargs = obj(args.schedule, 'args.schedule');
    if (sargs.method !== 'call_soon_threadsafe') {
      // Only call_soon_threadsafe can cross JavaScript threads (they share no objects).
      throw new ProtocolError(`from_thread supports call_soon_threadsafe only, not ${stringify(sargs.method)}`);
    }
    const spec = callbackSpec(sargs.callback);
    const { handle, ticket } = loop.prepareThreadsafeCall(this.makeCallback(spec, loop), ...spec.args);
    const id = this.calls.ref(handle);
    this.handles.set(id, handle);
    this.latestHandle.set(spec.name, id);
    const thread = new threads.OtherThread(`loopspec-thread${this.newId('t').slice(1)}`, id, ticket, delay, wait);
    this.threadList.push(thread);
    if (!wait) return {};
    await thread.join();
    thread.reported = true;
    if (thread.state === threads.ThreadState.DONE) return { handle: id };
    if (thread.state === threads.ThreadState.LOOP_CLOSED) throw new errors.RuntimeError('Event loop is closed');
    throw thread.failure ?? new Error('the thread failed');
  }

  add_reader(args: Json): Json {
    const loop = this.currentLoop();
    const ready = bool(args, 'ready', false);
    const spec = callbackSpec(args.callback);
    const [writer, watched] = reference.Socket.pair();
    try {
      if (ready) writer.send(Buffer.from('!'));
      loop.addReader(watched.fileno(), this.makeCallback(spec, loop), ...spec.args);
    } catch (err) {
      writer.close();
      watched.close();
      throw err;
    }
    const id = this.newId('w');
    this.watches.set(id, { fd: watched.fileno(), ends: [writer, watched], loop });
    return { watch: id };
  }

  /** A connected pair (socket.socketpair(), blocking as made); end_scenario stops any watch on them and closes them. */
  socket_pair(): Json {
    this.currentLoop();
    const [a, b] = reference.Socket.pair();
    // Blocking, as Python's socket.socketpair() makes them (the reference's own are not).
    a.setblocking(true);
    b.setblocking(true);
    this.socketPairs.push([a, b]);
    return { a: this.calls.encode(a), b: this.calls.encode(b) };
  }

  /** A zero-filled buffer of `size` bytes, by ref (sock_recv_into's buf: Python's bytearray). */
  new_buffer(args: Json): Json {
    this.currentLoop();
    const size = args.size;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw new ProtocolError('size must be a size in bytes');
    const buf = Buffer.alloc(size);
    return { buffer: { ref: this.calls.ref(buf), type: 'bytearray', bases: ['object'] } };
  }

  /** What a buffer new_buffer made holds now. */
  read_buffer(args: Json): Json {
    this.currentLoop();
    const buf = this.calls.get(args.buffer);
    if (!Buffer.isBuffer(buf)) throw new ProtocolError(`${stringify(args.buffer)} is not a buffer new_buffer made`);
    return { value: { bytes: buf.toString('base64') } };
  }

  stop(): Json {
    this.currentLoop().stop();
    return {};
  }

  run_forever(): Json {
    const loop = this.currentLoop();
    const before = loop.time();
    loop.runForever();
    return { time_before: pyFloat(before), time_after: pyFloat(loop.time()) };
  }

  run_once(): Json {
    const loop = this.currentLoop();
    const before = loop.time();
    loop.callSoon(() => loop.stop());
    loop.runForever();
    return { time_before: pyFloat(before), time_after: pyFloat(loop.time()) };
  }

  run_until_complete(args: Json): Json {
    const loop = this.currentLoop();
    const awaitable = obj(args.awaitable, 'args.awaitable');
    if (awaitable.kind !== 'return') throw new ProtocolError(`unknown awaitable kind ${stringify(awaitable.kind)}`);
    const value = awaitable.value;
    // eslint-disable-next-line require-yield
    function* coro(): Coroutine<unknown> {
      return value;
    }
    return { value: loop.runUntilComplete(coro()) };
  }

  time(): Json {
    return { value: pyFloat(this.currentLoop().time()) };
  }

  is_running(): Json {
    return { value: this.currentLoop().isRunning() };
  }

  is_closed(): Json {
    return { value: this.currentLoop().isClosed() };
  }

  close(): Json {
    this.currentLoop().close();
    return {};
  }

  open_file(args: Json): Json {
    const file = reference.BinaryFile.open(str(args, 'path'));
    const id = this.newId('f');
    this.files.set(id, file);
    return { file: id };
  }

  file(args: Json): Json {
    const file = this.lookup(this.files, args.file, 'file');
    const method = str(args, 'method');
    if (method === 'tell') return { value: file.tell() };
    if (method === 'fileno') return { value: file.fileno() };
    if (method === 'close') {
      file.close();
      return { value: null };
    }
    throw new ProtocolError(`unknown file method ${stringify(method)}`);
  }

  connect(args: Json): Json {
    const loop = this.currentLoop();
    const kind = str(args, 'kind');
    const host = str(args, 'host');
    const port = num(args, 'port');
    const noSendfile = bool(args, 'no_sendfile_syscall', false);
    if (args.tls !== undefined && args.tls !== null) {
      throw new ProtocolError('the reference loop has no TLS (capability "tls" is not offered)');
    }
    const id = this.newId('c');
    if (kind === 'transport') {
      // no_sendfile_syscall: the reference has no TLS; its stand-in is a TCP
      // transport flagged as unable to use the syscall (kind "tcp-no-sendfile").
      let protocol: ReturnType<typeof makeRecordingProtocol> | null = null;
      const [made] = loop.runUntilComplete(loop.createConnection(() => (protocol = makeRecordingProtocol(loop)), host, port));
      const transport = made as Transport;
      transport.sendfileSyscallUsable = !noSendfile;
      this.conns.set(id, { kind: 'transport', loop, transport, protocol: protocol as unknown as { lost: Future<void> } });
      return { conn: id, kind: noSendfile ? 'tcp-no-sendfile' : 'tcp' };
    }
    if (kind === 'socket') {
      if (noSendfile) throw new ProtocolError('a plain socket cannot be made unable to use sendfile; use kind "transport"');
      const sock = reference.Socket.tcp(host.includes(':'));
      try {
        loop.runUntilComplete(loop.sockConnect(sock, [host, port]));
      } catch (err) {
        sock.close();
        throw err;
      }
      this.conns.set(id, { kind: 'socket', loop, sock });
      return { conn: id, kind: 'tcp' };
    }
    throw new ProtocolError(`unknown connection kind ${stringify(kind)}`);
  }

  sendfile(args: Json): Json {
    this.currentLoop();
    const api = str(args, 'api');
    const conn = this.lookup(this.conns, args.conn, 'connection');
    const loop = conn.loop;
    const file = this.lookup(this.files, args.file, 'file');
    // Arguments left out of the request are left out of the call (the loop's defaults apply).
    const offset = 'offset' in args ? (loopValue(args.offset) as number) : undefined;
    const count = 'count' in args ? (loopValue(args.count) as number | null) : undefined;
    const fallback = 'fallback' in args ? (args.fallback as boolean) : undefined;
    if (api === 'sendfile') {
      if (conn.kind !== 'transport') throw new ProtocolError('api "sendfile" needs a transport connection');
      return { value: loop.runUntilComplete(loop.sendfile(conn.transport, file, offset, count, fallback)) };
    }
    if (api === 'sock_sendfile') {
      if (conn.kind !== 'socket') throw new ProtocolError('api "sock_sendfile" needs a socket connection');
      return { value: loop.runUntilComplete(loop.sockSendfile(conn.sock, file, offset, count, fallback)) };
    }
    throw new ProtocolError(`unknown sendfile api ${stringify(api)}`);
  }

  close_conn(args: Json): Json {
    const conn = this.lookup(this.conns, args.conn, 'connection');
    if (conn.kind === 'socket') {
      conn.sock.close();
      return {};
    }
    conn.transport.close();
    waitLost(conn);
    return {};
  }

  bench(args: Json): Json {
    const loop = this.currentLoop();
    const trial = str(args, 'trial');
    let result: Json;
    if (trial === 'echo_server') {
      if (this.echoServer) throw new ProtocolError('this scenario has an echo server already');
      const style = args.style ?? 'protocol';
      if (style !== 'protocol' && style !== 'sockets') throw new ProtocolError('args.style must be "protocol" or "sockets"');
      this.echoServer = style === 'protocol' ? new benchModule.EchoServer(loop) : new benchModule.SockEchoServer(loop);
      result = { port: this.echoServer.port() };
    } else if (trial === 'serve') {
      const seconds = num(args, 'seconds');
      if (!(seconds > 0)) throw new ProtocolError('args.seconds must be a positive number');
      const server = this.echoServer;
      if (!server) throw new ProtocolError('no echo server: run the echo_server trial first');
      this.echoServer = null;
      result = server.serve(seconds);
    } else {
      const run = Object.prototype.hasOwnProperty.call(benchModule.TIMED, trial) ? benchModule.TIMED[trial] : undefined;
      if (run === undefined) throw new ProtocolError(`unknown bench trial ${stringify(trial)}`);
      const n = args.n;
      if (!isPyInt(n) || Number(n) <= 0) throw new ProtocolError('args.n must be a positive int');
      result = { ...run(loop, Number(n)), n: Number(n) };
    }
    return { ...result, peak_rss_bytes: benchModule.peakRss() };
  }

  eventsOp(): Json {
    this.pollThreads();
    return { events: this.events.slice() };
  }

  async end_scenario(): Promise<Json> {
    const leaks: string[] = [];
    let dirty = false;
    const usable = (loop: Loop): boolean => !loop.isClosed() && !loop.isRunning();

    // Connections: transports are closed and the loop run until connection_lost.
    for (const conn of this.conns.values()) {
      try {
        if (conn.kind === 'socket') {
          conn.sock.close();
          continue;
        }
        if (usable(conn.loop)) {
          conn.transport.close();
          waitLost(conn);
        }
      } catch (err) {
        process.stderr.write(`end_scenario: closing a connection: ${String(err)}\n`);
      } finally {
        // Whatever happened (the loop may be closed already), the socket goes.
        if (conn.kind === 'transport') conn.transport.socket.close();
      }
    }
    for (const note of this.calls.closeStreams()) process.stderr.write(`${note}\n`);
    if (this.echoServer && usable(this.echoServer.loop)) {
      try {
        this.echoServer.close();
      } catch (err) {
        process.stderr.write(`end_scenario: closing the echo server: ${String(err)}\n`);
      }
    }
    this.echoServer = null;
    for (const file of this.files.values()) file.close();
    for (const watch of this.watches.values()) {
      if (!watch.loop.isClosed()) watch.loop.removeReader(watch.fd);
      watch.ends[0].close();
      watch.ends[1].close();
    }
    // The socket pairs' ends: what the scenario left watching them is removed while the loops
    // are open (a loop must not be left polling a closed descriptor), then they close.
    for (const end of this.socketPairs.flat()) {
      if (end.fileno() !== -1) {
        for (const loop of this.loops) {
          if (!usable(loop)) continue;
          loop.removeReader(end.fileno());
          loop.removeWriter(end.fileno());
        }
      }
      end.close();
    }
    this.socketPairs = [];

    // Loops: cancel and run out pending tasks, then close (those the calls made too).
    for (const loop of [...this.loops, ...this.calls.loopsMade(this.loops)]) {
      if (usable(loop)) {
        const pending = loop.allTasks();
        for (const task of pending) task.cancel();
        for (let i = 0; i < 100 && loop.allTasks().length > 0; i++) {
          loop.callSoon(() => loop.stop());
          loop.runForever();
        }
      }
      const left = loop.allTasks().length;
      if (left > 0) leaks.push(`${left} task${left === 1 ? '' : 's'} still pending when the loop was closed`);
      if (!loop.isRunning()) loop.close();
    }
    // Coroutine objects made from specs that no task ran to its end (the loops are closed now).
    this.calls.closeAll();

    // Threads: those still sleeping give up (the scenario is over: nothing to
    // schedule on), then all are joined for at most THREAD_JOIN_TIMEOUT_S.
    for (const t of this.threadList) t.abandon();
    const deadline = Date.now() + THREAD_JOIN_TIMEOUT_S * 1000;
    for (const t of this.threadList) {
      const ok = await t.join(Math.max(0, (deadline - Date.now()) / 1000));
      if (!ok) {
        leaks.push(`thread '${t.name}' still alive`);
        await t.terminate();
      }
    }
    // Executors: those the calls made are shut down (the loops shut their default ones), then
    // every pool thread is joined by the same deadline.
    for (const executor of this.calls.executorsMade()) executor.shutdown(false);
    for (const t of reference.poolThreads()) {
      if (!(await t.join(Math.max(0, (deadline - Date.now()) / 1000)))) {
        leaks.push(`thread '${t.name}' still alive`);
        await t.terminate();
      }
    }

    // Descriptors: what the addon opened since new_loop and is still open.
    const before = this.fdSnapshot ?? new Set<number>();
    const left = native.openFds().filter((e) => !before.has(e.fd) && e.fd !== protocolFd);
    if (left.length > 0) {
      leaks.push(`${left.length} file descriptor${left.length === 1 ? '' : 's'} left open: ${left.map((e) => e.kind).join(', ')}`);
      for (const e of left) {
        try {
          native.close(e.fd);
        } catch {
          dirty = true;
        }
      }
    }

    // Processes: every new one below the driver, whatever session it moved to, is named and
    // ended; then the process state the next scenario would inherit.
    const baseline = this.processBaseline;
    const leftRunning = descendantsOf(process.pid).filter((pid) => !baseline.processes.has(pid));
    leaks.push(...leftRunning.map(describeProcess));
    if (leftRunning.length > 0 && !endLeftovers(leftRunning, baseline.processes)) {
      leaks.push('the driver could not end the processes the scenario left');
      dirty = true;
    }
    const changes = baseline.state.changes();
    leaks.push(...changes);
    if (changes.length > 0) dirty = true;

    this.loop = null;
    this.loops = [];
    this.events = [];
    this.handles.clear();
    this.latestHandle.clear();
    this.files.clear();
    this.conns.clear();
    this.watches.clear();
    this.threadList = [];
    this.counters = { h: 0, f: 0, c: 0, w: 0, t: 0, o: 0 };
    this.calls = this.newCalls();
    this.fdSnapshot = null;
    reference.setEventLoop(null);
    // A scenario may have set a policy of its own: the next one starts with a default policy.
    reference.setEventLoopPolicy(null);
    this.processBaseline = processSnapshot();
    return { leaks, dirty };
  }
}

// ---------------------------------------------------------------------------
// The request loop.

const session = new Session();
// Each call of a loop's default exception handler is logged as an event. The driver listens
// to the loop's logger (reference/log.ts) instead of setting a handler of its own, so that
// get_exception_handler() and set_exception_handler(None) see the loop as the scenario left it.
reference.logger.addHandler((record) => {
  if (record.level !== 'error') return;
  session.record({
    event: 'exception_handler',
    message: record.message,
    exception: record.exception === undefined || record.exception === null ? null : describeError(record.exception),
  });
});

const OPERATIONS: Record<string, (args: Json) => Json | Promise<Json>> = {
  new_loop: () => session.new_loop(),
  schedule: (a) => session.scheduleOp(a),
  handle: (a) => session.handle(a),
  from_thread: (a) => session.from_thread(a),
  add_reader: (a) => session.add_reader(a),
  socket_pair: () => session.socket_pair(),
  new_buffer: (a) => session.new_buffer(a),
  read_buffer: (a) => session.read_buffer(a),
  stop: () => session.stop(),
  run_forever: () => session.run_forever(),
  run_once: () => session.run_once(),
  run_until_complete: (a) => session.run_until_complete(a),
  time: () => session.time(),
  is_running: () => session.is_running(),
  is_closed: () => session.is_closed(),
  close: () => session.close(),
  open_file: (a) => session.open_file(a),
  file: (a) => session.file(a),
  connect: (a) => session.connect(a),
  sendfile: (a) => session.sendfile(a),
  close_conn: (a) => session.close_conn(a),
  call: (a) => session.call(a),
  get: (a) => session.get(a),
  set: (a) => session.set(a),
  events: () => session.eventsOp(),
  end_scenario: () => session.end_scenario(),
  bench: (a) => session.bench(a),
  shutdown: () => ({}),
};

async function handleLine(line: string): Promise<void> {
  if (line.trim() === '') return;
  let id: unknown = null;
  let op = '';
  try {
    const request = obj(parse(line), 'a request');
    id = request.id ?? null;
    if (!isPyInt(id) && typeof id !== 'string') throw new ProtocolError('a request needs an id');
    if (typeof request.op !== 'string') throw new ProtocolError('a request needs an op');
    op = request.op;
    const run = Object.prototype.hasOwnProperty.call(OPERATIONS, op) ? OPERATIONS[op] : undefined;
    if (run === undefined) throw new ProtocolError(`unknown op ${stringify(op)}`);
    const args = obj(request.args ?? {}, 'args');
    const result = await run(args);
    writeLine({ id, ok: true, result });
  } catch (err) {
    const error = err instanceof SyntaxError ? describeError(new ProtocolError(`not JSON: ${err.message}`)) : describeError(err);
    writeLine({ id, ok: false, error });
  }
  if (op === 'shutdown') exitDriver();
}

/** Exits, and every process below the driver (all its loops started, in any session) with it. */
function exitDriver(): never {
  endLeftovers(descendantsOf(process.pid), new Set());
  process.exit(0);
}

/** What a scenario left, after SIGTERM and a short grace, SIGKILLed; false if some survive. */
function endLeftovers(pids: number[], keep: ReadonlySet<number>): boolean {
  return endProcesses(pids, { keep, adopt: (child) => !keep.has(child), graceMs: 300, killWaitMs: 2000, reap: (pid) => native.reap(pid) });
}

function processSnapshot(): { processes: Set<number>; state: ProcessState } {
  return { processes: new Set(descendantsOf(process.pid)), state: new ProcessState() };
}

writeLine({
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  implementation: { name: 'loopspec-reference', version: packageVersion() },
  language: { name: 'python', version: LANGUAGE_VERSION },
  loop: 'loopspec/reference:newEventLoop',
  loop_class: reference.LOOP_CLASS,
  capabilities: CAPABILITIES,
});

let chain: Promise<void> = Promise.resolve();
const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (line) => {
  chain = chain.then(() => handleLine(line));
});
input.on('close', () => {
  void chain.then(() => exitDriver());
});
