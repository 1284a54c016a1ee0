// Servers and their clients (the page's "Creating network servers" and "Server Objects"): the
// server's listening sockets read through the documented API (Server.sockets, socket.getsockname,
// socket.getsockopt); clients connected with loop.create_connection() on the same loop; what each
// protocol saw read from the protocol events of the driver (PROTOCOL.md, "Protocol specs").
import { Given, Then, When } from '@cucumber/cucumber';
import * as net from 'node:net';
import * as os from 'node:os';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';
import { bytesOf, isRef, py, Value } from './support/values';
import { valuesOf } from './support/arguments';
import { EchoPeer } from './support/echo-peer';
import { expandSocketPaths } from './support/socket-paths';
import { accepted, delivered, lost, settleAfter } from './support/settle';

export interface ProtocolEvent { event: 'protocol'; name: string; instance: number; method: string; data?: { bytes: string }; addr?: unknown; transport?: { ref: string } }

export function tupleItems(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null && Array.isArray((value as { tuple?: unknown[] }).tuple)) return (value as { tuple: unknown[] }).tuple;
  throw new Error(`expected a list or a tuple, got ${JSON.stringify(value)}`);
}

/** Server.sockets, as refs to the socket objects ([] when the attribute is empty or None). */
async function listeningSockets(world: LoopWorld, server: string): Promise<string[]> {
  const r = await world.op('get', { target: world.objectRef(server), name: 'sockets' });
  if (r.value === null) return [];
  return tupleItems(r.value).map((s) => {
    check(isRef(s), `server ${server}'s sockets hold ${JSON.stringify(s)}, not socket objects`);
    return s.ref;
  });
}

/** (host, port) of each listening socket of the server. */
async function addresses(world: LoopWorld, server: string): Promise<Array<[string, number]>> {
  const out: Array<[string, number]> = [];
  for (const sock of await listeningSockets(world, server)) {
    const [host, port] = tupleItems((await world.call(sock, 'getsockname')).value) as [string, number];
    out.push([host, port]);
  }
  return out;
}

export async function constant(world: LoopWorld, name: string): Promise<number> {
  const r = await world.op('get', { target: 'socket', name });
  check(typeof r.value === 'number', `socket.${name} is ${JSON.stringify(r.value)}`);
  return r.value;
}

/** Whether protocol `name` writes something back when it receives data (its spec says so). */
export function answers(world: LoopWorld, name: string): boolean {
  return (world.protocols.get(name)?.data_received ?? []).some((r) => r.do === 'write_back' || r.do === 'write');
}

/** Connects client `client` with loop.`method`(its protocol, ...address) and waits for the server to accept. */
async function connectClient(world: LoopWorld, client: string, method: string, address: Value[]): Promise<void> {
  await settleAfter(world, async () => {
    const made = await world.call('loop', method, [{ protocol_factory: world.protocolSpec(client) }, ...address]);
    const [transport] = tupleItems(made.value);
    check(isRef(transport), `${method} returned ${JSON.stringify(made.value)}`);
    world.objects.set(`${client}.transport`, transport.ref);
  }, accepted(client));
}

export async function protocolEvents(world: LoopWorld, name: string): Promise<ProtocolEvent[]> {
  return ((await world.events()) as unknown as ProtocolEvent[]).filter((e) => e.event === 'protocol' && e.name === name);
}

async function received(world: LoopWorld, name: string): Promise<string> {
  return (await protocolEvents(world, name)).filter((e) => e.method === 'data_received')
    .map((e) => Buffer.from(e.data!.bytes, 'base64').toString('utf8')).join('');
}

// -- protocols ----------------------------------------------------------------------------

Given(/^protocol ([A-Z][0-9]?) writes back what it receives$/, function (this: LoopWorld, name: string) {
  this.protocols.set(name, { ...this.protocols.get(name), data_received: [{ do: 'write_back' }] });
});

// -- sockets of the scenario's own --------------------------------------------------------

Given(/^socket ([A-Z][A-Z0-9]*) is a TCP socket bound to (127\.0\.0\.1|::1) and listening$/, async function (this: LoopWorld, name: string, host: string) {
  const family = await constant(this, host === '::1' ? 'AF_INET6' : 'AF_INET');
  const sock = await this.call('socket', 'socket', [family, await constant(this, 'SOCK_STREAM')]);
  this.nameObject(name, sock);
  await this.call(this.objectRef(name), 'bind', [py.tuple([host, 0])]);
  await this.call(this.objectRef(name), 'listen', [8]);
});

