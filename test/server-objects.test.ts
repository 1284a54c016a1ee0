// Server objects through the call operation (adapters/api.json's "Server" and
// "TransportSocket" entries) on both drivers: loop.create_server() with a protocol spec, the
// Server's documented methods and its sockets, a connection to it, and the asynchronous
// context manager's __aenter__/__aexit__; nothing is left open at the end.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { adapterSpec } from '../adapters/adapter-spec';
import { DriverClient } from '../adapters/driver-client';
import { CPYTHON_312 } from './helpers';

const drivers: Array<[string, Parameters<typeof adapterSpec>[0]]> = [
  ['the reference driver', { adapter: 'reference', timeoutS: 10 }],
  ['the Python driver on CPython 3.12', { adapter: 'python', python: CPYTHON_312, loop: 'asyncio:new_event_loop', timeoutS: 10 }],
];

type Json = Record<string, unknown>;

for (const [label, options] of drivers) {
  test(`${label}: create_server, the Server's methods and sockets, a connection, async with`, async () => {
    const driver = new DriverClient(adapterSpec(options));
    try {
      await driver.start();
      await driver.request('new_loop', {});
      const call = (target: string, name: string, args: unknown[] = [], kwargs: Json = {}): Promise<Json> => driver.request('call', { target, name, args, kwargs });
      const echo = { name: 'E', on: { data_received: [{ do: 'write_back' }] } };
      const made = await call('loop', 'create_server', [{ protocol_factory: echo }, '127.0.0.1', 0]);
      assert.equal(made.type, 'Server');
      const server = (made.value as { ref: string }).ref;
      assert.equal((await call(server, 'is_serving')).value, true);
      assert.match(String((await call(server, 'get_loop')).type), /EventLoop$/);
      const sockets = await driver.request('get', { target: server, name: 'sockets' });
      assert.equal(sockets.type, 'tuple');
      const [listening] = (sockets.value as { tuple: Array<{ ref: string }> }).tuple;
      const name = (await call(listening.ref, 'getsockname')).value as { tuple: [string, number] };
      const [host, port] = name.tuple;
      assert.equal(host, '127.0.0.1');

      const client = { name: 'C', on: { connection_made: [{ do: 'write', data: { bytes: Buffer.from('hi').toString('base64') } }] } };
      const pair = await call('loop', 'create_connection', [{ protocol_factory: client }, '127.0.0.1', port]);
      assert.equal(pair.type, 'tuple');
      await call('loop', 'run_until_complete', [{ coroutine: { name: 'WAIT', steps: [{ do: 'sleep', seconds: 0.2 }] } }]);
      const events = ((await driver.request('events', {})).events as Json[]).filter((e) => e.event === 'protocol' && e.method === 'data_received');
      assert.deepEqual(events.map((e) => [e.name, Buffer.from((e.data as { bytes: string }).bytes, 'base64').toString()]), [['E', 'hi'], ['C', 'hi']]);

      assert.deepEqual((await call(server, '__aenter__')).value, made.value, '__aenter__ returns the server');
      // __aexit__ waits for wait_closed(), which (3.12.1) waits for the connections to be gone too.
      const [clientTransport] = (pair.value as { tuple: Array<{ ref: string }> }).tuple;
      await call(clientTransport.ref, 'close');
      await call(server, '__aexit__', [null, null, null]);
      assert.equal((await call(server, 'is_serving')).value, false);
      const after = await driver.request('get', { target: server, name: 'sockets' });
      assert.deepEqual(after.value, { tuple: [] });
      const end = await driver.request('end_scenario', {});
      assert.deepEqual(end.leaks, []);
    } finally {
      await driver.shutdown();
    }
  });
}
