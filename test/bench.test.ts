// The bench op (adapters/PROTOCOL.md) on the reference driver and on CPython 3.12, and the
// bench's separate-process client (bench/loadgen.c): every trial answers its keys, bad
// arguments are a ProtocolError, and the client checks what comes back. The shape only: speed
// is npm run bench's business, never a test's.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DriverClient } from '../adapters/driver-client';
import { adapterSpec, AdapterOptions } from '../adapters/adapter-spec';
import { LoopError } from '../adapters/errors';
import { buildLoadgen, echoClient } from '../bench/loadgen';
import { sendfileTrial } from '../bench/trials';
import { CPYTHON_312 } from './helpers';

const DRIVERS: Array<[string, AdapterOptions]> = [
  ['reference', { adapter: 'reference' }],
  ['CPython 3.12', { adapter: 'python', python: CPYTHON_312 }],
];
const noCpython = fs.existsSync(CPYTHON_312) ? false : `${CPYTHON_312} not found`;
const TIMED_KEYS: Record<string, string[]> = {
  call_soon: ['n', 'peak_rss_bytes', 'seconds'],
  call_later: ['n', 'peak_rss_bytes', 'rss_before_bytes', 'rss_pending_bytes', 'seconds'],
  cancel: ['n', 'peak_rss_bytes', 'seconds'],
};

const isA = (type: string) => (e: unknown): boolean => e instanceof LoopError && e.info.type === type;

async function withDriver(options: AdapterOptions, body: (driver: DriverClient) => Promise<void>): Promise<void> {
  const driver = new DriverClient(adapterSpec(options));
  await driver.start();
  try {
    await driver.request('new_loop');
    await body(driver);
    assert.deepEqual(await driver.request('end_scenario'), { leaks: [], dirty: false });
  } finally {
    await driver.shutdown();
  }
}

for (const [name, options] of DRIVERS) {
  const skip = options.python ? noCpython : false;

  test(`the timed bench trials on the ${name} driver`, { skip }, () => withDriver(options, async (driver) => {
    for (const [trial, keys] of Object.entries(TIMED_KEYS)) {
      const result = await driver.request('bench', { trial, n: 100 });
      assert.deepEqual(Object.keys(result).sort(), keys, trial);
      assert.equal(result.n, 100);
      assert.ok((result.seconds as number) > 0, `${trial}: seconds ${String(result.seconds)}`);
      for (const key of keys.filter((k) => k.endsWith('_bytes'))) {
        assert.ok(Number.isInteger(result[key]) && (result[key] as number) > 1024 * 1024, `${trial}: ${key} ${String(result[key])}`);
      }
    }
    for (const args of [{ trial: 'nope', n: 100 }, { trial: 'call_soon', n: 0 }, { trial: 'call_soon' }, { trial: 'serve', seconds: 0 }, { trial: 'serve', seconds: 1 }]) {
      await assert.rejects(driver.request('bench', args), isA('ProtocolError'), JSON.stringify(args));
    }
  }));

  test(`the echo trials on the ${name} driver serve a connection`, { skip }, () => withDriver(options, async (driver) => {
    const started = await driver.request('bench', { trial: 'echo_server' });
    assert.deepEqual(Object.keys(started).sort(), ['peak_rss_bytes', 'port']);
    await assert.rejects(driver.request('bench', { trial: 'echo_server' }), isA('ProtocolError'), 'a second server');
    // One message through the server, by hand, while serve runs the loop.
    const echoed = new Promise<string>((resolve, reject) => {
      const sock = net.connect(started.port as number, '127.0.0.1', () => sock.end('ping'));
      let got = '';
      sock.on('data', (d) => { got += d.toString(); });
      sock.on('close', () => resolve(got));
      sock.on('error', reject);
    });
    const served = await driver.request('bench', { trial: 'serve', seconds: 0.3 });
    assert.deepEqual(Object.keys(served).sort(), ['peak_rss_bytes', 'seconds']);
    assert.equal(await echoed, 'ping');
    await assert.rejects(driver.request('bench', { trial: 'serve', seconds: 0.1 }), isA('ProtocolError'), 'serve closed the server');
  }));
}

// ---------------------------------------------------------------------------
// bench/loadgen.c

const loadgen = (() => {
  try {
    return buildLoadgen();
  } catch (err) {
    return err as Error;
  }
})();

test('bench/loadgen.c builds', () => {
  assert.ok(typeof loadgen === 'string', String(loadgen));
  fs.accessSync(loadgen, fs.constants.X_OK);
});

const binary = typeof loadgen === 'string' ? loadgen : '';
const noLoadgen = typeof loadgen === 'string' ? false : 'loadgen did not build';

test('the echo client against asyncio\'s echo server through the driver checks every byte it counts', { skip: noLoadgen || noCpython }, () =>
  withDriver({ adapter: 'python', python: CPYTHON_312 }, async (driver) => {
    const { port } = await driver.request('bench', { trial: 'echo_server' });
    const shape = { connections: 3, size: 1024, warmupS: 0.1, seconds: 0.2 };
    const client = echoClient(binary, { port: port as number, ...shape, serverPid: driver.pid });
    const [result] = await Promise.all([client, driver.request('bench', { trial: 'serve', seconds: 1 })]);
    assert.ok(result.requests > 0, `requests ${result.requests}`);
    // Messages straddle the window's edges: at most one per connection on each side.
    assert.ok(Math.abs(result.bytesChecked - result.requests * shape.size) <= shape.connections * shape.size, `${result.bytesChecked} bytes for ${result.requests} requests`);
    assert.equal(typeof result.cpuSeconds, 'number');
    assert.equal(typeof result.serverCpuSeconds, 'number');
  }));

/** A server on 127.0.0.1 that answers each connection with `answer`; closed when the body is done. */
async function withServer(answer: (sock: net.Socket) => void, body: (port: number) => Promise<void>): Promise<void> {
  const server = net.createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body((server.address() as net.AddressInfo).port);
  } finally {
    server.close();
  }
}

const shortRun = { connections: 1, size: 64, warmupS: 0, seconds: 0.5 };

test('the echo client fails on a wrong byte, a closed connection and a refused one', { skip: noLoadgen }, async () => {
  await withServer((sock) => sock.on('data', (d: Buffer) => {
    d[0] ^= 1;
    sock.write(d);
  }), (port) => assert.rejects(echoClient(binary, { port, ...shortRun }), 'a wrong byte'));
  await withServer((sock) => sock.destroy(), (port) => assert.rejects(echoClient(binary, { port, ...shortRun }), 'a closed connection'));
  let free = 0;
  await withServer(() => {}, async (port) => { free = port; });
  await assert.rejects(echoClient(binary, { port: free, ...shortRun }), 'a refused connection');
});

test('the sendfile trial: asyncio\'s sock_sendfile and the raw syscall each reach a sink with every byte', { skip: noLoadgen || noCpython }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-bench-test-'));
  try {
    const file = path.join(dir, 'file.bin');
    fs.writeFileSync(file, Buffer.alloc(1024 * 1024, 7));
    const trial = sendfileTrial(binary, file, 1024 * 1024);
    assert.ok((await trial.raw!.run()).rate > 0);
    await withDriver({ adapter: 'python', python: CPYTHON_312 }, async (driver) => {
      assert.ok((await trial.run(driver)).rate > 0);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