Given(/^([A-Z]+) is the port server ([A-Z][A-Z0-9]*) listens on$/, async function (this: LoopWorld, name: string, server: string) {
  const [first] = await addresses(this, server);
  check(first, `server ${server} listens on no socket`);
  this.values.set(name, first[1]);
});

// -- clients ------------------------------------------------------------------------------

When(/^client ([A-Z][0-9]?) connects to server ([A-Z][A-Z0-9]*)(?: on (127\.0\.0\.1|::1))?$/, async function (this: LoopWorld, client: string, server: string, on: string | null) {
  const all = await addresses(this, server);
  const chosen = on ? all.find(([host]) => host === on) : all[0];
  check(chosen, `server ${server} listens on ${all.map(([h, p]) => `${h}:${p}`).join(', ') || 'nothing'}${on ? `, not on ${on}` : ''}`);
  const host = chosen[0] === '0.0.0.0' ? '127.0.0.1' : chosen[0] === '::' ? '::1' : chosen[0];
  await connectClient(this, client, 'create_connection', [host, chosen[1]]);
});

When(/^client ([A-Z][0-9]?) tries to connect to server ([A-Z][A-Z0-9]*)$/, async function (this: LoopWorld, client: string, server: string) {
  // A server that does not accept may not even listen yet (CPython listens at start_serving):
  // the connection is refused, or made by the kernel and never accepted. Both accept nothing.
  const [first] = await addresses(this, server);
  check(first, `server ${server} has no socket`);
  await settleAfter(this, async () => {
    const made = await this.attemptCall('loop', 'create_connection', [{ protocol_factory: this.protocolSpec(client) }, first[0], first[1]]);
    if (made === undefined) {
      const err = this.takeError();
      check(err.isA('ConnectionRefusedError'), `connecting raised ${err.info.type}: ${err.info.message}`);
      return false;
    }
    this.objects.set(`${client}.transport`, tupleItems(made.value).map((t) => (t as { ref: string }).ref)[0]);
    return true;
  }, accepted(client));
});

When(/^client ([A-Z][0-9]?) sends "([^"]*)"$/, async function (this: LoopWorld, client: string, text: string) {
  const data = Buffer.from(text, 'utf8');
  await settleAfter(this, async () => {
    await this.call(this.objectRef(`${client}.transport`), 'write', [py.bytes(data)]);
  }, delivered(client, data.length, 'data_received', (name) => answers(this, name)));
});

When(/^the loop runs for ([\d.]+) seconds?$/, async function (this: LoopWorld, seconds: string) {
  await this.call('loop', 'run_until_complete', [py.coroutine({ name: 'RUN', steps: [{ do: 'sleep', seconds: Number(seconds) }] })]);
});

Then(/^a client connecting to port ([A-Z]+) of (127\.0\.0\.1|::1) is refused$/, async function (this: LoopWorld, name: string, host: string) {
  const r = await this.attemptCall('loop', 'create_connection', [{ protocol_factory: this.protocolSpec('R') }, host, this.values.get(name) as Value]);
  check(r === undefined, `the connection was made: ${JSON.stringify(r?.value)}`);
  const err = this.takeError();
  check(err.isA('ConnectionRefusedError'), `expected ConnectionRefusedError, got ${err.info.type}: ${err.info.message}`);
});

// -- what the protocols saw ---------------------------------------------------------------

Then(/^(?:protocol|client) ([A-Z][0-9]?) received "([^"]*)"$/, async function (this: LoopWorld, name: string, text: string) {
  const got = await received(this, name);
  check(got === text, `protocol ${name} received ${JSON.stringify(got)}, not ${JSON.stringify(text)}`);
});

Then(/^protocol ([A-Z][0-9]?) has been made (\d+) times?$/, async function (this: LoopWorld, name: string, count: string) {
  const made = (await this.events()).filter((e) => e.event === 'protocol_made' && (e as { name?: string }).name === name).length;
  check(made === Number(count), `protocol ${name} was made ${made} times, not ${count}`);
});

Then(/^protocol ([A-Z][0-9]?) has not been made$/, async function (this: LoopWorld, name: string) {
  const made = (await this.events()).filter((e) => e.event === 'protocol_made' && (e as { name?: string }).name === name).length;
  check(made === 0, `protocol ${name} was made ${made} times`);
});

Then(/^each protocol ([A-Z][0-9]?) had connection_made called once$/, async function (this: LoopWorld, name: string) {
  const calls = (await protocolEvents(this, name)).filter((e) => e.method === 'connection_made');
  const instances = new Set(calls.map((e) => e.instance));
  check(instances.size === calls.length, `connection_made was called ${calls.length} times on ${instances.size} protocols`);
});

