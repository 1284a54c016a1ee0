// The bench op (adapters/PROTOCOL.md) on the reference driver and on CPython 3.12: every trial
// answers {seconds, n, peak_rss_bytes} and a bad trial is a ProtocolError. The shape only: speed
// is npm run bench's business, never a test's.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { DriverClient } from '../adapters/driver-client';
import { adapterSpec, AdapterOptions } from '../adapters/adapter-spec';
import { LoopError } from '../adapters/errors';
import { CPYTHON_312 } from './helpers';

const DRIVERS: Array<[string, AdapterOptions]> = [
  ['reference', { adapter: 'reference' }],
  ['CPython 3.12', { adapter: 'python', python: CPYTHON_312 }],
];

for (const [name, options] of DRIVERS) {
  test(`the bench op on the ${name} driver`, { skip: options.python && !fs.existsSync(options.python) ? `${options.python} not found` : false }, async () => {
    const driver = new DriverClient(adapterSpec(options));
    await driver.start();
    try {
      await driver.request('new_loop');
      for (const trial of ['call_soon', 'call_later', 'cancel']) {
        const result = await driver.request('bench', { trial, n: 100 });
        assert.deepEqual(Object.keys(result).sort(), ['n', 'peak_rss_bytes', 'seconds'], trial);
        assert.equal(result.n, 100);
        assert.equal(typeof result.seconds, 'number');
        assert.ok((result.seconds as number) > 0, `${trial}: seconds ${String(result.seconds)}`);
        assert.ok(Number.isInteger(result.peak_rss_bytes) && (result.peak_rss_bytes as number) > 1024 * 1024, `${trial}: peak_rss_bytes ${String(result.peak_rss_bytes)}`);
      }
      for (const args of [{ trial: 'nope', n: 100 }, { trial: 'call_soon', n: 0 }, { trial: 'call_soon' }]) {
        await assert.rejects(driver.request('bench', args), (e: unknown) => e instanceof LoopError && e.info.type === 'ProtocolError', JSON.stringify(args));
      }
      assert.deepEqual(await driver.request('end_scenario'), { leaks: [], dirty: false });
    } finally {
      await driver.shutdown();
    }
  });
}
