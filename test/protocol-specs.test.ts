// Protocol specs (adapters/PROTOCOL.md, "Protocol specs") on both drivers: a protocol the
// driver builds from data records every call the transport makes on it and performs its
// reactions. Here a connection made with loop.create_connection() to an echo peer of the
// test's: the reaction to connection_made writes, the echo comes back as data_received, the
// reaction to it closes, and connection_lost follows with no exception. And a datagram endpoint
// made with loop.create_datagram_endpoint(): the echo of a UDP peer comes back as
// datagram_received with the sender's address, and a datagram to a closed port as
// error_received with the ConnectionRefusedError.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { adapterSpec } from '../adapters/adapter-spec';
import { DriverClient } from '../adapters/driver-client';
import { CPYTHON_312 } from './helpers';

async function echoPeer(): Promise<net.Server> {
  const server = net.createServer((sock) => sock.on('data', (d) => sock.write(d)).on('error', () => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const drivers: Array<[string, Parameters<typeof adapterSpec>[0]]> = [
  ['the reference driver', { adapter: 'reference', timeoutS: 10 }],
  ['the Python driver on CPython 3.12', { adapter: 'python', python: CPYTHON_312, loop: 'asyncio:new_event_loop', timeoutS: 10 }],
];

for (const [label, options] of drivers) {
  test(`${label}: a protocol spec records connection_made, data_received and connection_lost, and reacts`, async () => {
    const server = await echoPeer();
    const driver = new DriverClient(adapterSpec(options));
    try {
      await driver.start();
      await driver.request('new_loop', {});
      const port = (server.address() as net.AddressInfo).port;
      const spec = { name: 'P', on: { connection_made: [{ do: 'write', data: { bytes: Buffer.from('hello').toString('base64') } }], data_received: [{ do: 'close' }] } };
      const made = await driver.request('call', { target: 'loop', name: 'create_connection', args: [{ protocol_factory: spec }, '127.0.0.1', port] });
      assert.equal(made.type, 'tuple');
      // Run the loop until the echo has come back and the close has reached connection_lost.
      await driver.request('call', { target: 'loop', name: 'run_until_complete', args: [{ coroutine: { name: 'WAIT', steps: [{ do: 'sleep', seconds: 0.3 }] } }] });
      const events = ((await driver.request('events', {})).events as Array<Record<string, unknown>>).filter((e) => e.event === 'protocol' || e.event === 'protocol_made');
      assert.deepEqual(events.map((e) => e.event === 'protocol_made' ? 'made' : e.method), ['made', 'connection_made', 'data_received', 'connection_lost']);
      const [, connected, received, lost] = events;
      assert.equal((connected.transport as { ref?: string }).ref !== undefined, true, 'connection_made carries the transport as a ref');
      assert.equal(Buffer.from((received.data as { bytes: string }).bytes, 'base64').toString(), 'hello');
      assert.equal(lost.exc, null);
      const end = await driver.request('end_scenario', {});
      assert.deepEqual(end.leaks, []);
    } finally {
      await driver.shutdown();
      server.close();
    }
  });
}

async function udpEcho(): Promise<dgram.Socket> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (d, from) => sock.send(d, from.port, from.address));
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return sock;
}

for (const [label, options] of drivers) {
  test(`${label}: a protocol spec records datagram_received with the address, and error_received`, async () => {
    const peer = await udpEcho();
    const closed = await udpEcho();
    const closedPort = closed.address().port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const driver = new DriverClient(adapterSpec(options));
    try {
      await driver.start();
      await driver.request('new_loop', {});
      const port = peer.address().port;
      const ping = { bytes: Buffer.from('ping').toString('base64') };
      for (const [name, to] of [['P', port], ['Q', closedPort]] as const) {
        const made = await driver.request('call', { target: 'loop', name: 'create_datagram_endpoint', args: [{ protocol_factory: { name } }], kwargs: { remote_addr: { tuple: ['127.0.0.1', to] } } });
        const [transport] = (made.value as { tuple: Array<{ ref: string }> }).tuple;
        await driver.request('call', { target: transport.ref, name: 'sendto', args: [ping] });
      }
      await driver.request('call', { target: 'loop', name: 'run_until_complete', args: [{ coroutine: { name: 'WAIT', steps: [{ do: 'sleep', seconds: 0.3 }] } }] });
      const events = ((await driver.request('events', {})).events as Array<Record<string, unknown>>).filter((e) => e.event === 'protocol');
      const received = events.find((e) => e.name === 'P' && e.method === 'datagram_received');
      assert.ok(received, JSON.stringify(events));
      assert.equal(Buffer.from((received.data as { bytes: string }).bytes, 'base64').toString(), 'ping');
      assert.deepEqual(received.addr, { tuple: ['127.0.0.1', port] });
      const error = events.find((e) => e.name === 'Q' && e.method === 'error_received');
      assert.ok(error, JSON.stringify(events));
      assert.equal((error.exc as { type: string }).type, 'ConnectionRefusedError');
      const end = await driver.request('end_scenario', {});
      assert.deepEqual(end.leaks, []);
    } finally {
      await driver.shutdown();
      peer.close();
    }
  });
}