Then(/^protocol ([A-Z][0-9]?)'s connection (?:is still open|was not lost)$/, async function (this: LoopWorld, name: string) {
  const lost = (await protocolEvents(this, name)).filter((e) => e.method === 'connection_lost');
  check(lost.length === 0, `protocol ${name}'s connection_lost was called`);
});

/** The socket under the transport protocol `name` was given (get_extra_info('socket')). */
export async function transportSocket(world: LoopWorld, name: string): Promise<string> {
  const made = (await protocolEvents(world, name)).find((e) => e.method === 'connection_made');
  check(made?.transport, `protocol ${name} was never given a transport`);
  const sock = (await world.call(made.transport.ref, 'get_extra_info', ['socket'])).value;
  check(isRef(sock), `get_extra_info('socket') gave ${JSON.stringify(sock)}`);
  return sock.ref;
}

Then(/^the socket of (?:protocol|client) ([A-Z][0-9]?)'s transport has TCP_NODELAY set$/, async function (this: LoopWorld, name: string) {
  const sock = await transportSocket(this, name);
  const value = (await this.call(sock, 'getsockopt', [await constant(this, 'IPPROTO_TCP'), await constant(this, 'TCP_NODELAY')])).value;
  check(value !== 0, 'TCP_NODELAY is not set on the connection\'s socket');
});

Then(/^the socket of (?:protocol|client|endpoint) ([A-Z][0-9]?)'s transport is of family (AF_INET|AF_INET6|AF_UNIX)$/, async function (this: LoopWorld, name: string, family: string) {
  const got = (await this.op('get', { target: await transportSocket(this, name), name: 'family' })).value;
  const want = await constant(this, family);
  check(got === want, `the connection's socket is of family ${JSON.stringify(got)}, not ${family} (${want})`);
});

Then(/^the socket of (?:protocol|client|endpoint) ([A-Z][0-9]?)'s transport is of type (SOCK_STREAM|SOCK_DGRAM)$/, async function (this: LoopWorld, name: string, type: string) {
  const sock = await transportSocket(this, name);
  const got = (await this.call(sock, 'getsockopt', [await constant(this, 'SOL_SOCKET'), await constant(this, 'SO_TYPE')])).value;
  const want = await constant(this, type);
  check(got === want, `the connection's socket has SO_TYPE ${JSON.stringify(got)}, not ${type} (${want})`);
});

Then(/^the socket of (?:client|endpoint) ([A-Z][0-9]?)'s transport is bound to (127\.0\.0\.1|::1)$/, async function (this: LoopWorld, name: string, host: string) {
  const [got] = tupleItems((await this.call(await transportSocket(this, name), 'getsockname')).value);
  check(got === host, `the connection's socket is bound to ${JSON.stringify(got)}, not ${host}`);
});

Then(/^protocol ([A-Z][0-9]?) had connection_made called before loop\.([a-z_]+)\(\) returned in task ([A-Z][A-Z0-9]*)$/, async function (this: LoopWorld, name: string, method: string, task: string) {
  const events = await this.events();
  const made = events.findIndex((e) => e.event === 'protocol' && (e as { name?: string }).name === name && (e as { method?: string }).method === 'connection_made');
  const returned = events.findIndex((e) => e.event === 'step' && (e as { name?: string }).name === task && (e as { call?: string }).call === method);
  check(returned >= 0, `loop.${method}() never returned in task ${task}`);
  check(made >= 0 && made < returned, `protocol ${name}'s connection_made was ${made < 0 ? 'never called' : 'called after the method returned'}`);
});

Given(/^socket ([A-Z][A-Z0-9]*) is a TCP socket connected to server ([A-Z][A-Z0-9]*)$/, async function (this: LoopWorld, name: string, server: string) {
  const [first] = await addresses(this, server);
  check(first, `server ${server} listens on no socket`);
  const family = await constant(this, first[0].includes(':') ? 'AF_INET6' : 'AF_INET');
  this.nameObject(name, await this.call('socket', 'socket', [family, await constant(this, 'SOCK_STREAM')]));
  await this.call(this.objectRef(name), 'connect', [py.tuple([first[0], first[1]])]);
});

