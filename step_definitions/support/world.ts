// The World: the record of one scenario. Steps are one-liners calling its verbs; it sends
// operations to the driver and keeps what came back: results, the error not yet checked,
// the callbacks' names and handles, the file and the connection in play.
import { World, IWorldOptions } from '@cucumber/cucumber';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DriverClient } from '../../adapters/driver-client';
import { LoopError } from '../../adapters/errors';
import { Peer, PeerOptions } from './peers';
import { testCertificate } from './certificate';
import { CallResult, CoroutineSpec, CoroutineStep, isRef, py, Value } from './values';
import { check } from './parameters';

export type Action =
  | { do: 'stop' }
  | { do: 'cancel'; callback: string }
  | ({ do: 'schedule' } & ScheduleArgs)
  | { do: 'call'; target: string; name: string; args?: Value[]; kwargs?: Record<string, Value>; returns?: boolean }
  | { do: 'raise'; exception: string }
  | { do: 'block'; seconds: number }
  | { do: 'return'; value: Value };

export interface CallbackSpec { name: string; args: unknown[]; actions: Action[] }

export interface ScheduleArgs {
  method: 'call_soon' | 'call_soon_threadsafe' | 'call_later' | 'call_at';
  callback: CallbackSpec;
  delay?: number;
  when?: number;
  when_offset?: number;
  number?: 'int' | 'float';
  /** The `context` keyword: a named contextvars.Context of the scenario. */
  context?: string;
}

export interface Scheduled {
  name: string;
  handle: string;
  type?: string;
  bases?: string[];
  time_before?: number;
  time_after?: number;
  when_requested?: number | null;
  delay?: number;
}

export interface CalledEvent { event: 'called'; name: string; args: unknown[]; time: number; thread: string }
export type LoopEvent = CalledEvent | { event: string; [k: string]: unknown };

export interface RunRecord { time_before: number; time_after: number }

export class LoopWorld extends World {
  driver!: DriverClient;
  /** What each named callback does when called, declared before it is scheduled. */
  behaviours = new Map<string, Action[]>();
  /** Handles by callback name, most recent last. */
  handles = new Map<string, Scheduled[]>();
  /** An exception the loop raised that no `Then it raises` step has looked at yet. */
  unchecked: LoopError | undefined;
  /** Two reads of a server's sockets attribute, each kept as the object it returned. */
  socketReads: unknown[] | undefined;
  lastError: LoopError | undefined;
  lastRun: RunRecord | undefined;
  tmpdir: string | undefined;
  file: { id: string; path: string; size: number } | undefined;
  conn: { id: string; peer: Peer; kind: string } | undefined;
  peers: Array<{ close(): Promise<void> }> = [];
  connClosed = false;
  /** The scenario's loop, as the driver refers to it. */
  loopRef: string | undefined;
  /** The last documented method called by a step, and what it returned. */
  lastCall: CallResult | undefined;
  /** The scenario's named objects (future F, task T) and their refs. */
  objects = new Map<string, string>();
  /** Values the scenario noted by name (the port a server listens on: PORT). */
  values = new Map<string, unknown>();
  /** The kit's echo servers by the name of their port or address (PORT, SOCKET). */
  echoPeers = new Map<string, import('./echo-peer').EchoPeer>();
  /** The kit's UDP endpoints by the name of their port (PORT). */
  udpPeers = new Map<string, import('./udp-peer').UdpPeer>();
  /** The file system path behind each socket address the scenario made (support/socket-paths.ts). */
  socketPaths = new Map<string, string>();
  /** Where the scenario's Unix socket files go (support/socket-paths.ts); removed by cleanUp. */
  socketDir: string | undefined;
  /** The reactions of the scenario's protocols, by name (PROTOCOL.md, "Protocol specs"). */
  protocols = new Map<string, Record<string, Array<Record<string, unknown>>>>();
  /** The Python class of each named object, as it was when named. */
  objectTypes = new Map<string, string>();
  /** Error events a Then step has looked at (JSON): the After hook does not report them. */
  checkedEvents = new Set<string>();
  /** What each named coroutine does, declared before it is run. */
  coroutines = new Map<string, CoroutineStep[]>();
  /** Functions run in executors: the futures of each batch, when (wall clock, ms) each was submitted, when the loop was closed. */
  executorRuns = { batches: new Map<string, string[]>(), submittedMs: new Map<string, number>(), closedMs: undefined as number | undefined };

  constructor(options: IWorldOptions) {
    super(options);
  }

  // ---- talking to the driver -------------------------------------------------------------

  /** Sends an operation whose failure fails the step (the loop is not expected to raise). */
  async op(op: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    this.assertNothingUnchecked();
    return this.driver.request(op, args);
  }

