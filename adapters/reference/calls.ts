/**
 * The documented API as protocol operations, for the reference loop
 * (adapters/PROTOCOL.md, "Calls"; the Python twin is adapters/python/loopspec_api.py).
 *
 * A call names a documented method by its Python name on a target ("loop", a module, or an
 * object an earlier call returned); the allow-list adapters/api.json says which names exist
 * and gives their documented signatures. The reference loop spells them in camelCase
 * (call_soon -> callSoon) and takes keyword arguments by position in the documented order,
 * so a signature is all this file needs to call a method: adding one is a line of api.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PyFloat, pyFloat, stringify, toNumber } from './pyjson';
import { ROOT } from '../adapter-spec';

type Reference = typeof import('../../reference');
type Errors = typeof import('../../reference/errors');
type Loop = import('../../reference').UnixSelectorEventLoop;
type Coroutine<T> = import('../../reference').Coroutine<T>;
type Json = Record<string, unknown>;

export interface Param { name: string; kind: 'positional' | 'varargs' | 'keyword' }
export interface Signature { isAsync: boolean; attribute: boolean; returns: string | null; params: Param[] }

/** "async (sock, file, offset=0, *, fallback=True) -> int" as data. */
export function parseSignature(text: string): Signature {
  if (text === 'attribute') return { isAsync: false, attribute: true, returns: null, params: [] };
  const m = /^(async )?\((.*)\)(?: -> (\w+))?$/.exec(text);
  if (!m) throw new Error(`api.json: cannot read the signature ${JSON.stringify(text)}`);
  const params: Param[] = [];
  let keywordOnly = false;
  for (const raw of m[2].split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === '*') {
      keywordOnly = true;
      continue;
    }
    if (raw.startsWith('*')) {
      params.push({ name: raw.replace(/^\*+/, ''), kind: 'varargs' });
      keywordOnly = true;
      continue;
    }
    params.push({ name: raw.split('=')[0], kind: keywordOnly ? 'keyword' : 'positional' });
  }
  return { isAsync: Boolean(m[1]), attribute: false, returns: m[3] ?? null, params };
}

type Entry = Record<string, string>;

/** adapters/api.json, the allow-list both drivers read. */
export class Api {
  private readonly entries: Record<string, Entry>;

  constructor(file = path.join(ROOT, 'adapters', 'api.json')) {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete data.about;
    this.entries = data as Record<string, Entry>;
  }

  /** Whether the allow-list has an entry of this name. */
  has(kind: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.entries, kind);
  }

  names(kind: string): Entry {
    const entry = this.entries[kind] ?? {};
    const own: Entry = {};
    for (const [k, v] of Object.entries(entry)) if (k !== 'doc' && k !== 'inherits') own[k] = v;
    return entry.inherits ? { ...this.names(entry.inherits), ...own } : own;
  }

  signature(kinds: string[], name: unknown, ProtocolError: new (m: string) => Error): Signature {
    for (const kind of kinds) {
      const text = typeof name === 'string' && Object.prototype.hasOwnProperty.call(this.names(kind), name) ? this.names(kind)[name] : undefined;
      if (text !== undefined) return parseSignature(text);
    }
    throw new ProtocolError(`${String(name)} is not a documented name of ${kinds.join(' / ') || 'this object'} (adapters/api.json)`);
  }
}