Given(/^socket ([A-Z][A-Z0-9]*) is a Unix socket connected to the path of server ([A-Z][A-Z0-9]*)$/, async function (this: LoopWorld, name: string, server: string) {
  const [sock] = await listeningSockets(this, server);
  check(sock, `server ${server} listens on no socket`);
  const address = (await this.call(sock, 'getsockname')).value;
  this.nameObject(name, await this.call('socket', 'socket', [await constant(this, 'AF_UNIX'), await constant(this, 'SOCK_STREAM')]));
  await this.call(this.objectRef(name), 'connect', [address as Value]);
});

// -- the server's listening sockets -------------------------------------------------------

const canonical = (host: string): string => host.toLowerCase();

Then(/^server ([A-Z][A-Z0-9]*) listens on (\S+?)(?: and (\S+?))?(?: only)?$/, async function (this: LoopWorld, server: string, a: string, b: string | undefined) {
  const hosts = (await addresses(this, server)).map(([h]) => canonical(h)).sort();
  const want = [a, ...(b ? [b] : [])].map(canonical).sort();
  check(JSON.stringify(hosts) === JSON.stringify(want), `server ${server} listens on ${hosts.join(', ') || 'nothing'}, not on ${want.join(' and ')}`);
});

Then(/^server ([A-Z][A-Z0-9]*) listens on a port other than 0$/, async function (this: LoopWorld, server: string) {
  const all = await addresses(this, server);
  check(all.length > 0 && all.every(([, port]) => port > 0), `server ${server} listens on ${JSON.stringify(all)}`);
});

Then(/^the sockets of server ([A-Z][A-Z0-9]*) listen on different ports$/, async function (this: LoopWorld, server: string) {
  const ports = (await addresses(this, server)).map(([, port]) => port);
  check(ports.length > 1 && new Set(ports).size === ports.length, `server ${server}'s sockets listen on the ports ${ports.join(', ')}`);
});

Then(/^the listening sockets of server ([A-Z][A-Z0-9]*) are of type (SOCK_STREAM)$/, async function (this: LoopWorld, server: string, type: string) {
  const socks = await listeningSockets(this, server);
  check(socks.length > 0, `server ${server} listens on no socket`);
  const want = await constant(this, type);
  for (const s of socks) {
    const got = (await this.call(s, 'getsockopt', [await constant(this, 'SOL_SOCKET'), await constant(this, 'SO_TYPE')])).value;
    check(got === want, `a listening socket's SO_TYPE is ${JSON.stringify(got)}, not ${type} (${want})`);
  }
});

Then(/^the listening sockets of server ([A-Z][A-Z0-9]*) (have|do not have) (SO_REUSEADDR|SO_REUSEPORT) set$/, async function (this: LoopWorld, server: string, have: string, option: string) {
  const socks = await listeningSockets(this, server);
  check(socks.length > 0, `server ${server} listens on no socket`);
  for (const s of socks) {
    const got = (await this.call(s, 'getsockopt', [await constant(this, 'SOL_SOCKET'), await constant(this, option)])).value;
    check((got !== 0) === (have === 'have'), `a listening socket's ${option} is ${JSON.stringify(got)}`);
  }
});

Then(/^server ([A-Z][A-Z0-9]*) has no listening sockets$/, async function (this: LoopWorld, server: string) {
  const r = await this.op('get', { target: this.objectRef(server), name: 'sockets' });
  check(r.value !== null, `server ${server}'s sockets is None`);
  check(tupleItems(r.value).length === 0, `server ${server} still has the sockets ${JSON.stringify(r.value)}`);
});

Then(/^server ([A-Z][A-Z0-9]*)'s sockets attribute is None$/, async function (this: LoopWorld, server: string) {
  const r = await this.op('get', { target: this.objectRef(server), name: 'sockets' });
  check(r.value === null, `server ${server}'s sockets is ${JSON.stringify(r.value)}, not None`);
});

When(/^server ([A-Z][A-Z0-9]*)'s sockets attribute is read twice, each read kept as the object it returned$/, async function (this: LoopWorld, server: string) {
  const read = async () => (await this.op('get', { target: this.objectRef(server), name: 'sockets', keep: true })).value;
  this.socketReads = [await read(), await read()];
});

/** The driver gives one object the same ref each time it answers it: two refs, two objects. */
Then('the two reads are different objects', function (this: LoopWorld) {
  const [first, second] = this.socketReads ?? [];
  check(isRef(first) && isRef(second), `the reads answered ${JSON.stringify(first)} and ${JSON.stringify(second)}, not objects`);
  check(first.ref !== second.ref, `both reads returned the same ${first.type} (${first.ref}): the server's own list, not a copy`);
});

// -- errors with an errno -----------------------------------------------------------------

