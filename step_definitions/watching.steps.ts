// Watching file descriptors (add_reader, add_writer, remove_reader, remove_writer) on the sockets
// of a connected pair the driver makes: "Given a connected socket pair S and T".
import { Given, Then, When } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check, parseValues } from './support/parameters';
import { bytesOf, isRef, py, Value } from './support/values';

const WATCH = /(add_reader|add_writer)/;
const UNWATCH = /(remove_reader|remove_writer)/;

Given(/^a connected socket pair ([A-Z]) and ([A-Z])$/, async function (this: LoopWorld, a: string, b: string) {
  const r = await this.op('socket_pair', {});
  for (const [name, value] of [[a, r.a], [b, r.b]] as const) {
    if (!isRef(value)) throw new Error(`socket_pair answered ${JSON.stringify(value)} for ${name}, not an object`);
    this.objects.set(name, value.ref);
    this.objectTypes.set(name, value.type);
  }
});

/** "the descriptor of socket S" (its fileno(), an int) or "socket S" (the object: its fileno() is what counts). */
async function descriptor(world: LoopWorld, what: string): Promise<Value> {
  const m = /^(the descriptor of )?socket ([A-Z])$/.exec(what);
  if (!m) throw new Error(`a descriptor is "the descriptor of socket S" or "socket S", got "${what}"`);
  if (!m[1]) return py.ref(world.objectRef(m[2]));
  return (await world.call(world.objectRef(m[2]), 'fileno')).value as Value;
}

Given(
  new RegExp(`^callback ([A-Z][A-Z0-9]*) is added with loop\\.${WATCH.source}\\(\\) for (the descriptor of socket [A-Z]|socket [A-Z])(?: and the arguments (.+))?$`),
  async function (this: LoopWorld, name: string, method: string, what: string, values: string | undefined) {
    const args = values ? parseValues(values) : [];
    await this.call('loop', method, [await descriptor(this, what), py.callback(this.callbackSpec(name, args)), ...(args as Value[])]);
  },
);

When(
  new RegExp(`^loop\\.${WATCH.source}\\(\\) is called for (the descriptor of socket [A-Z]) with callback ([A-Z][A-Z0-9]*) and the keyword argument ([a-z_]+)=(.+)$`),
  async function (this: LoopWorld, method: string, what: string, name: string, key: string, value: string) {
    this.lastCall = await this.attemptCall('loop', method, [await descriptor(this, what), py.callback(this.callbackSpec(name))], { [key]: parseValues(value)[0] as Value });
  },
);

When(
  /^loop\.add_reader\(\) is called for (the file's descriptor|a descriptor that was just closed) with callback ([A-Z][A-Z0-9]*)$/,
  async function (this: LoopWorld, what: string, name: string) {
    let fd: Value;
    if (what === "the file's descriptor") {
      fd = (await this.op('file', { file: this.file!.id, method: 'fileno' })).value as Value;
    } else {
      // A pair of the driver's own: one end's number is read, then that end is closed.
      const r = await this.op('socket_pair', {});
      const ref = (r.a as { ref: string }).ref;
      fd = (await this.call(ref, 'fileno')).value as Value;
      await this.call(ref, 'close');
    }
    this.lastCall = await this.attemptCall('loop', 'add_reader', [fd, py.callback(this.callbackSpec(name))]);
  },
);

When(
  new RegExp(`^loop\\.${UNWATCH.source}\\(\\) is called for (the descriptor of socket [A-Z]|socket [A-Z])$`),
  async function (this: LoopWorld, method: string, what: string) {
    this.lastCall = await this.attemptCall('loop', method, [await descriptor(this, what)]);
  },
);

When(/^socket ([A-Z]) (?:sends|has sent) ("[^"]*")$/, async function (this: LoopWorld, name: string, text: string) {
  await this.call(this.objectRef(name), 'send', [py.bytes(Buffer.from(JSON.parse(text) as string))]);
});

When(/^socket ([A-Z])'s ([a-z_]+)\(\) is called$/, async function (this: LoopWorld, name: string, method: string) {
  this.lastCall = await this.attemptCall(this.objectRef(name), method);
});

/** Fills the socket's send buffer: non-blocking, it sends until the kernel takes no more. */
Given(/^socket ([A-Z]) is non-blocking and its send buffer is full$/, async function (this: LoopWorld, name: string) {
  const ref = this.objectRef(name);
  await this.call(ref, 'setblocking', [false]);
  const chunk = py.bytes(Buffer.alloc(65536, 0x78));
  for (let i = 0; i < 1000; i++) {
    if (!(await this.attemptCall(ref, 'send', [chunk]))) {
      check(this.lastError?.info.type === 'BlockingIOError', `filling the send buffer raised ${this.lastError?.info.type}, not BlockingIOError`);
      this.lastError = undefined;
      this.unchecked = undefined;
      return;
    }
  }
  throw new Error(`socket ${name} took 64 MiB without its buffer filling`);
});

When(/^socket ([A-Z]) reads everything it was sent$/, async function (this: LoopWorld, name: string) {
  const ref = this.objectRef(name);
  await this.call(ref, 'setblocking', [false]);
  for (let i = 0; i < 1000; i++) {
    if (!(await this.attemptCall(ref, 'recv', [1 << 20]))) {
      check(this.lastError?.info.type === 'BlockingIOError', `reading raised ${this.lastError?.info.type}, not BlockingIOError`);
      this.lastError = undefined;
      this.unchecked = undefined;
      return;
    }
  }
  throw new Error(`socket ${name} never ran dry`);
});

Then(/^callback ([A-Z][A-Z0-9]*) has run$/, async function (this: LoopWorld, name: string) {
  check((await this.calls()).some((c) => c.name === name), `callback ${name} never ran`);
});

Then(/^callback ([A-Z][A-Z0-9]*) received ((?:"[^"]*"(?:, then )?)+),? from socket ([A-Z])$/, async function (this: LoopWorld, name: string, texts: string, socket: string) {
  const want = [...texts.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  const got = ((await this.events()) as Array<Record<string, unknown>>)
    .filter((e) => e.event === 'action_result' && e.name === name && e.call === 'recv')
    .map((e) => bytesOf(e.value)?.toString() ?? '');
  check(JSON.stringify(got) === JSON.stringify(want), `callback ${name} received ${got.map((g) => JSON.stringify(g)).join(', then ') || 'nothing'} from socket ${socket}, not ${want.map((w) => JSON.stringify(w)).join(', then ')}`);
});

/** For what the page leaves open (@undefined): which callbacks ran, how many times, attached and never failed on. */
Then('the callbacks that ran are recorded', async function (this: LoopWorld) {
  const counts = new Map<string, number>();
  for (const c of await this.calls()) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  const text = `ran: ${[...counts].map(([n, k]) => `${n} (${k} time${k === 1 ? '' : 's'})`).join(', ') || 'no callback'}`;
  this.attach(`recorded, not checked (@undefined): ${text}`, 'text/plain');
});

/** A watched descriptor's callback may run more than once in an iteration (uvloop's does): each call counts. */
Then(/^each call of callback ([A-Z][A-Z0-9]*) had the arguments (.+)$/, async function (this: LoopWorld, name: string, values: string) {
  const calls = (await this.calls()).filter((c) => c.name === name);
  check(calls.length > 0, `callback ${name} never ran`);
  const want = JSON.stringify(parseValues(values));
  const wrong = calls.find((c) => JSON.stringify(c.args) !== want);
  if (wrong) check(false, `callback ${name} was called with (${JSON.stringify(wrong.args).slice(1, -1)}), expected (${want.slice(1, -1)})`);
});
