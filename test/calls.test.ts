// The call/get/set operations (adapters/PROTOCOL.md, "Calls") on both drivers: an attribute is
// read and written with get and set, a method is refused by get, and a name the allow-list does
// not have is a ProtocolError before anything is touched.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { adapterSpec } from '../adapters/adapter-spec';
import { DriverClient } from '../adapters/driver-client';
import { LoopError } from '../adapters/errors';
import { CPYTHON_312 } from './helpers';

const drivers: Array<[string, Parameters<typeof adapterSpec>[0]]> = [
  ['the reference driver', { adapter: 'reference', timeoutS: 10 }],
  ['the Python driver on CPython 3.12', { adapter: 'python', python: CPYTHON_312, loop: 'asyncio:new_event_loop', timeoutS: 10 }],
];

async function refused(p: Promise<unknown>, type: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof LoopError && err.info.type === type);
}

for (const [label, options] of drivers) {
  test(`${label}: set then get a documented attribute; get of a method and undocumented names are refused`, async () => {
    const driver = new DriverClient(adapterSpec(options));
    try {
      await driver.start();
      await driver.request('new_loop', {});
      await driver.request('set', { target: 'loop', name: 'slow_callback_duration', value: { float: 0.5 } });
      const r = await driver.request('get', { target: 'loop', name: 'slow_callback_duration' });
      assert.equal(r.value, 0.5);
      await refused(driver.request('get', { target: 'loop', name: 'time' }), 'ProtocolError');
      await refused(driver.request('call', { target: 'loop', name: '_run_once' }), 'ProtocolError');
      await refused(driver.request('call', { target: 'os', name: 'system', args: ['true'] }), 'ProtocolError');
      assert.deepEqual((await driver.request('end_scenario', {})).leaks, []);
    } finally {
      await driver.shutdown();
    }
  });
}