Then(/^it raises an? ([A-Z][A-Za-z]*Error) with the errno ([A-Z][A-Z0-9]+)$/, function (this: LoopWorld, cls: string, errno: string) {
  const err = this.takeError();
  check(err.isA(cls), `expected ${cls}, got ${err.info.type} (bases: ${err.info.bases.join(', ')}): ${err.info.message}`);
  const want = (os.constants.errno as Record<string, number>)[errno];
  check(err.info.errno === want, `the errno is ${JSON.stringify(err.info.errno)}, not ${errno} (${want})`);
});

// -- Server objects -----------------------------------------------------------------------

Then(/^server ([A-Z][A-Z0-9]*) is (serving|not serving)$/, async function (this: LoopWorld, server: string, state: string) {
  const r = await this.call(this.objectRef(server), 'is_serving');
  check(r.value === (state === 'serving'), `server ${server}'s is_serving() returned ${JSON.stringify(r.value)}`);
});

When(/^coroutine ([A-Z][A-Z0-9]*) uses server ([A-Z][A-Z0-9]*) in an async with statement$/, async function (this: LoopWorld, name: string, server: string) {
  const target = this.objectRef(server);
  const steps = [{ do: 'call' as const, target, name: '__aenter__' }, { do: 'call' as const, target, name: '__aexit__', args: [null, null, null] }];
  this.lastCall = await this.attemptCall('loop', 'run_until_complete', [py.coroutine({ name, steps })]);
  this.lastResult();
});

When(/^task ([A-Z][A-Z0-9]*) is cancelled$/, async function (this: LoopWorld, task: string) {
  await this.call(this.objectRef(task), 'cancel');
});

Then(/^task ([A-Z][A-Z0-9]*) raised an? ([A-Z][A-Za-z]*Error)$/, async function (this: LoopWorld, task: string, cls: string) {
  const raised = (await this.events()).find((e) => e.event === 'coroutine_raised' && (e as { name?: string }).name === task) as { error?: { type: string; bases: string[] } } | undefined;
  check(raised?.error, `task ${task} raised nothing`);
  check([raised.error.type, ...raised.error.bases].includes(cls), `task ${task} raised ${raised.error.type}, not ${cls}`);
});

Then(/^task ([A-Z][A-Z0-9]*) is still running$/, async function (this: LoopWorld, task: string) {
  const done = await this.call(this.objectRef(task), 'done');
  check(done.value === false, `task ${task} is done`);
});

// -- Unix sockets and sockets accepted outside the loop -----------------------------------

Given(/^socket ([A-Z][A-Z0-9]*) is a Unix socket bound to a new socket path and listening$/, async function (this: LoopWorld, name: string) {
  const sock = await this.call('socket', 'socket', [await constant(this, 'AF_UNIX'), await constant(this, 'SOCK_STREAM')]);
  this.nameObject(name, sock);
  const { args } = await valuesOf(this, 'a new socket path');
  await this.call(this.objectRef(name), 'bind', args);
  await this.call(this.objectRef(name), 'listen', [8]);
});

When(/^client ([A-Z][0-9]?) connects to the path of server ([A-Z][A-Z0-9]*)$/, async function (this: LoopWorld, client: string, server: string) {
  const [sock] = await listeningSockets(this, server);
  check(sock, `server ${server} listens on no socket`);
  const address = (await this.call(sock, 'getsockname')).value;
  await connectClient(this, client, 'create_unix_connection', [address as Value]);
});

When(/^client ([A-Z][0-9]?) connects to socket ([A-Z][A-Z0-9]*)$/, async function (this: LoopWorld, client: string, listener: string) {
  const [host, port] = tupleItems((await this.call(this.objectRef(listener), 'getsockname')).value) as [string, number];
  const made = await this.call('loop', 'create_connection', [{ protocol_factory: this.protocolSpec(client) }, host, port]);
  const [transport] = tupleItems(made.value);
  check(isRef(transport), `create_connection returned ${JSON.stringify(made.value)}`);
  this.objects.set(`${client}.transport`, transport.ref);
});

Given(/^socket ([A-Z][A-Z0-9]*) is the connection socket ([A-Z][A-Z0-9]*) accepts$/, async function (this: LoopWorld, name: string, listener: string) {
  const [conn] = tupleItems((await this.call(this.objectRef(listener), 'accept')).value);
  check(isRef(conn), `accept() returned ${JSON.stringify(conn)}`);
  this.objects.set(name, conn.ref);
});

