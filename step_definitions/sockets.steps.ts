// Working with socket objects directly (sock_recv, sock_recv_into, sock_sendall, sock_connect,
// sock_accept): the sockets the scenario makes, buffers, and what the calls return. The calls
// themselves are the general ones of calls.steps.ts ("When loop.sock_recv(S, 100) is awaited").
import { Given, Then } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';
import { bytesOf, isRef, py, Value } from './support/values';
import { constant, tupleItems } from './servers.steps';

Given(/^socket ([A-Z]) is non-blocking$/, async function (this: LoopWorld, name: string) {
  await this.call(this.objectRef(name), 'setblocking', [false]);
});

Given(/^socket ([A-Z][A-Z0-9]*) is a non-blocking TCP socket$/, async function (this: LoopWorld, name: string) {
  this.nameObject(name, await this.call('socket', 'socket', [await constant(this, 'AF_INET'), await constant(this, 'SOCK_STREAM')]));
  await this.call(this.objectRef(name), 'setblocking', [false]);
});

Given(/^socket ([A-Z][A-Z0-9]*) is a non-blocking TCP socket listening on 127\.0\.0\.1, its port ([A-Z0-9]+)$/, async function (this: LoopWorld, name: string, port: string) {
  this.nameObject(name, await this.call('socket', 'socket', [await constant(this, 'AF_INET'), await constant(this, 'SOCK_STREAM')]));
  const ref = this.objectRef(name);
  await this.call(ref, 'bind', [py.tuple(['127.0.0.1', 0])]);
  await this.call(ref, 'listen', [16]);
  await this.call(ref, 'setblocking', [false]);
  this.values.set(port, tupleItems((await this.call(ref, 'getsockname')).value)[1] as Value);
});

Given(/^([A-Z][A-Z0-9]*) is a new buffer of (\d+) bytes$/, async function (this: LoopWorld, name: string, size: string) {
  const r = await this.op('new_buffer', { size: Number(size) });
  if (!isRef(r.buffer)) throw new Error(`new_buffer answered ${JSON.stringify(r.buffer)}, not an object`);
  this.objects.set(name, r.buffer.ref);
});

Then(/^it returns the bytes ("[^"]*")$/, function (this: LoopWorld, text: string) {
  const r = this.lastResult();
  const got = bytesOf(r.value);
  check(got !== undefined && r.type === 'bytes', `it returned ${JSON.stringify(r.value)} (a ${r.type}), not bytes`);
  const want = JSON.parse(text) as string;
  check(got.toString() === want, `it returned the bytes ${JSON.stringify(got.toString())}, not ${text}`);
});

Then(/^buffer ([A-Z][A-Z0-9]*) holds ("[^"]*") followed by (\d+) zero bytes$/, async function (this: LoopWorld, name: string, text: string, zeros: string) {
  const r = await this.op('read_buffer', { buffer: this.objectRef(name) });
  const got = bytesOf(r.value) ?? Buffer.alloc(0);
  const want = Buffer.concat([Buffer.from(JSON.parse(text) as string), Buffer.alloc(Number(zeros))]);
  check(got.equals(want), `buffer ${name} holds ${JSON.stringify(got.toString('latin1'))}, not ${JSON.stringify(want.toString('latin1'))}`);
});

Then(/^socket ([A-Z][A-Z0-9]*) is connected to port ([A-Z0-9]+) of 127\.0\.0\.1$/, async function (this: LoopWorld, name: string, port: string) {
  const peer = tupleItems((await this.call(this.objectRef(name), 'getpeername')).value);
  check(peer[0] === '127.0.0.1' && peer[1] === this.values.get(port), `socket ${name} is connected to ${JSON.stringify(peer)}, not 127.0.0.1 port ${String(this.values.get(port))}`);
});

/** sock_accept's (conn, address): conn a socket other than the listening one, address the client's own. */
Then(/^it returns a pair of a new socket, other than ([A-Z][A-Z0-9]*), and the address of socket ([A-Z][A-Z0-9]*)$/, async function (this: LoopWorld, listener: string, client: string) {
  const r = this.lastResult();
  const [conn, address] = tupleItems(r.value);
  check(r.type === 'tuple', `it returned a ${r.type}, not a tuple`);
  check(isRef(conn) && (conn.type === 'socket' || conn.bases.includes('socket')), `its first item is ${JSON.stringify(conn)}, not a socket`);
  check(conn.ref !== this.objectRef(listener), `its first item is the listening socket ${listener} itself`);
  const own = tupleItems((await this.call(this.objectRef(client), 'getsockname')).value);
  check(JSON.stringify(tupleItems(address)) === JSON.stringify(own), `its address is ${JSON.stringify(address)}; socket ${client} is bound to ${JSON.stringify(own)}`);
  // The new socket is usable: it carries what the client sends.
  await this.call(this.objectRef(client), 'send', [py.bytes(Buffer.from('ping'))]);
  await this.call(conn.ref, 'setblocking', [true]);
  const got = bytesOf((await this.call(conn.ref, 'recv', [4])).value);
  check(got?.toString() === 'ping', `the accepted socket received ${JSON.stringify(got?.toString())}, not "ping"`);
});
