// Datagram endpoints (loop.create_datagram_endpoint): the kit's own UDP endpoints as the far
// end (support/udp-peer.ts), datagrams sent with the transport's sendto(), what each protocol
// received read from its datagram_received events (PROTOCOL.md, "Protocol specs"), and the
// socket options of the endpoint's socket read through get_extra_info('socket').
import { Given, Then, When } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';
import { py } from './support/values';
import { UdpPeer } from './support/udp-peer';
import { answers, constant, protocolEvents, transportSocket, tupleItems } from './servers.steps';
import { delivered, settleAfter } from './support/settle';

function peerAt(world: LoopWorld, name: string): UdpPeer {
  const peer = world.udpPeers.get(name);
  check(peer, `no UDP endpoint of the kit's at ${name}`);
  return peer;
}

const text = (data: Buffer): string => data.toString('utf8');

/** (host, port) of endpoint C's own socket, as its transport gives it. */
async function sockname(world: LoopWorld, endpoint: string): Promise<[string, number]> {
  const [host, port] = tupleItems((await world.call(world.objectRef(`${endpoint}.transport`), 'get_extra_info', ['sockname'])).value) as [string, number];
  return [host, port];
}

/** The datagrams protocol `name` received, in order: text and the sender's (host, port). */
async function datagrams(world: LoopWorld, name: string): Promise<Array<{ text: string; from: unknown[] | null }>> {
  return (await protocolEvents(world, name)).filter((e) => e.method === 'datagram_received').map((e) => ({
    text: text(Buffer.from(e.data!.bytes, 'base64')),
    from: e.addr === null || e.addr === undefined ? null : tupleItems(e.addr),
  }));
}

// -- the kit's UDP endpoints --------------------------------------------------------------

Given(/^a UDP echo endpoint of the kit's is bound to (127\.0\.0\.1|::1) at ([A-Z0-9]+)$/, async function (this: LoopWorld, host: string, name: string) {
  const peer = await UdpPeer.bind(host);
  this.peers.push(peer);
  this.udpPeers.set(name, peer);
  this.values.set(name, peer.port);
});

Given(/^([A-Z]+) is a free UDP port of (127\.0\.0\.1)$/, async function (this: LoopWorld, name: string, host: string) {
  this.values.set(name, await UdpPeer.freePort(host));
});

When(/^the kit's UDP endpoint at ([A-Z0-9]+) sends the datagram "([^"]*)" to port ([A-Z]+) of (127\.0\.0\.1)$/, async function (this: LoopWorld, name: string, data: string, port: string, host: string) {
  const size = Buffer.byteLength(data, 'utf8');
  await settleAfter(this, () => peerAt(this, name).send(data, this.values.get(port) as number, host), delivered(undefined, size, 'datagram_received', () => false));
});

Then(/^the kit's UDP endpoint at ([A-Z0-9]+) received the datagram "([^"]*)" from endpoint ([A-Z][0-9]?)$/, async function (this: LoopWorld, name: string, data: string, endpoint: string) {
  const [host, port] = await sockname(this, endpoint);
  const got = peerAt(this, name).received.map((d) => `${text(d.data)} from ${d.address}:${d.port}`);
  check(got.includes(`${data} from ${host}:${port}`), `the kit's endpoint received ${got.length ? got.join(', ') : 'nothing'}, not "${data}" from endpoint ${endpoint} (${host}:${port})`);
});

// -- the loop's endpoints -----------------------------------------------------------------

When(/^endpoint ([A-Z][0-9]?) sends the datagram "([^"]*)"(?: to the kit's UDP endpoint at ([A-Z0-9]+))?$/, async function (this: LoopWorld, endpoint: string, data: string, to: string | null) {
  const args: Parameters<LoopWorld['call']>[2] = [py.bytes(Buffer.from(data, 'utf8'))];
  if (to) {
    const peer = peerAt(this, to);
    args.push(py.tuple([peer.host, peer.port]));
  }
  const size = Buffer.byteLength(data, 'utf8');
  await settleAfter(this, async () => {
    await this.call(this.objectRef(`${endpoint}.transport`), 'sendto', args);
  }, delivered(endpoint, size, 'datagram_received', (receiver) => answers(this, receiver)));
});

Then(/^protocol ([A-Z][0-9]?) received the datagram "([^"]*)"(?: from \("(127\.0\.0\.1|::1)", ([A-Z]+)\))?$/, async function (this: LoopWorld, name: string, data: string, host: string | null, port: string | null) {
  const got = await datagrams(this, name);
  const shown = got.map((d) => `"${d.text}" from ${JSON.stringify(d.from)}`).join(', ') || 'nothing';
  // An IPv6 sender comes as (host, port, flowinfo, scope_id): the host and port are the address.
  const match = got.find((d) => d.text === data && (!host || (d.from !== null && d.from[0] === host && d.from[1] === this.values.get(port!))));
  check(match, `protocol ${name} received ${shown}, not "${data}"${!host ? '' : ` from (${host}, ${String(this.values.get(port!))})`}`);
});

Then(/^the socket of endpoint ([A-Z][0-9]?)'s transport (has|does not have) (SO_REUSEADDR|SO_REUSEPORT|SO_BROADCAST) set$/, async function (this: LoopWorld, endpoint: string, have: string, option: string) {
  const sock = await transportSocket(this, endpoint);
  const got = (await this.call(sock, 'getsockopt', [await constant(this, 'SOL_SOCKET'), await constant(this, option)])).value;
  check((got !== 0) === (have === 'has'), `the endpoint's socket has ${option} ${JSON.stringify(got)}`);
});

Then(/^the socket of endpoint ([A-Z][0-9]?)'s transport is bound to \("(127\.0\.0\.1|::1)", ([A-Z]+)\)$/, async function (this: LoopWorld, endpoint: string, host: string, port: string) {
  const [gotHost, gotPort] = tupleItems((await this.call(await transportSocket(this, endpoint), 'getsockname')).value);
  check(gotHost === host && gotPort === this.values.get(port), `the endpoint's socket is bound to (${JSON.stringify(gotHost)}, ${JSON.stringify(gotPort)}), not (${host}, ${String(this.values.get(port))})`);
});

Given(/^([A-Z]+) is the port endpoint ([A-Z][0-9]?)'s socket is bound to$/, async function (this: LoopWorld, name: string, endpoint: string) {
  const [, port] = tupleItems((await this.call(await transportSocket(this, endpoint), 'getsockname')).value);
  check(typeof port === 'number' && port > 0, `endpoint ${endpoint}'s socket is bound to port ${JSON.stringify(port)}`);
  this.values.set(name, port);
});