Then(/^it returns a transport and protocol ([A-Z][0-9]?)$/, async function (this: LoopWorld, name: string) {
  const [transport, protocol] = tupleItems(this.lastResult().value);
  check(isRef(transport) && isRef(protocol), `it returned ${JSON.stringify(this.lastResult().value)}`);
  const made = (await protocolEvents(this, name)).find((e) => e.method === 'connection_made');
  check(made?.transport?.ref === transport.ref, `protocol ${name}'s connection_made was not given the transport returned`);
  const which = protocol as { protocol?: string; instance?: number };
  check(which.protocol === name && which.instance === made.instance, `the protocol returned is ${which.protocol ?? 'not one of the scenario\'s'} ${which.instance ?? ''}, not the protocol ${name} that the transport was coupled with`);
  this.objects.set(`${name}.transport`, transport.ref);
});

Then(/^the socket of server ([A-Z][A-Z0-9]*) is bound to an abstract name$/, async function (this: LoopWorld, server: string) {
  const [sock] = await listeningSockets(this, server);
  check(sock, `server ${server} listens on no socket`);
  const name = (await this.call(sock, 'getsockname')).value;
  // Python gives an abstract name as bytes with a leading NUL (a path comes as str).
  const bytes = bytesOf(name) ?? Buffer.from(String(name));
  check(bytes[0] === 0, `the server's socket is bound to ${JSON.stringify(name)}, not to an abstract name`);
});

// -- the listen backlog: connections the kernel queues while nothing accepts ----------------

/** How long a connection attempt gets to be established by the kernel (loopback: immediate). */
const HANDSHAKE_WAIT_MS = 300;

When(/^(\d+) connections to (server|the path of server) ([A-Z][A-Z0-9]*) are attempted while the loop does not run$/, async function (this: LoopWorld, count: string, how: string, server: string) {
  let target: net.NetConnectOpts;
  if (how === 'server') {
    const [first] = await addresses(this, server);
    check(first, `server ${server} listens on no socket`);
    target = { host: first[0], port: first[1] };
  } else {
    const [sock] = await listeningSockets(this, server);
    check(sock, `server ${server} listens on no socket`);
    const path = (await this.call(sock, 'getsockname')).value;
    check(typeof path === 'string', `server ${server} listens on ${JSON.stringify(path)}, not a path`);
    target = { path };
  }
  // Plain sockets of the kit's: the loop is idle between requests, so nothing accepts, and the
  // kernel completes only as many connections as the listen queue holds (Linux: backlog + 1).
  const sockets = Array.from({ length: Number(count) }, () => net.connect(target).on('error', () => undefined));
  let established = 0;
  for (const s of sockets) s.once('connect', () => { established++; });
  // The count is final once every attempt is established or refused (a Unix socket's full
  // queue refuses at once); an attempt the kernel leaves pending gets the whole wait.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(sockets.map((s) => new Promise((resolve) => s.once('connect', resolve).once('error', resolve)))),
    new Promise((resolve) => { timer = setTimeout(resolve, HANDSHAKE_WAIT_MS); }),
  ]);
  clearTimeout(timer);
  for (const s of sockets) s.destroy();
  this.values.set('ATTEMPTED', Number(count));
  this.values.set('ESTABLISHED', established);
});

Then(/^at most (\d+) of them are established$/, function (this: LoopWorld, most: string) {
  const n = this.values.get('ESTABLISHED') as number;
  check(n <= Number(most), `${n} of ${this.values.get('ATTEMPTED')} connections were established`);
});

Then(/^all of them are established$/, function (this: LoopWorld) {
  const n = this.values.get('ESTABLISHED') as number;
  check(n === this.values.get('ATTEMPTED'), `${n} of ${this.values.get('ATTEMPTED')} connections were established`);
});

Given(/^([A-Z]+) is (a new (?:socket path(?: as bytes| as a pathlib\.Path)?|abstract socket name))$/, async function (this: LoopWorld, name: string, phrase: string) {
  const generated = await expandSocketPaths(this, phrase);
  this.values.set(name, this.values.get(generated));
  const file = this.socketPaths.get(generated);
  if (file !== undefined) this.socketPaths.set(name, file);
});

// -- the kit's echo servers: peers that do not depend on the loop under test ----------------

Given(/^an? (echo|sink) server of the kit's listens on (127\.0\.0\.1|::1) at ([A-Z0-9]+)$/, async function (this: LoopWorld, mode: 'echo' | 'sink', host: string, name: string) {
  const peer = await EchoPeer.listen({ host }, mode);
  this.peers.push(peer);
  this.echoPeers.set(name, peer);
  this.values.set(name, peer.port);
});