  /**
   * Sends an operation the loop may answer with an exception: it is kept for a later
   * `Then it raises ...`; left unchecked, it fails the next step or the scenario.
   */
  async attempt(op: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown> | undefined> {
    this.assertNothingUnchecked();
    this.lastError = undefined;
    try {
      return await this.driver.request(op, args);
    } catch (err) {
      if (err instanceof LoopError) {
        this.lastError = err;
        this.unchecked = err;
        return undefined;
      }
      throw err;
    }
  }

  assertNothingUnchecked(): void {
    const e = this.unchecked;
    if (e) {
      this.unchecked = undefined;
      throw new Error(`unexpected exception: ${e.message}`);
    }
  }

  /** Marks the last exception as looked at and returns it. */
  takeError(): LoopError {
    const e = this.lastError;
    if (!e) throw new Error('expected the loop to raise, but the last operation returned normally');
    this.unchecked = undefined;
    return e;
  }

  // ---- documented methods (the call operation) ----------------------------------------------

  /** Calls a documented method on "loop", a module or an object ref; a raise fails the step. */
  async call(target: string, name: string, args: Value[] = [], kwargs: Record<string, Value> = {}): Promise<CallResult> {
    return (await this.op('call', { target, name, args, kwargs })) as unknown as CallResult;
  }

  /** Calls a documented method the loop may answer with an exception (see attempt()). */
  async attemptCall(target: string, name: string, args: Value[] = [], kwargs: Record<string, Value> = {}): Promise<CallResult | undefined> {
    return (await this.attempt('call', { target, name, args, kwargs })) as unknown as CallResult | undefined;
  }

  /** What the last call returned; its exception, if it raised one, fails the step. */
  lastResult(): CallResult {
    this.assertNothingUnchecked();
    if (!this.lastCall) throw new Error('no documented method was called before this step');
    return this.lastCall;
  }

  nameObject(name: string, r: CallResult): void {
    if (!isRef(r.value)) throw new Error(`${name} is not an object: the call returned ${JSON.stringify(r.value)}`);
    this.objects.set(name, r.value.ref);
    this.objectTypes.set(name, r.value.type);
  }

  objectRef(name: string): string {
    const ref = this.objects.get(name);
    if (!ref) throw new Error(`no object named ${name} in this scenario`);
    return ref;
  }

  /** A protocol spec: what the loop calls on protocol `name` is recorded, its reactions performed. */
  protocolSpec(name: string): { name: string; on: Record<string, Array<Record<string, unknown>>> } {
    return { name, on: this.protocols.get(name) ?? {} };
  }

  coroutineSpec(name: string): CoroutineSpec {
    return { name, steps: this.coroutines.get(name) ?? [] };
  }

  /** "returns \"done\"" | "raises a ValueError" | "calls asyncio.current_task()" */
  coroutineStep(verb: string, what: string): CoroutineStep {
    if (verb === 'returns') return { do: 'return', value: JSON.parse(what) as Value };
    if (verb === 'raises') return { do: 'raise', exception: what.replace(/^an? /, '') };
    const g = /^the first value of async generator ([A-Z][A-Z0-9]*), which yields (.+)$/.exec(what);
    if (verb === 'takes' && g) {
      const values = g[2].split(/, | and /).map((v) => JSON.parse(v) as Value);
      return { do: 'anext', value: { async_generator: { name: g[1], yields: values } } };
    }
    const m = /^(loop|asyncio|[A-Z][A-Z0-9]*)\.([a-z_]+)\(\)$/.exec(what);
    if (!m) throw new Error(`a coroutine calls a documented method, as in "calls loop.time()"; got "${what}"`);
    return { do: 'call', target: /^[A-Z]/.test(m[1]) ? this.objectRef(m[1]) : m[1], name: m[2] };
  }

  // ---- callbacks ---------------------------------------------------------------------------

  callbackSpec(name: string, args: unknown[] = [], seen = new Set<string>()): CallbackSpec {
    seen.add(name);
    const actions = (this.behaviours.get(name) ?? []).map((a): Action => {
      if (a.do !== 'schedule') return a;
      const inner = a.callback.name;
      if (seen.has(inner)) throw new Error(`callback ${name} schedules ${inner}, which leads back to ${name}`);
      return { ...a, callback: this.callbackSpec(inner, a.callback.args, new Set(seen)) };
    });
    return { name, args, actions };
  }

  /** Schedules a callback by calling the documented method (call_soon, call_later, ...). */
  async schedule(args: ScheduleArgs): Promise<void> {
    const number = (n: number): Value => (args.number === 'int' ? Math.trunc(n) : py.float(n));
    const timing: Value[] = [];
    if (args.method === 'call_later') timing.push(number(args.delay ?? 0));
    if (args.method === 'call_at') {
      timing.push(args.when !== undefined ? number(args.when) : py.loopTimePlus(args.when_offset ?? 0, args.number === 'int' ? 'int' : 'float'));
    }
    const callArgs = [...timing, py.callback(args.callback), ...args.callback.args];
    const kwargs = args.context ? { context: py.ref(this.objectRef(args.context)) } : {};
    const r = await this.attemptCall('loop', args.method, callArgs, kwargs);
    if (!r) return;
    check(isRef(r.value), `${args.method}() returned ${JSON.stringify(r.value)}, not a handle`);
    // The absolute `when` call_at was given: the number passed, or the loop time the driver resolved.
    const given = args.when === undefined ? undefined : args.number === 'int' ? Math.trunc(args.when) : args.when;
    this.remember({
      name: args.callback.name, handle: r.value.ref, type: r.type, bases: r.bases,
      time_before: r.time_before ?? undefined, time_after: r.time_after ?? undefined,
      when_requested: args.method !== 'call_at' ? null : given ?? r.resolved_times?.[0] ?? null,
      delay: args.delay,
    });
  }

  remember(s: Scheduled): void {
    const list = this.handles.get(s.name) ?? [];
    list.push(s);
    this.handles.set(s.name, list);
  }

  handleOf(name: string): Scheduled {
    this.assertNothingUnchecked(); // a failed scheduling explains a missing handle best
    const list = this.handles.get(name);
    if (!list || list.length === 0) throw new Error(`callback ${name} has no handle: was it scheduled?`);
    return list[list.length - 1];
  }

  async events(): Promise<LoopEvent[]> {
    const r = await this.op('events');
    const events = r.events as LoopEvent[];
    // Handles made by callbacks (a `schedule` action) become known by name here.
    for (const e of events) {
      if (e.event === 'scheduled' && typeof e.handle === 'string' && typeof e.name === 'string') {
        if (!(this.handles.get(e.name) ?? []).some((h) => h.handle === e.handle)) {
          this.remember({ name: e.name, handle: e.handle as string });
        }
      }
    }
    return events;
  }

  async calls(): Promise<CalledEvent[]> {
    return (await this.events()).filter((e): e is CalledEvent => e.event === 'called');
  }

  // ---- files and connections ----------------------------------------------------------------

  scenarioDir(): string {
    if (!this.tmpdir) this.tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-scenario-'));
    return this.tmpdir;
  }

  /**
   * A file of random bytes, written a MiB at a time: the kit never holds a whole file (up to
   * 64 MiB) in memory; checks read back the part they compare (fileBytes), which the loop only
   * ever reads.
   */
  async makeFile(size: number): Promise<void> {
    const file = path.join(this.scenarioDir(), `file-${size}.bin`);
    const fd = fs.openSync(file, 'w');
    try {
      for (let at = 0; at < size; at += 1 << 20) fs.writeSync(fd, crypto.randomBytes(Math.min(1 << 20, size - at)));
    } finally {
      fs.closeSync(fd);
    }
    const r = await this.op('open_file', { path: file });
    this.file = { id: String(r.file), path: file, size };
  }

  /** Bytes start..end (exclusive) of the scenario's file, as the kit wrote them. */
  fileBytes(start = 0, end = this.file!.size): Buffer {
    const out = Buffer.alloc(Math.max(0, end - start));
    const fd = fs.openSync(this.file!.path, 'r');
    try {
      fs.readSync(fd, out, 0, out.length, start);
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }

  async connect(kind: 'transport' | 'socket', opts: { noSendfile?: boolean; resetAfterBytes?: number } = {}): Promise<void> {
    const hasTls = (this.driver.hello?.capabilities ?? []).includes('tls');
    const useTls = Boolean(opts.noSendfile && hasTls);
    const peerOptions: PeerOptions = { tls: useTls, resetAfterBytes: opts.resetAfterBytes };
    const peer = await Peer.listen(peerOptions);
    this.peers.push(peer);
    const r = await this.op('connect', {
      kind, host: '127.0.0.1', port: peer.port,
      tls: useTls ? { cafile: testCertificate().certPath, server_hostname: 'localhost' } : null,
      no_sendfile_syscall: Boolean(opts.noSendfile),
    });
    this.conn = { id: String(r.conn), peer, kind: String(r.kind ?? kind) };
    this.connClosed = false;
  }

  /** Closes the loop's side of the connection and waits for the peer to see the end. */
  async finishConnection(): Promise<Peer> {
    if (!this.conn) throw new Error('no connection was made');
    if (!this.connClosed) {
      this.connClosed = true;
      await this.op('close_conn', { conn: this.conn.id });
    }
    if (!(await this.conn.peer.waitForEnd(3000))) {
      throw new Error('the peer never saw the connection end after the loop closed it');
    }
    return this.conn.peer;
  }

  // ---- end of scenario ----------------------------------------------------------------------

  async cleanUp(): Promise<void> {
    await Promise.all(this.peers.map((p) => p.close()));
    this.peers = [];
    if (this.tmpdir) fs.rmSync(this.tmpdir, { recursive: true, force: true });
    if (this.socketDir) fs.rmSync(this.socketDir, { recursive: true, force: true });
  }

  /** The ref of what a call returned (an object). */
  refOf(r: CallResult): string {
    if (!isRef(r.value)) throw new Error(`the call returned ${JSON.stringify(r.value)}, not an object`);
    return r.value.ref;
  }
}