/** call_soon -> callSoon; a special method keeps its Python name (__aenter__: the reference has it so). */
export function camel(name: string): string {
  if (/^__[a-z]+__$/.test(name)) return name;
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A frozen array is the reference's tuple (Server.sockets): it crosses as one. */
function isTuple(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.isFrozen(value);
}

/** What the Calls of a session need from the driver. */
export interface CallHost {
  reference: Reference;
  errors: Errors;
  ProtocolError: new (m: string) => Error;
  loop(): Loop;
  newId(prefix: 'o'): string;
  record(event: Json): void;
  makeCallback(loop: Loop, spec: unknown): (...args: unknown[]) => unknown;
  describeError(err: unknown): Json;
  /** A call made a handle for the callback spec named `name` (the cancel action's lookup). */
  madeHandle(name: string, id: string): void;
  /** asyncio's module-level functions, as the reference has them. */
  modules: Record<string, Record<string, unknown>>;
}

/** What a protocol spec's reactions may do (PROTOCOL.md, "Protocol specs"). */
const PROTOCOL_REACTIONS = ['write_back', 'write', 'write_eof', 'close', 'abort', 'pause_reading', 'resume_reading', 'keep_open'];

const TAGS = ['float', 'bytes', 'counted_bytes', 'tuple', 'dict', 'ref', 'callback', 'coroutine', 'protocol_factory', 'exception', 'loop_time_plus', 'arg', 'async_generator'] as const;

/** The allow-list's entry of a class whose name is not the entry's (api.json's "loop", "socket.socket"). */
const KIND_OF_CLASS: Record<string, string> = { AbstractEventLoop: 'loop', socket: 'socket.socket', TransportSocket: 'socket.socket' };

/** A tuple crossing back: kept apart from lists, as Python keeps them. */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

export class Calls {
  private readonly byId = new Map<string, unknown>();
  private readonly ids = new Map<unknown, string>();
  private resolvedTimes: unknown[] = [];
  /** Callback specs decoded for the call being made (the cancel action finds handles by them). */
  private callbackNames: string[] = [];
  /** The arguments of the callback whose actions are running: {"arg": N} reads them. */
  private callbackArgs: unknown[] | null = null;
  /** Coroutine objects made from specs, closed at the end of the scenario if never run. */
  readonly coroutines: Coroutine<unknown>[] = [];

  constructor(private readonly host: CallHost, private readonly api: Api) {}

  /** Sets the running callback's arguments; returns what to restore. */
  withCallbackArgs(received: unknown[] | null): unknown[] | null {
    const outer = this.callbackArgs;
    this.callbackArgs = received;
    return outer;
  }

  ref(obj: unknown): string {
    let id = this.ids.get(obj);
    if (id === undefined) {
      id = this.host.newId('o');
      this.ids.set(obj, id);
      this.byId.set(id, obj);
    }
    return id;
  }

  /** The object with this id (a ProtocolError if there is none). */
  get(id: unknown): unknown {
    if (typeof id !== 'string' || !this.byId.has(id)) throw new this.host.ProtocolError(`no object ${stringify(id)} in this scenario`);
    return this.byId.get(id);
  }

  // -- values in ---------------------------------------------------------------------------

  decode(value: unknown): unknown {
    if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint' || value instanceof PyFloat) return toNumber(value);
    if (Array.isArray(value)) return value.map((v) => this.decode(v));
    const tagged = value as Json;
    const tag = typeof value === 'object' ? TAGS.find((t) => t in tagged) : undefined;
    if (tag === undefined) throw new this.host.ProtocolError(`unknown value ${stringify(value)}: an object value is tagged with one of ${TAGS.join(', ')}`);
    const body = tagged[tag];
    switch (tag) {
      case 'float':
        return toNumber(body);
      case 'bytes':
        return Buffer.from(String(body), 'base64');
      case 'counted_bytes': {
        // N bytes of consecutive 32-bit big-endian counters from 0, made here rather than sent.
        const n = body;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n % 4 !== 0) throw new this.host.ProtocolError(`counted_bytes is a multiple of 4, got ${stringify(n)}`);
        const out = Buffer.allocUnsafe(n);
        for (let i = 0; i < n / 4; i++) out.writeUInt32BE(i, i * 4);
        return out;
      }
      case 'tuple':
        return (body as unknown[]).map((v) => this.decode(v));
      case 'dict': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(body as Json)) out[k] = this.decode(v);
        return out;
      }
      case 'ref':
        return this.get(body);
      case 'callback': {
        const name = (body as { name?: unknown } | null)?.name;
        if (typeof name === 'string') this.callbackNames.push(name);
        return this.host.makeCallback(this.host.loop(), body);
      }
      case 'coroutine':
        return this.coroutine(body);
      case 'exception':
        return new (this.exceptionClass(body))(...((tagged.args as unknown[] | undefined) ?? []).map(String));
      case 'arg': {
        const n = toNumber(body);
        if (this.callbackArgs === null) throw new this.host.ProtocolError('{"arg": N} is an argument of the running callback; no callback is running');
        if (n === undefined || n < 0 || n >= this.callbackArgs.length) throw new this.host.ProtocolError(`the callback received ${this.callbackArgs.length} arguments, not an argument ${stringify(body)}`);
        return this.callbackArgs[n];
      }
      case 'async_generator': {
        const spec = body as { name?: unknown; yields?: unknown };
        if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string') throw new this.host.ProtocolError('an async generator spec is an object with a name and yields');
        const name = spec.name;
        const values = ((spec.yields ?? []) as unknown[]).map((v) => this.decode(v));
        return new this.host.reference.AsyncGenerator(values, () => this.host.record({ event: 'asyncgen_closed', name }));
      }
      case 'protocol_factory':
        return this.protocolFactory(body);
      default: {
        // loop_time_plus: loop.time() + N when the call is made
        const when = this.host.loop().time() + (toNumber(body) ?? NaN);
        const value2 = tagged.as === 'int' ? Math.trunc(when) : when;
        this.resolvedTimes.push(tagged.as === 'int' ? value2 : pyFloat(value2));
        return value2;
      }
    }
  }

  exceptionClass(name: unknown): new (...args: string[]) => Error {
    const errors = this.host.errors as unknown as Record<string, unknown>;
    const key = name === 'TypeError' ? 'PyTypeError' : String(name);
    const cls = errors[key];
    if (typeof cls === 'function' && (cls === this.host.errors.BaseException || cls.prototype instanceof this.host.errors.BaseException)) {
      return cls as new (...args: string[]) => Error;
    }
    throw new this.host.ProtocolError(`${stringify(name)} is not an exception class the reference loop has`);
  }

  // -- values out --------------------------------------------------------------------------

  typeInfo(value: unknown): { type: string; bases: string[] } {
    const r = this.host.reference;
    if (value === null || value === undefined) return { type: 'NoneType', bases: ['object'] };
    if (typeof value === 'boolean') return { type: 'bool', bases: ['int', 'object'] };
    if (value instanceof PyFloat) return { type: 'float', bases: ['object'] };
    if (typeof value === 'number') return { type: Number.isInteger(value) ? 'int' : 'float', bases: ['object'] };
    if (typeof value === 'string') return { type: 'str', bases: ['object'] };
    if (Buffer.isBuffer(value)) return { type: 'bytes', bases: ['object'] };
    if (value instanceof PyTuple || isTuple(value)) return { type: 'tuple', bases: ['object'] };
    if (Array.isArray(value)) return { type: 'list', bases: ['object'] };
    if (Object.getPrototypeOf(value) === Object.prototype) return { type: 'dict', bases: ['object'] };
    if (value instanceof r.BaseEventLoop) return { type: 'UnixSelectorEventLoop', bases: ['BaseSelectorEventLoop', 'BaseEventLoop', 'AbstractEventLoop', 'object'] };
    if (value instanceof r.TimerHandle) return { type: 'TimerHandle', bases: ['Handle', 'object'] };
    if (value instanceof r.Handle) return { type: 'Handle', bases: ['object'] };
    if (value instanceof r.Task) return { type: 'Task', bases: ['Future', 'object'] };
    if (value instanceof r.Future) return { type: 'Future', bases: ['object'] };
    if (value instanceof r.SelectorSocketTransport) return { type: '_SelectorSocketTransport', bases: ['_SelectorTransport', '_FlowControlMixin', 'Transport', 'ReadTransport', 'WriteTransport', 'BaseTransport', 'object'] };
    if (value instanceof r.SelectorDatagramTransport) return { type: '_SelectorDatagramTransport', bases: ['_SelectorTransport', '_FlowControlMixin', 'Transport', 'ReadTransport', 'WriteTransport', 'DatagramTransport', 'BaseTransport', 'object'] };
    if (value instanceof r.Server) return { type: 'Server', bases: ['AbstractServer', 'object'] };
    if (value instanceof r.TransportSocket) return { type: 'TransportSocket', bases: ['object'] };
    if (value instanceof r.Socket) return { type: 'socket', bases: ['object'] };
    if (value instanceof r.Executor) return { type: value.constructor.name, bases: ['Executor', 'object'] };
    if (value instanceof r.AbstractEventLoopPolicy) return { type: value.constructor.name, bases: ['AbstractEventLoopPolicy', 'object'] };
    if (value instanceof r.BaseSelector) return { type: value.constructor.name, bases: selectorBases(value) };
    if (value instanceof r.ContextVar) return { type: 'ContextVar', bases: ['object'] };
    if (value instanceof r.Context) return { type: 'Context', bases: ['object'] };
    if (value instanceof this.host.errors.BaseException) {
      const d = this.host.describeError(value);
      return { type: String(d.type), bases: d.bases as string[] };
    }
    if (typeof value === 'function') return { type: 'function', bases: ['object'] };
    if (value instanceof this.host.reference.AsyncGenerator) return { type: 'async_generator', bases: ['object'] };
    if (isGenerator(value)) return { type: 'coroutine', bases: ['object'] };
    return { type: (value as object).constructor?.name ?? 'object', bases: ['object'] };
  }

  /**
   * The documented kinds of an object (api.json entries), most specific first: the entries
   * named by its class and bases, as the Python driver finds them in the MRO
   * (AbstractEventLoop is the entry "loop").
   */
  kindsOf(value: unknown): string[] {
    const { type, bases } = this.typeInfo(value);
    return [type, ...bases].map((name) => KIND_OF_CLASS[name] ?? name).filter((name) => this.api.has(name));
  }

  encode(value: unknown, returns: string | null = null): unknown {
    if (value === undefined || value === null) return null;
    if (typeof value === 'number') return returns === 'float' ? pyFloat(value) : value;
    if (typeof value === 'boolean' || typeof value === 'string' || value instanceof PyFloat) return value;
    if (Buffer.isBuffer(value)) return { bytes: value.toString('base64') };
    if (Array.isArray(value) && (returns === 'tuple' || isTuple(value))) return { tuple: value.map((v) => this.encode(v)) };
    if (Array.isArray(value)) return value.map((v) => this.encode(v));
    if (value instanceof PyTuple) return { tuple: value.items.map((v) => this.encode(v)) };
    if (Object.getPrototypeOf(value) === Object.prototype) {
      // A plain object is a dict with str keys (an exception handler's context).
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Json)) if (v !== undefined) out[k] = this.encode(v);
      return { dict: out };
    }
    const name = typeof value === 'function' ? (value as { loopspecName?: string }).loopspecName : undefined;
    const made = (value as { madeFromSpec?: { protocol: string; instance: number } }).madeFromSpec;
    return { ref: this.ref(value), ...this.typeInfo(value), ...(name === undefined ? {} : { callback: name }), ...(made ?? {}) };
  }

  private answer(value: unknown, returns: string | null, before: number | null, after: number | null): Json {
    const shown = returns === 'float' && typeof value === 'number' ? pyFloat(value) : returns === 'tuple' && Array.isArray(value) ? new PyTuple(value) : value;
    const out: Json = { value: this.encode(value, returns), ...this.typeInfo(shown), time_before: before === null ? null : pyFloat(before), time_after: after === null ? null : pyFloat(after) };
    if (this.resolvedTimes.length > 0) out.resolved_times = this.resolvedTimes;
    return out;
  }

  // -- targets -----------------------------------------------------------------------------

  private resolve(target: unknown): { obj: unknown; kinds: string[] } {
    if (target === undefined || target === 'loop') return { obj: this.host.loop(), kinds: ['loop'] };
    if (typeof target === 'string' && Object.prototype.hasOwnProperty.call(this.host.modules, target)) {
      return { obj: this.host.modules[target], kinds: [target] };
    }
    if (typeof target !== 'string') throw new this.host.ProtocolError('a target is "loop", a module or an object id');
    const obj = this.get(target);
    return { obj, kinds: this.kindsOf(obj) };
  }

  /** Checks a call; the function to call with its arguments, and its signature. */
  prepare(request: unknown): { fn: () => unknown; sig: Signature } {
    if (typeof request !== 'object' || request === null) throw new this.host.ProtocolError('a call is an object with target, name, args, kwargs');
    const req = request as Json;
    const { obj, kinds } = this.resolve(req.target);
    const name = req.name;
    const sig = this.api.signature(kinds, name, this.host.ProtocolError);
    if (sig.attribute) throw new this.host.ProtocolError(`${String(name)} is an attribute: read it with get`);
    const args = req.args ?? [];
    const kwargs = (req.kwargs ?? {}) as Json;
    if (!Array.isArray(args) || typeof kwargs !== 'object' || Array.isArray(kwargs)) throw new this.host.ProtocolError('args must be a list and kwargs an object');
    this.resolvedTimes = [];
    this.callbackNames = [];
    const positional = args.map((a) => this.decode(a));
    const keywords = Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, this.decode(v)]));
    const method = (obj as Record<string, unknown>)[camel(String(name))];
    if (typeof method !== 'function') {
      throw new this.host.errors.AttributeError(`'${this.typeInfo(obj).type}' object has no attribute '${String(name)}'`);
    }
    const callArgs = this.arrange(sig, positional, keywords, String(name));
    return { fn: () => (method as (...a: unknown[]) => unknown).apply(obj, callArgs), sig };
  }

  /** Positional and keyword arguments in the documented order, as the reference takes them. */
  private arrange(sig: Signature, positional: unknown[], keywords: Record<string, unknown>, name: string): unknown[] {
    const out = [...positional];
    const names = sig.params.filter((p) => p.kind !== 'varargs').map((p) => p.name);
    const hasVarargs = sig.params.some((p) => p.kind === 'varargs');
    const afterVarargs: Record<string, unknown> = {};
    for (const key of Object.keys(keywords)) {
      const at = names.indexOf(key);
      if (at < 0) throw new this.host.errors.PyTypeError(`${name}() got an unexpected keyword argument '${key}'`);
      if (hasVarargs && sig.params[sig.params.findIndex((p) => p.name === key)].kind === 'keyword') {
        // A keyword after *args cannot take a position: it goes in a trailing Kwargs (reference/kwargs.ts).
        afterVarargs[key] = keywords[key];
        continue;
      }
      while (out.length < at) out.push(undefined);
      out[at] = keywords[key];
    }
    if (Object.keys(afterVarargs).length > 0) out.push(new this.host.reference.Kwargs(afterVarargs));
    return out;
  }

  /** Makes a call: the value it returned and the answer to send. */
  invoke(request: unknown): { value: unknown; answer: Json } {
    const { fn, sig } = this.prepare(request);
    const loop = this.host.loop();
    const time = (): number | null => (loop.isClosed() ? null : loop.time());
    const before = time();
    const names = [...this.callbackNames];
    let result = fn();
    if (sig.isAsync && (request as Json).awaited !== false) result = this.host.loop().runUntilComplete(result as Coroutine<unknown>);
    else if (sig.isAsync && isGenerator(result)) this.coroutines.push(result as Coroutine<unknown>); // closed by closeAll(), never awaited
    if (result instanceof this.host.reference.Handle) for (const name of names) this.host.madeHandle(name, this.ref(result));
    return { value: result, answer: this.answer(result, sig.returns, before, time()) };
  }

  call(request: unknown): Json {
    // The warnings the call raised (PROTOCOL.md: the call answer's "warnings").
    const { result, warnings } = this.host.reference.catchWarnings(() => this.invoke(request));
    return { ...result.answer, warnings: warnings.map((w) => ({ type: w.type, bases: w.bases })) };
  }

  /** The object and property of a documented attribute, as get and set take it. */
  private attribute(request: Json): { obj: Record<string, unknown>; property: string } {
    const { obj, kinds } = this.resolve(request.target);
    const sig = this.api.signature(kinds, request.name, this.host.ProtocolError);
    if (!sig.attribute) throw new this.host.ProtocolError(`${String(request.name)} is a method, not an attribute: call it`);
    return { obj: obj as Record<string, unknown>, property: camel(String(request.name)) };
  }

  getAttribute(request: Json): Json {
    const { obj, property } = this.attribute(request);
    // A documented attribute the reference lacks raises, as Python's getattr() would.
    if (!(property in obj)) throw new this.host.errors.AttributeError(`'${this.typeInfo(obj).type}' object has no attribute '${String(request.name)}'`);
    const value = obj[property];
    const out = this.answer(value, null, null, null);
    // The object itself, by ref, whatever it is: a list too (Server.sockets' copy).
    if (request.keep === true) out.value = { ref: this.ref(value), ...this.typeInfo(value) };
    return out;
  }

  setAttribute(request: Json): Json {
    const { obj, property } = this.attribute(request);
    obj[property] = this.decode(request.value);
    return {};
  }


  // -- coroutine specs ---------------------------------------------------------------------

  private coroutine(body: unknown): Coroutine<unknown> {
    const spec = body as { name?: unknown; steps?: unknown; on_cancel?: unknown };
    if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string' || !Array.isArray(spec.steps ?? [])) {
      throw new this.host.ProtocolError('a coroutine spec is an object with a name and steps');
    }
    const steps = (spec.steps ?? []) as Json[];
    for (const step of steps) {
      if (!['sleep', 'await', 'call', 'return', 'raise', 'block', 'anext'].includes(String(step?.do))) {
        throw new this.host.ProtocolError(`coroutine ${spec.name}: unknown step ${stringify(step)}`);
      }
    }
    const onCancel = spec.on_cancel ?? 'raise';
    if (onCancel !== 'raise' && onCancel !== 'return') throw new this.host.ProtocolError(`coroutine ${spec.name}: on_cancel is "raise" or "return"`);
    const coro = this.runScript(spec.name, steps, onCancel);
    this.coroutines.push(coro);
    return coro;
  }

  private *runScript(name: string, steps: Json[], onCancel: 'raise' | 'return'): Coroutine<unknown> {
    const { record, errors } = this.host;
    record({ event: 'coroutine_started', name });
    let last: unknown = null;
    try {
      for (const step of steps) {
        switch (step.do) {
          case 'sleep':
            yield* this.sleep(toNumber(step.seconds) ?? 0);
            break;
          case 'block':
            blockThread(toNumber(step.seconds) ?? 0);
            break;
          case 'anext': {
            // One iteration of an async generator (the first registers it with the loop).
            const agen = this.decode(step.value);
            if (!(agen instanceof this.host.reference.AsyncGenerator)) throw new this.host.errors.PyTypeError(`'${this.typeInfo(agen).type}' object is not an async iterator`);
            last = yield* agen.anext();
            if (last === this.host.reference.EXHAUSTED) throw new this.host.errors.StopAsyncIteration();
            record({ event: 'anext', name, value: this.encode(last) });
            break;
          }
          case 'await':
            last = yield* this.awaitValue(this.decode(step.value));
            record({ event: 'awaited', name, value: this.encode(last) });
            break;
          case 'call': {
            const { fn, sig } = this.prepare(step);
            last = fn();
            if (sig.isAsync) last = yield* (last as Coroutine<unknown>);
            record({ event: 'step', name, call: step.name, value: this.encode(last, sig.returns) });
            break;
          }
          case 'return': {
            const value = 'value' in step ? this.decode(step.value) : last;
            record({ event: 'coroutine_returned', name, value: this.encode(value) });
            return value;
          }
          default:
            throw new (this.exceptionClass(step.exception))(...((step.args as unknown[] | undefined) ?? []).map(String));
        }
      }
    } catch (err) {
      if (err instanceof errors.CancelledError) {
        record({ event: 'coroutine_cancelled', name });
        if (onCancel === 'return') return null;
        throw err;
      }
      const d = this.host.describeError(err);
      record({ event: 'coroutine_raised', name, error: { type: d.type, bases: d.bases } });
      throw err;
    }
    record({ event: 'coroutine_returned', name, value: null });
    return null;
  }

  /** asyncio.sleep(seconds): a bare yield for 0, else a Future the loop resolves later. */
  private *sleep(seconds: number): Coroutine<void> {
    if (seconds <= 0) {
      yield null;
      return;
    }
    const loop = this.host.loop();
    const fut = loop.createFuture<unknown>();
    const timer = loop.callLater(seconds, () => {
      if (!fut.done()) fut.setResult(null);
    });
    try {
      yield fut;
    } finally {
      timer.cancel();
    }
  }

  private *awaitValue(value: unknown): Coroutine<unknown> {
    const r = this.host.reference;
    if (value instanceof r.Future) return yield value;
    if (isGenerator(value)) return yield* (value as Coroutine<unknown>);
    throw new this.host.errors.PyTypeError(`object ${this.typeInfo(value).type} can't be used in 'await' expression`);
  }

  /** Executors the scenario's calls made: shut down at its end (their threads are joined). */
  executorsMade(): import('../../reference').Executor[] {
    return [...this.byId.values()].filter((o): o is import('../../reference').Executor => o instanceof this.host.reference.Executor);
  }

  /** Loops the scenario's calls made (new_event_loop(), a policy's): closed at its end like its own. */
  loopsMade(own: unknown[]): Loop[] {
    return [...this.byId.values()].filter((o): o is Loop => o instanceof this.host.reference.BaseEventLoop && !own.includes(o));
  }

  // -- protocol specs ----------------------------------------------------------------------

  /** {"name": "P", "on": {METHOD: [REACTION, ...]}}: a factory of protocols that record every call. */
  private protocolFactory(body: unknown): () => unknown {
    const spec = body as { name?: unknown; on?: Record<string, Json[]> };
    if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string') throw new this.host.ProtocolError('a protocol spec is an object with a name');
    const name = spec.name;
    const on = spec.on ?? {};
    for (const reactions of Object.values(on)) {
      for (const r of reactions) {
        if (!PROTOCOL_REACTIONS.includes(String(r?.do))) throw new this.host.ProtocolError(`protocol ${name}: a reaction is one of ${PROTOCOL_REACTIONS.join(', ')}, got ${stringify(r)}`);
      }
    }
    const calls = this;
    let made = 0;
    const Base = this.host.reference.Protocol;
    type Transport = import('../../reference').SelectorSocketTransport;
    class RecordingProtocol extends Base {
      private transport: Transport | null = null;
      /** What an answer carrying this protocol says of it (PROTOCOL.md, "Protocol specs"). */
      readonly madeFromSpec: { protocol: string; instance: number };
      constructor(readonly instance: number) {
        super();
        this.madeFromSpec = { protocol: name, instance };
      }
      private event(method: string, fields: Json = {}): boolean | undefined {
        const event: Json = { event: 'protocol', name, instance: this.instance, method };
        for (const [k, v] of Object.entries(fields)) event[k] = k === 'exc' ? calls.describeOrNull(v) : calls.encode(v);
        calls.host.record(event);
        let keepOpen: boolean | undefined;
        for (const r of on[method] ?? []) {
          const t = this.transport!;
          if (r.do === 'write_back' && Buffer.isBuffer(fields.data)) t.write(fields.data);
          else if (r.do === 'write') t.write(calls.decode(r.data) as Buffer);
          else if (r.do === 'keep_open') keepOpen = true;
          else (t as unknown as Record<string, () => void>)[camel(String(r.do))]();
        }
        return keepOpen;
      }
      override connectionMade(transport: unknown): void {
        this.transport = transport as Transport;
        this.event('connection_made', { transport });
      }
      override dataReceived(data: Buffer): void {
        this.event('data_received', { data });
      }
      override eofReceived(): boolean | void {
        return this.event('eof_received');
      }
      override connectionLost(exc: unknown): void {
        this.event('connection_lost', { exc });
      }
      override pauseWriting(): void {
        this.event('pause_writing');
      }
      override resumeWriting(): void {
        this.event('resume_writing');
      }
      datagramReceived(data: Buffer, addr: unknown): void {
        this.event('datagram_received', { data, addr });
      }
      errorReceived(exc: unknown): void {
        this.event('error_received', { exc });
      }
    }
    return () => {
      made++;
      this.host.record({ event: 'protocol_made', name, instance: made });
      return new RecordingProtocol(made);
    };
  }

  /** An exception as protocol events carry it: {type, bases, errno}, or null. */
  describeOrNull(exc: unknown): Json | null {
    if (exc === null || exc === undefined) return null;
    const d = this.host.describeError(exc);
    return { type: d.type, bases: d.bases, errno: d.errno ?? null };
  }

  /**
   * End of scenario, before the loops close: the servers the calls made stop listening and
   * their transports close, as the Python driver closes them (connection_lost comes only if
   * a loop runs again; closeAll() then closes their sockets all the same).
   */
  closeStreams(): string[] {
    const notes: string[] = [];
    for (const obj of this.byId.values()) {
      try {
        if (obj instanceof this.host.reference.Server) obj.close();
        else if ((obj instanceof this.host.reference.SelectorSocketTransport || obj instanceof this.host.reference.SelectorDatagramTransport) && !obj.isClosing()) obj.close();
      } catch (err) {
        notes.push(`end_scenario: closing ${String(obj)} raised ${String(err)}`);
      }
    }
    return notes;
  }

  /** End of scenario: coroutine objects that never ran are closed, as Python's would be, and so are the selectors the calls made. */
  closeAll(): void {
    for (const coro of this.coroutines) {
      try {
        coro.return(null);
      } catch {
        // a coroutine that raises while closing: nothing to keep
      }
    }
    // Selectors the calls made (selectors.SelectSelector()): after the loops, which close the
    // ones they were given; closing again does nothing.
    for (const obj of this.byId.values()) {
      if (obj instanceof this.host.reference.BaseSelector) obj.close();
      // A transport whose connection_lost never ran (its loop closed first) still holds its socket.
      if (obj instanceof this.host.reference.SelectorSocketTransport || obj instanceof this.host.reference.SelectorDatagramTransport) obj.socket.close();
      // Sockets the calls made (socket.socket(), accept()), as the Python driver closes them;
      // closing one a transport took over again does nothing.
      if (obj instanceof this.host.reference.Socket) obj.close();
    }
  }
}

/** A selector's Python bases: its classes up to BaseSelector (EpollSelector: PollLikeSelector, BaseSelectorImpl, BaseSelector), then object. */
function selectorBases(selector: object): string[] {
  const bases: string[] = [];
  for (let p = Object.getPrototypeOf(Object.getPrototypeOf(selector)); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    bases.push((p as { constructor: { name: string } }).constructor.name);
  }
  return [...bases, 'object'];
}

function isGenerator(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Generator).next === 'function' && typeof (value as Generator).throw === 'function';
}

/** time.sleep() on this thread: the loop's thread is held, as a blocking call would. */
export function blockThread(seconds: number): void {
  if (seconds > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}