Given(/^an echo server of the kit's listens on ([A-Z0-9]+)$/, async function (this: LoopWorld, name: string) {
  const address = this.values.get(name);
  // The loop's address (a str, bytes, or a pathlib.Path the driver made) as the kit listens on it.
  const where = typeof address === 'string' ? address
    : bytesOf(address)?.toString() ?? this.socketPaths.get(name);
  check(where, `${name} is not a socket address the kit can listen on`);
  const peer = await EchoPeer.listen({ path: where });
  this.peers.push(peer);
  this.echoPeers.set(name, peer);
});

Given(/^the kit's echo server at ([A-Z0-9]+) is closed$/, async function (this: LoopWorld, name: string) {
  const peer = this.echoPeers.get(name);
  check(peer, `no echo server of the kit's at ${name}`);
  await peer.close();
});

Given(/^socket ([A-Z][A-Z0-9]*) is a (TCP|UDP) socket connected to port ([A-Z0-9]+) of (127\.0\.0\.1|::1)$/, async function (this: LoopWorld, name: string, kind: string, port: string, host: string) {
  const family = await constant(this, host === '::1' ? 'AF_INET6' : 'AF_INET');
  this.nameObject(name, await this.call('socket', 'socket', [family, await constant(this, kind === 'UDP' ? 'SOCK_DGRAM' : 'SOCK_STREAM')]));
  await this.call(this.objectRef(name), 'connect', [py.tuple([host, this.values.get(port) as Value])]);
});

Given(/^socket ([A-Z][A-Z0-9]*) is a Unix socket connected to ([A-Z0-9]+)$/, async function (this: LoopWorld, name: string, address: string) {
  this.nameObject(name, await this.call('socket', 'socket', [await constant(this, 'AF_UNIX'), await constant(this, 'SOCK_STREAM')]));
  await this.call(this.objectRef(name), 'connect', [this.values.get(address) as Value]);
});

Given(/^socket ([A-Z][A-Z0-9]*) is a Unix socket bound to ([A-Z0-9]+) and listening$/, async function (this: LoopWorld, name: string, address: string) {
  this.nameObject(name, await this.call('socket', 'socket', [await constant(this, 'AF_UNIX'), await constant(this, 'SOCK_STREAM')]));
  // socket.bind() takes a str or bytes: a pathlib.Path address is bound by its path.
  const value = this.values.get(address);
  const bound = isRef(value) ? this.socketPaths.get(address) : value;
  await this.call(this.objectRef(name), 'bind', [bound as Value]);
  await this.call(this.objectRef(name), 'listen', [8]);
});

Given(/^([A-Z]+) is a free port of (127\.0\.0\.1)$/, async function (this: LoopWorld, name: string, host: string) {
  // A port the kernel just gave and took back: free, as far as anything can be.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, host, resolve));
  this.values.set(name, (probe.address() as net.AddressInfo).port);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

Then(/^the kit's echo server at ([A-Z0-9]+) was connected to from port ([A-Z]+)$/, function (this: LoopWorld, name: string, port: string) {
  const peer = this.echoPeers.get(name);
  check(peer, `no echo server of the kit's at ${name}`);
  check(peer.remotes.some((r) => r.port === this.values.get(port)), `the kit's echo server was connected to from ${JSON.stringify(peer.remotes)}, not from port ${String(this.values.get(port))}`);
});

Then(/^task ([A-Z][A-Z0-9]*) has completed$/, async function (this: LoopWorld, task: string) {
  const done = await this.call(this.objectRef(task), 'done');
  check(done.value === true, `task ${task} is still running`);
});

When(/^client ([A-Z][0-9]?) closes its transport$/, async function (this: LoopWorld, client: string) {
  await settleAfter(this, async () => {
    await this.call(this.objectRef(`${client}.transport`), 'close');
  }, lost(1, client));
});

When(/^the kit's echo server at ([A-Z0-9]+) closes its connections$/, async function (this: LoopWorld, name: string) {
  const peer = this.echoPeers.get(name);
  check(peer, `no echo server of the kit's at ${name}`);
  // Each connection it ends is a connection of the loop's: each is waited for until it is lost.
  await settleAfter(this, async () => peer.endConnections(), lost(peer.openConnections));
});

Then(/^(?:client|endpoint) ([A-Z][0-9]?)'s transport gives the peername \("(127\.0\.0\.1|::1)", ([A-Z]+)\)$/, async function (this: LoopWorld, client: string, host: string, port: string) {
  const got = tupleItems((await this.call(this.objectRef(`${client}.transport`), 'get_extra_info', ['peername'])).value);
  check(got[0] === host && got[1] === this.values.get(port), `get_extra_info('peername') is ${JSON.stringify(got)}, not (${host}, ${String(this.values.get(port))})`);
});

Then(/^client ([A-Z][0-9]?)'s transport gives as sockname the address its socket is bound to$/, async function (this: LoopWorld, client: string) {
  const got = tupleItems((await this.call(this.objectRef(`${client}.transport`), 'get_extra_info', ['sockname'])).value);
  const bound = tupleItems((await this.call(await transportSocket(this, client), 'getsockname')).value);
  check(JSON.stringify(got) === JSON.stringify(bound), `get_extra_info('sockname') is ${JSON.stringify(got)}; the socket is bound to ${JSON.stringify(bound)}`);
});

Then(/^protocol ([A-Z][0-9]?)'s connection was lost with None$/, async function (this: LoopWorld, name: string) {
  const lost = (await protocolEvents(this, name)).filter((e) => e.method === 'connection_lost');
  check(lost.length === 1, `connection_lost was called ${lost.length} times`);
  check((lost[0] as { exc?: unknown }).exc === null, `connection_lost was given ${JSON.stringify((lost[0] as { exc?: unknown }).exc)}, not None`);
});

Then(/^protocol ([A-Z][0-9]?) had eof_received called, then connection_lost with None$/, async function (this: LoopWorld, name: string) {
  const methods = (await protocolEvents(this, name)).map((e) => e.method).filter((m) => m === 'eof_received' || m === 'connection_lost');
  check(JSON.stringify(methods) === JSON.stringify(['eof_received', 'connection_lost']), `protocol ${name} had ${methods.join(', ') || 'neither'} called`);
  const lost = (await protocolEvents(this, name)).find((e) => e.method === 'connection_lost') as { exc?: unknown };
  check(lost.exc === null, `connection_lost was given ${JSON.stringify(lost.exc)}, not None`);
});

// -- much more than a socket takes at once --------------------------------------------------

/** What each client wrote with "writes N MiB of numbered bytes": the sink must get exactly it. */
const written = new WeakMap<LoopWorld, Map<string, Buffer>>();

/**
 * N MiB of consecutive 32-bit big-endian counters: a lost, doubled or reordered piece shows.
 * The kit keeps its own copy to compare; the driver makes the same bytes ({"counted_bytes"}).
 */
function numberedBytes(mib: number): Buffer {
  const buf = Buffer.alloc(mib * 1024 * 1024);
  for (let i = 0; i < buf.length / 4; i++) buf.writeUInt32BE(i, i * 4);
  return buf;
}

When(/^client ([A-Z][0-9]?) writes (\d+) MiB of numbered bytes in one call$/, async function (this: LoopWorld, client: string, mib: string) {
  const data = numberedBytes(Number(mib));
  if (!written.has(this)) written.set(this, new Map());
  written.get(this)!.set(client, data);
  await this.call(this.objectRef(`${client}.transport`), 'write', [py.countedBytes(data.length)]);
});

When(/^(\d+) MiB of numbered bytes are sent on socket ([A-Z][0-9]?) with loop\.sock_sendall\(\)$/, async function (this: LoopWorld, mib: string, socket: string) {
  const data = numberedBytes(Number(mib));
  if (!written.has(this)) written.set(this, new Map());
  written.get(this)!.set(socket, data);
  this.lastCall = await this.attemptCall('loop', 'sock_sendall', [py.ref(this.objectRef(socket)), py.countedBytes(data.length)]);
});

Then(/^the kit's sink server at ([A-Z0-9]+) receives what (?:client|socket) ([A-Z][0-9]?) (?:wrote|sent), whole and in order$/, async function (this: LoopWorld, name: string, client: string) {
  const peer = this.echoPeers.get(name);
  const data = written.get(this)?.get(client);
  check(peer && data, `no sink server of the kit's at ${name}, or nothing written by client ${client}`);
  // The loop must run for the transport to send what the socket did not take at once.
  const deadline = Date.now() + 10_000;
  while (peer.keptLength < data.length && Date.now() < deadline) {
    await this.call('loop', 'run_until_complete', [py.coroutine({ name: 'FLUSH', steps: [{ do: 'sleep', seconds: 0.05 }] })]);
  }
  const got = Buffer.concat(peer.kept);
  check(got.length === data.length, `the sink received ${got.length} of the ${data.length} bytes written`);
  const at = got.findIndex((b, i) => b !== data[i]);
  check(at === -1, `the sink received the bytes out of order from byte ${at} on`);
});
